import { sql } from 'kysely';
import type { Db, Executor } from '../store/db.ts';
import { LeaseLost, type Leases } from './leases.ts';

/**
 * Leases as rows of `cluster_leases`, timed by the database's clock (never the instances', which
 * may disagree). Taking a lease is one upsert that succeeds only for its holder or once it has
 * lapsed, raising the epoch when the holder changes.
 */
export class PgLeases implements Leases {
  constructor(
    private readonly db: Db,
    private readonly holder: string,
  ) {}

  async acquire(name: string, ttlMs: number): Promise<number | null> {
    const { rows } = await sql<{ epoch: number }>`
      insert into cluster_leases (name, holder, epoch, expires_at)
      values (${name}, ${this.holder}, 1, clock_timestamp() + ${ttlMs} * interval '1 millisecond')
      on conflict (name) do update set
        epoch = case when cluster_leases.holder = excluded.holder
                     then cluster_leases.epoch else cluster_leases.epoch + 1 end,
        holder = excluded.holder,
        expires_at = excluded.expires_at
      where cluster_leases.holder = excluded.holder or cluster_leases.expires_at < clock_timestamp()
      returning epoch`.execute(this.db);
    return rows[0]?.epoch ?? null;
  }

  async fence(trx: Executor, name: string, epoch: number): Promise<void> {
    const { rows } = await sql<{ epoch: number }>`
      select epoch from cluster_leases
      where name = ${name} and holder = ${this.holder} and epoch = ${epoch}
        and expires_at > clock_timestamp()
      for share`.execute(trx);
    if (rows.length === 0) throw new LeaseLost(name);
  }

  async release(name: string): Promise<void> {
    await sql`delete from cluster_leases where name = ${name} and holder = ${this.holder}`.execute(
      this.db,
    );
  }
}
