import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.ts';

// Several instances on one PostgreSQL: the database itself tells every instance, in the
// transaction that makes the change (heard only once it commits), that a deal's document gained
// stored updates (`tandem_docs`) or that who takes part in a deal changed (`tandem_access`); the
// payload is the deal id. Work that runs once per cluster holds a lease, a row here timed by the
// database's clock. A lone SQLite instance needs none of it.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create table cluster_leases (
    name text primary key,
    holder text not null,
    epoch bigint not null,
    expires_at timestamptz not null
  )`.execute(db);
  await sql`create function tandem_notify_docs() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tandem_docs', new.deal_id);
      return null;
    end $$`.execute(db);
  await sql`create trigger deal_doc_updates_notify after insert on deal_doc_updates
    for each row execute function tandem_notify_docs()`.execute(db);
  await sql`create function tandem_notify_access() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tandem_access', coalesce(new.opportunity_id, old.opportunity_id));
      return null;
    end $$`.execute(db);
  await sql`create trigger opportunity_participants_notify
    after insert or update or delete on opportunity_participants
    for each row execute function tandem_notify_access()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`drop trigger opportunity_participants_notify on opportunity_participants`.execute(db);
  await sql`drop function tandem_notify_access()`.execute(db);
  await sql`drop trigger deal_doc_updates_notify on deal_doc_updates`.execute(db);
  await sql`drop function tandem_notify_docs()`.execute(db);
  await sql`drop table cluster_leases`.execute(db);
}
