// A worker thread that builds one company's insights on its own connection (read-only on SQLite), so a
// build over a large history never holds the server's event loop. Started by `buildInWorker`.
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../../schema/database.ts';
import { databaseFileName } from '../store/sqlite/db.ts';
import { openPostgres } from '../store/postgres/open.ts';
import { buildInsights } from './insights-build.ts';

const { dataDir, databaseUrl, companyId, now } = workerData as {
  dataDir: string;
  databaseUrl: string | undefined;
  companyId: string;
  now: string;
};
const db = databaseUrl
  ? openPostgres(databaseUrl, 1)
  : new Kysely<Database>({
      dialect: new SqliteDialect({
        database: new SQLite(path.join(dataDir, databaseFileName), { readonly: true }),
      }),
    });
try {
  const built = await buildInsights({ db, clock: { now: () => new Date(now) } }, { companyId });
  parentPort!.postMessage({ ok: true, built });
} catch (error) {
  parentPort!.postMessage({
    ok: false,
    message: error instanceof Error ? error.message : String(error),
  });
} finally {
  await db.destroy();
}
