import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { figure, percentile, type Figure } from './measure.ts';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'client/cli/tandem.js');

/** Wall time of one run of `node <args>`, in ms, from spawn to exit. */
function once(args: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${run.status}`);
  return performance.now() - start;
}

/**
 * Cold start of the `tandem` bin as `npx tandem` runs it (the compiled build in dist/node, which
 * `npm ci` makes), against bare `node -e 0` on the same machine: runs alternate, so a busy
 * machine slows both alike, and the median of each is compared. `tandem token --help` loads the
 * operator commands and with them the server; from the sources (tsx) is the old way, for scale.
 */
export async function benchCliStart(options: { runs?: number } = {}): Promise<Figure[]> {
  const runs = options.runs ?? 15;
  const env = { ...process.env, TANDEM_FROM_SOURCE: '' };
  const cases: [name: string, args: string[], env: NodeJS.ProcessEnv][] = [
    ['`tandem --help`, compiled (median)', [bin, '--help'], env],
    [
      '`tandem partner --help` (a remote command), compiled (median)',
      [bin, 'partner', '--help'],
      env,
    ],
    ['`tandem token --help` (loads the server), compiled (median)', [bin, 'token', '--help'], env],
    [
      '`tandem --help` from the sources through tsx (median)',
      [bin, '--help'],
      { ...env, TANDEM_FROM_SOURCE: '1' },
    ],
  ];
  const bare: number[] = [];
  const times = cases.map(() => [] as number[]);
  once(['-e', '0'], env);
  for (const [, args, e] of cases) once(args, e); // warm the file cache
  for (let i = 0; i < runs; i++) {
    bare.push(once(['-e', '0'], env));
    cases.forEach(([, args, e], n) => times[n]!.push(once(args, e)));
  }
  const reference = percentile(bare, 50);
  return cases.map(([name], n) =>
    figure(name, percentile(times[n]!, 50), 'ms', '`node -e 0` (median)', reference),
  );
}
