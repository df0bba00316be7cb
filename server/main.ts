import { seedDemoIfEmpty } from './demo/seed-demo.ts';
import { partners, vendor } from './demo/demo-world.ts';
import { openDeps, startServer } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './core/logger.ts';
import { MasterKeyError } from './tenants/keys/master-key.ts';
import { MigrationError } from '../schema/migrator.ts';

/** The composition root: `npm start`. Configuration from the environment; see the README. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const seeded = config.demo
    ? await seedDemoIfEmpty((clock) => openDeps(config, { logger, clock }), logger)
    : false;
  const running = await startServer(config, { logger });
  if (seeded) printDemoBanner(config);
  const stop = (signal: NodeJS.Signals) => {
    running.deps.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        running.deps.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** How to get in, for a person who just ran `npm start` (stderr: stdout carries the JSON logs). */
function printDemoBanner(config: Config): void {
  const slugs = [vendor.slug, ...partners.map((p) => p.slug)].join(', ');
  process.stderr.write(
    [
      '',
      `Tandem is running at ${config.publicUrl} with a demo (set TANDEM_DEMO=0 on an empty data directory to skip it).`,
      'Sign in with a token minted for a demo member (valid up to 1 h):',
      `  TOKEN=$(npx tandem token --company ${vendor.slug} --member alliance@${vendor.slug}.example)`,
      `  curl -H "authorization: Bearer $TOKEN" '${config.publicUrl}/api/v1/opportunities?limit=5'`,
      `Companies: ${slugs}. Members: admin|alliance|seller|finance@<company>.example.`,
      `API: ${config.publicUrl}/api/v1/openapi.json (REST), ${config.publicUrl}/trpc (tRPC).`,
      '',
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  const known =
    error instanceof ConfigError ||
    error instanceof MasterKeyError ||
    error instanceof MigrationError;
  const listen = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  if (known) console.error(`tandem: ${error.message}`);
  else if (listen)
    console.error('tandem: the port is in use; set PORT to a free one (PORT=0 picks any)');
  else console.error('tandem: failed to start:', error);
  process.exit(known || listen ? 2 : 1);
});
