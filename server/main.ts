import { startServer } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { MasterKeyError } from './tenants/keys/master-key.ts';
import { MigrationError } from '../schema/migrator.ts';

/** The composition root: `npm start`. Configuration from the environment; see the README. */
async function main(): Promise<void> {
  const running = await startServer(loadConfig());
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
