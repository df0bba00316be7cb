// `npm run cluster -- --instances 3`: several Tandem instances on one PostgreSQL database behind a
// local round-robin proxy, to try multi-instance behaviour on one machine. Ctrl-C stops them all.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../bench/processes.ts';
import { startInstance, type Instance } from './instance.ts';
import { startProxy } from './proxy.ts';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '3' },
    port: { type: 'string', default: process.env.PORT ?? '4100' },
    compiled: { type: 'boolean', default: false },
  },
});
const count = Number(values.instances);
const databaseUrl = process.env.TANDEM_DATABASE_URL;
if (!Number.isInteger(count) || count < 1 || count > 16) {
  console.error('cluster: --instances takes a number from 1 to 16');
  process.exit(2);
}
if (!databaseUrl) {
  // SQLite is one process's file: instances only share state through one PostgreSQL database.
  console.error(
    'cluster: set TANDEM_DATABASE_URL=postgres://… (the database every instance shares), e.g.\n' +
      '  TANDEM_DATABASE_URL=postgres://user@127.0.0.1:5432/tandem npm run cluster -- --instances 3',
  );
  process.exit(2);
}

const proxyHost = process.env.HOST ?? '127.0.0.1';
const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
const proxy = await startProxy({ port: Number(values.port), host: proxyHost, targets: ports });
const publicUrl = process.env.TANDEM_PUBLIC_URL ?? `http://localhost:${proxy.port}`;
const env = {
  TANDEM_DATABASE_URL: databaseUrl,
  // One data directory, so one master.key (or TANDEM_MASTER_KEY, if set, for all).
  TANDEM_DATA_DIR: path.resolve(process.env.TANDEM_DATA_DIR ?? './data'),
  // Tokens name the URL clients use as their audience: the proxy's, the same on every instance.
  TANDEM_PUBLIC_URL: publicUrl,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  // Readiness turns 503 before the instance stops accepting: give the proxy's probe time to see it.
  TANDEM_DRAIN_DELAY_MS: process.env.TANDEM_DRAIN_DELAY_MS ?? '500',
};

const instances: Instance[] = [];
let stopping = false;
async function stopAll(code: number): Promise<never> {
  stopping = true;
  const deadline = setTimeout(() => instances.forEach((i) => void i.stop('SIGKILL')), 15_000);
  await Promise.all(instances.map((i) => i.stop('SIGTERM')));
  clearTimeout(deadline);
  await proxy.close();
  process.exit(code);
}
// Ctrl-C reaches the instances too (one process group); each drains, and this waits for them.
process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));

try {
  // The first instance alone: it migrates, creates master.key if there is none, and seeds the demo
  // into an empty database; the others then find all three done.
  for (const [n, port] of ports.entries()) {
    const instance = await startInstance({
      port,
      env,
      entry: values.compiled ? 'compiled' : 'sources',
      onLine: (line) => process.stderr.write(`[${n + 1}] ${line}\n`),
    });
    instances.push(instance);
    void instance.exited.then((how) => {
      if (!stopping) process.stderr.write(`cluster: instance ${n + 1} exited (${how})\n`);
    });
  }
} catch (error) {
  console.error(`cluster: ${(error as Error).message}`);
  await stopAll(1);
}

process.stderr.write(
  [
    '',
    `Tandem cluster: ${count} instance(s) on ${ports.map((p) => `127.0.0.1:${p}`).join(', ')}`,
    `Open ${publicUrl}/ (a round-robin proxy on ${proxyHost}:${proxy.port}, skipping instances whose /readyz fails).`,
    'Ctrl-C stops them all.',
    '',
  ].join('\n') + '\n',
);
