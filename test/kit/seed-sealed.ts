import type { Deps } from '../../server/deps.ts';
import { bulkLoad } from '../../server/store/bulk-load.ts';

const at = '2026-01-01T00:00:00.000Z';
// Versions per write: 2,000 bind 22,000 parameters in one statement, under SQLite's 32,766 and
// PostgreSQL's 65,535, and each write stays far from the watchdog.
const batch = 2_000;

/**
 * Writes `count` sealed attribution versions (numbered from `from`) straight into the tables (no
 * ledger events), on whichever store the server uses, through its write queue: a way to measure
 * and test the export at sizes the API would take hours to produce. Every row copies one real
 * sealed record, with close dates spread over 2026, and makes each of `companyIds` a party.
 */
export async function seedSealedRecords(
  deps: Deps<'db' | 'writes'>,
  input: {
    dealId: string;
    companyIds: string[];
    statement: string;
    record: string;
    from: number;
    count: number;
  },
): Promise<void> {
  const end = input.from + input.count;
  // On SQLite, one sync at the end instead of one per write: a crash mid-seed loses only test data.
  await bulkLoad(deps.db, async () => {
    for (let start = input.from; start < end; start += batch) {
      const ids = Array.from({ length: Math.min(batch, end - start) }, (_, k) => start + k);
      const versions = ids.map((i) => ({
        id: `atv_seed_${String(i).padStart(8, '0')}`,
        deal_id: input.dealId,
        version: 1_000_000 + i,
        status: 'sealed' as const,
        close_date: new Date(Date.UTC(2026, 0, 1 + (i % 365))).toISOString().slice(0, 10),
        statement: input.statement,
        statement_hash: 'seeded',
        proposed_by: input.companyIds[0]!,
        proposed_at: at,
        sealed_at: at,
        record: input.record,
      }));
      const parties = versions.flatMap((v) =>
        input.companyIds.map((companyId) => ({
          version_id: v.id,
          company_id: companyId,
          signed_at: at,
        })),
      );
      await deps.writes.run(async (trx) => {
        await trx.insertInto('attribution_versions').values(versions).execute();
        await trx.insertInto('attribution_parties').values(parties).execute();
      });
    }
  });
}
