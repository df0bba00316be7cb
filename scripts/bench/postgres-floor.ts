import pg from 'pg';
import { floorDeal, floorDealsPerCommit, floorStatements, numbered } from './floor-deal.ts';

/**
 * The floor under a batch upsert on PostgreSQL: the rows one new deal writes (floor-deal.ts)
 * inserted into the real schema of `url` (a migrated database with the bench companies) through
 * bare `pg`, statements prepared once per connection (`name`), 100 deals a transaction, on
 * `pool` connections at once as the server's pool would run them. No HTTP, validation, access
 * checks, hashing, duplicate search or write lock: what PostgreSQL and the disk allow. Deals
 * written per second.
 */
export async function postgresFloor(url: string, pool: number, seconds: number): Promise<number> {
  const db = new pg.Pool({ connectionString: url, max: pool });
  try {
    const { rows } = await db.query<{ id: string; seq: number }>(
      `select (select id from companies order by slug limit 1) as id,
       (select coalesce(max(seq), 0)::int from ledger_events) as seq`,
    );
    const company = rows[0]!.id;
    // No chain to keep, so connections need no lock, only distinct sequence numbers.
    let seq = rows[0]!.seq;
    let next = 0;
    let written = 0;
    const start = performance.now();
    const until = start + seconds * 1000;
    const connection = async () => {
      const client = await db.connect();
      try {
        while (performance.now() < until) {
          const at = new Date().toISOString();
          await client.query('begin');
          for (let k = 0; k < floorDealsPerCommit; k++) {
            for (const [statement, values] of floorDeal(company, next++, at, () => ++seq))
              await client.query({
                name: `floor_${statement}`,
                text: numbered(floorStatements[statement]),
                values,
              });
          }
          await client.query('commit');
          written += floorDealsPerCommit;
        }
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: pool }, connection));
    return written / ((performance.now() - start) / 1000);
  } finally {
    await db.end();
  }
}
