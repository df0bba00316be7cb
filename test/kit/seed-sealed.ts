import path from 'node:path';
import SQLite from 'better-sqlite3';
import { databaseFileName } from '../../server/store/sqlite/db.ts';

/**
 * Writes `count` sealed attribution versions (numbered from `from`) straight into the tables (no ledger events): a way to
 * measure and test the export at sizes the API would take hours to produce. Every row copies one
 * real sealed record, with close dates spread over 2026, and makes `companyId` a party.
 */
export function seedSealedRecords(
  dataDir: string,
  input: {
    dealId: string;
    companyIds: string[];
    statement: string;
    record: string;
    from: number;
    count: number;
  },
): void {
  const sqlite = new SQLite(path.join(dataDir, databaseFileName));
  sqlite.pragma('journal_mode = WAL');
  const version = sqlite.prepare(
    `insert into attribution_versions (id, deal_id, version, status, close_date, statement, statement_hash, proposed_by, proposed_at, sealed_at, record)
     values (?, ?, ?, 'sealed', ?, ?, 'seeded', ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ?)`,
  );
  const party = sqlite.prepare(
    `insert into attribution_parties (version_id, company_id, signed_at) values (?, ?, '2026-01-01T00:00:00.000Z')`,
  );
  const insertChunk = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `atv_seed_${String(i).padStart(8, '0')}`;
      const day = new Date(Date.UTC(2026, 0, 1 + (i % 365))).toISOString().slice(0, 10);
      version.run(
        id,
        input.dealId,
        1_000_000 + i,
        day,
        input.statement,
        input.companyIds[0],
        input.record,
      );
      for (const companyId of input.companyIds) party.run(id, companyId);
    }
  });
  const end = input.from + input.count;
  for (let i = input.from; i < end; i += 50_000) insertChunk(i, Math.min(end, i + 50_000));
  sqlite.close();
}
