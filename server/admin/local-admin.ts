import { openDeps } from '../main.ts';
import type { AppDeps } from '../deps.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../core/logger.ts';

/**
 * Runs an operator's command directly against the data directory (no server needed): the way
 * the first company and admin are made, since no default admin exists. Logs go to stderr.
 */
export async function withLocalDeps<T>(
  dataDir: string | undefined,
  fn: (deps: AppDeps) => Promise<T>,
): Promise<T> {
  const env = dataDir ? { ...process.env, TANDEM_DATA_DIR: dataDir } : process.env;
  const config = loadConfig(env);
  // Quiet by default: the CLI's own output is what the operator reads.
  const level = env.LOG_LEVEL ? config.logLevel : 'warn';
  const deps = await openDeps(config, { logger: createLogger(level, 2) });
  try {
    return await fn(deps);
  } finally {
    await deps.db.destroy();
  }
}
