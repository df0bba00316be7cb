import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { sleep } from '../../test/kit/sleep.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Which server to run: the sources through tsx (no build needed), or `npm run build`'s output. */
export type Entry = 'sources' | 'compiled';

export interface Instance {
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  /** SIGTERM (a drain) or SIGKILL (a crash); resolves once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * One Tandem server in its own process on 127.0.0.1:`port`, resolved once its `/readyz` answers
 * 200 (migrated, database reachable); it fails with the process's last lines if it exits first.
 * Each line it prints goes to `onLine` (its JSON log on stdout, the banner and errors on stderr).
 */
export async function startInstance(input: {
  port: number;
  env: Record<string, string | undefined>;
  entry: Entry;
  onLine?: (line: string) => void;
  readyWithinMs?: number;
}): Promise<Instance> {
  const args =
    input.entry === 'compiled'
      ? [path.join(root, 'dist/node/server/start.js')]
      : ['--import', 'tsx', path.join(root, 'server/main.ts')];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...input.env, PORT: String(input.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      input.onLine?.(line);
    });
  }
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = Date.now() + (input.readyWithinMs ?? 60_000);
  for (;;) {
    if (gone) {
      throw new Error(
        `instance on port ${input.port} exited (${await exited}):\n${tail.join('\n')}`,
      );
    }
    try {
      const res = await fetch(`http://127.0.0.1:${input.port}/readyz`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`instance on port ${input.port} was not ready in time:\n${tail.join('\n')}`);
    }
    await sleep(100);
  }
  return {
    port: input.port,
    child,
    exited,
    stop(signal = 'SIGTERM') {
      if (!gone) child.kill(signal);
      return exited;
    },
  };
}
