import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.ts';

// A running server keeps verified tokens in a cache and must hear of any change that bears on
// them, whoever commits it (the CLI, another instance). SQLite tells every connection through
// `data_version`; PostgreSQL has no such counter, so these tables notify `tandem_tokens` on every
// committed change, and the server listens. Nothing to do on SQLite.
const tables = ['members', 'api_clients', 'signing_keys', 'revoked_tokens'];

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create function tandem_notify_tokens() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tandem_tokens', tg_table_name);
      return null;
    end $$`.execute(db);
  for (const table of tables)
    await sql`create trigger ${sql.raw(`${table}_notify_tokens`)}
      after insert or update or delete on ${sql.table(table)}
      for each statement execute function tandem_notify_tokens()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const table of tables)
    await sql`drop trigger ${sql.raw(`${table}_notify_tokens`)} on ${sql.table(table)}`.execute(db);
  await sql`drop function tandem_notify_tokens()`.execute(db);
}
