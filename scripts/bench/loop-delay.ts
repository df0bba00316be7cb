import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep } from '../../test/kit/sleep.ts';

/**
 * The event-loop delay of a server process started with `nodeArgs` and `env` (loop-delay-probe.ts
 * preloaded): `read()` returns the delay since the previous read (p99 and max, ms).
 */
export function loopDelayProbe() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-loop-')), 'delay.json');
  let reads = 0;
  return {
    nodeArgs: ['--import', path.join(import.meta.dirname, 'loop-delay-probe.ts')],
    env: { BENCH_LOOP_DELAY_FILE: file },
    async read(pid: number): Promise<{ p99ms: number; maxMs: number }> {
      reads++;
      process.kill(pid, 'SIGUSR2');
      for (let i = 0; i < 200; i++) {
        await sleep(10);
        if (!fs.existsSync(file)) continue;
        const got = JSON.parse(fs.readFileSync(file, 'utf8')) as {
          read: number;
          p99ms: number;
          maxMs: number;
        };
        if (got.read === reads) return got;
      }
      throw new Error('the server did not report its event-loop delay');
    },
    remove: () => fs.rmSync(path.dirname(file), { recursive: true, force: true }),
  };
}
