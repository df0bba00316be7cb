// `npx tsx scripts/bench/profile-writes.ts [seconds] [sqlite|postgres]`: profiles the server
// (V8 --cpu-prof) under each single-upsert load and prints the heaviest frames and CPU per request.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshPostgres } from '../../test/kit/stores.ts';
import { benchDealFields as fields } from './bench-deal.ts';
import { topFrames } from './cpu-profile.ts';
import { load } from './load.ts';
import { processCpuMs } from './process-cpu.ts';
import { root, startProcess } from './processes.ts';
import { prepareWorld } from './tandem-world.ts';

const seconds = Number(process.argv[2] ?? 5);
const storeName = process.argv[3] ?? 'sqlite';

const loads = {
  rest: {
    method: 'PUT' as const,
    path: (i: number) => `/api/v1/opportunities/by-ref/R-${i}`,
    body: (i: number) => JSON.stringify({ fields: fields('R', i) }),
  },
  trpc: {
    method: 'POST' as const,
    path: () => '/trpc/opportunities.upsert',
    body: (i: number) => JSON.stringify({ externalRef: `T-${i}`, fields: fields('T', i) }),
  },
};

for (const [name, shape] of Object.entries(loads)) {
  if (process.argv[4] && process.argv[4] !== name) continue;
  const pg = storeName === 'postgres' ? await freshPostgres() : undefined;
  const world = await prepareWorld(undefined, pg?.env ?? {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-prof-'));
  const server = await startProcess('server/main.ts', { ...world.env, LOG_LEVEL: 'warn' }, [
    ...(process.env.PROFILE_PRELOAD ? ['--import', process.env.PROFILE_PRELOAD] : []),
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
  ]);
  const before = processCpuMs(server.child.pid!);
  const r = await load({
    url: `http://127.0.0.1:${server.port}`,
    headers: { authorization: `Bearer ${world.tokens.acme}` },
    seconds,
    connections: 32,
    ...shape,
  });
  const after = processCpuMs(server.child.pid!);
  await server.stop();
  const requests = r.requestsPerSecond * seconds;
  const file = path.join(
    dir,
    fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!,
  );
  const top = topFrames(file, root, seconds * 1000, Number(process.env.PROFILE_FRAMES ?? 30));
  console.log(
    `\n## ${name} single upsert (${storeName}): ${Math.round(r.requestsPerSecond)}/s, p99 ${r.p99ms} ms, non-2xx ${r.non2xx}, ` +
      `server CPU ${before === undefined ? '?' : ((after! - before) / requests).toFixed(3)} ms/request`,
  );
  console.log('self:');
  for (const f of top.self) console.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.frame}`);
  console.log('total:');
  for (const f of top.total)
    console.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.frame}`);
  world.remove();
  await pg?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
