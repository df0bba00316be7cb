import fs from 'node:fs';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../schema/migrator.ts';
import type { Db } from '../store/db.ts';
import { openDatabase } from '../store/sqlite/db.ts';
import { tempDataDir } from '../../test/kit/harness.ts';
import { LedgerWriter } from './ledger-writer.ts';
import { verifyLedger } from './ledger-verify.ts';

let dir: string;
let db: Db;
beforeAll(async () => {
  dir = tempDataDir();
  db = openDatabase(dir);
  await migrateToLatest(db);
});
afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const actor = { companyId: 'co_a', kind: 'member' as const, id: 'mem_a' };
const eventArb = fc.record({
  deal: fc.constantFrom('opp_1', 'opp_2', 'opp_3', null),
  type: fc.constantFrom('opportunity.updated', 'step.added', 'participant.accepted'),
  data: fc.dictionary(
    fc.string({ maxLength: 5 }),
    fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.boolean()),
  ),
});
const tamperArb = fc.constantFrom('data', 'at', 'actor', 'type', 'delete', 'swap');

async function reset(): Promise<void> {
  await sql`delete from ledger_events`.execute(db);
}

async function append(
  events: { deal: string | null; type: string; data: unknown }[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const writer = new LedgerWriter(trx, '2026-11-25T00:00:00.000Z');
    for (const e of events)
      await writer.append({ dealId: e.deal, type: e.type, actor, data: e.data });
  });
}

describe('the ledger hash chain', () => {
  it('verifies any sequence of appended events, across several transactions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(eventArb, { minLength: 1, maxLength: 8 }), {
          minLength: 1,
          maxLength: 4,
        }),
        async (batches) => {
          await reset();
          for (const batch of batches) await append(batch);
          const result = await verifyLedger(db);
          expect(result).toMatchObject({ ok: true, events: batches.flat().length });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('names the first broken link after any single edit, deletion or reordering of stored rows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 3, maxLength: 12 }),
        fc.nat(),
        tamperArb,
        async (events, pick, tamper) => {
          await reset();
          await append(events);
          const seq = (pick % (events.length - 1)) + 1; // 1 .. n-1, so a 'swap' has a next row
          switch (tamper) {
            case 'data':
              await sql`update ledger_events set data = ${JSON.stringify({ forged: true })} where seq = ${seq}`.execute(
                db,
              );
              break;
            case 'at':
              await sql`update ledger_events set at = '2020-01-01T00:00:00.000Z' where seq = ${seq}`.execute(
                db,
              );
              break;
            case 'actor':
              await sql`update ledger_events set actor_company_id = 'co_mallory' where seq = ${seq}`.execute(
                db,
              );
              break;
            case 'type':
              await sql`update ledger_events set type = 'opportunity.created' where seq = ${seq}`.execute(
                db,
              );
              break;
            case 'delete':
              await sql`delete from ledger_events where seq = ${seq}`.execute(db);
              break;
            case 'swap': // swap two rows' contents, keeping their seqs: a reordering
              await sql`update ledger_events set seq = -1 where seq = ${seq}`.execute(db);
              await sql`update ledger_events set seq = ${seq} where seq = ${seq + 1}`.execute(db);
              await sql`update ledger_events set seq = ${seq + 1} where seq = -1`.execute(db);
              break;
          }
          const result = await verifyLedger(db);
          expect(result.ok).toBe(false);
          expect(result.broken?.seq).toBe(tamper === 'delete' ? seq + 1 : seq);
          expect(result.events).toBe(seq - 1);
        },
      ),
      { numRuns: 60 },
    );
  });
});
