// `npm run migrate`: brings the database in TANDEM_DATA_DIR (default ./data) to the newest schema.
import { withLocalDeps } from '../server/admin/local-admin.ts';

withLocalDeps(undefined, async () => undefined).then(
  () => process.stdout.write('database is up to date\n'),
  (error: unknown) => {
    process.stderr.write(`migrate: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
