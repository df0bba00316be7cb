import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Frame {
  /** `function (file:line)`, the file relative to the repository or node_modules. */
  frame: string;
  /** Share of all samples, 0..1. */
  share: number;
}

function frameName(node: ProfileNode, root: string): string {
  const { functionName, url, lineNumber } = node.callFrame;
  let file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) file = file.slice(modules + 'node_modules/'.length);
  else if (file.startsWith(root)) file = path.relative(root, file);
  return `${functionName || '(anonymous)'}${file ? ` (${file}:${lineNumber + 1})` : ''}`;
}

/**
 * The heaviest frames of a V8 `.cpuprofile`, over the samples of its last `lastMs` milliseconds
 * (the load, not the start-up that loaded the modules): by self time (where the CPU was) and by
 * total time (self plus callers' share, each frame counted once per stack so recursion does not
 * inflate it). `(idle)` samples are left out, so shares are of the busy time.
 */
export function topFrames(file: string, root: string, lastMs: number, count = 15) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const names = new Map(profile.nodes.map((n) => [n.id, frameName(n, root)]));
  const from = profile.endTime - lastMs * 1000;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    const name = names.get(id)!;
    if (at < from || name.startsWith('(idle)')) return;
    busy++;
    self.set(name, (self.get(name) ?? 0) + 1);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = names.get(node)!;
      if (seen.has(frame)) continue;
      seen.add(frame);
      total.set(frame, (total.get(frame) ?? 0) + 1);
    }
  });
  const top = (m: Map<string, number>): Frame[] =>
    [...m]
      .filter(([name]) => name !== '(root)' && name !== '(program)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([frame, hits]) => ({ frame, share: hits / busy }));
  return { self: top(self), total: top(total), busySamples: busy };
}
