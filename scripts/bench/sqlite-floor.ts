import { randomBytes } from 'node:crypto';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { databaseFileName } from '../../server/store/sqlite/db.ts';
import { benchDealFields } from './bench-deal.ts';
import { prepareWorld } from './tandem-world.ts';

/**
 * The floor under a batch upsert on this machine: the rows one new deal writes (two ledger events,
 * the deal, its originator's participation, the caller's ref) inserted into the real schema with
 * bare better-sqlite3 statements prepared once, 100 deals a transaction, `synchronous = FULL`.
 * No HTTP, validation, access checks, hashing or duplicate search: what SQLite and the disk allow.
 * The deals are the upsert benchmark's. Deals written per second.
 */
export async function sqliteFloor(seconds: number): Promise<number> {
  const world = await prepareWorld();
  const db = new SQLite(path.join(world.dataDir, databaseFileName));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const company = db.prepare('select id from companies order by slug limit 1').pluck().get();
    const event = db.prepare(
      `insert into ledger_events (seq, deal_id, deal_seq, type, actor_company_id, actor_kind,
       actor_id, private_to, at, data, prev_hash, deal_prev_hash, hash)
       values (?, ?, ?, ?, ?, 'client', 'cli_bench', ?, ?, ?, ?, ?, ?)`,
    );
    const deal = db.prepare(
      `insert into opportunities (id, originator_id, title, customer_name, customer_domain,
       customer_country, customer_segment, customer_industry, amount_minor, currency, stage, status,
       expected_close_date, products, motion, help_requested, contacts, notes, version, created_at,
       updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, '[]', '[]', '', 1, ?, ?)`,
    );
    const participant = db.prepare(
      `insert into opportunity_participants (opportunity_id, company_id, role, status, invited_at,
       responded_at, first_deal, last_confirmed_at) values (?, ?, 'originator', 'accepted', ?, ?, 0, ?)`,
    );
    const ref = db.prepare(
      'insert into opportunity_refs (company_id, external_ref, opportunity_id) values (?, ?, ?)',
    );
    const hash = () => randomBytes(32).toString('hex');
    let seq = 0;
    let written = 0;
    const writeHundred = db.transaction(() => {
      const at = new Date().toISOString();
      for (let k = 0; k < 100; k++) {
        const n = written++;
        const f = benchDealFields('F', n);
        const id = `opp_floor_${n}`;
        const data = JSON.stringify({ originatorId: company, fields: f });
        deal.run(
          id,
          company,
          f.title,
          f.customer.name,
          f.customer.domain,
          f.customer.country,
          f.customer.segment,
          f.customer.industry,
          f.amountMinor,
          f.currency,
          f.stage,
          f.expectedCloseDate,
          JSON.stringify(f.products),
          f.motion,
          at,
          at,
        );
        participant.run(id, company, at, at, at);
        event.run(
          ++seq,
          id,
          1,
          'opportunity.created',
          company,
          null,
          at,
          data,
          hash(),
          hash(),
          hash(),
        );
        ref.run(company, `F-${n}`, id);
        event.run(
          ++seq,
          id,
          2,
          'opportunity.ref_set',
          company,
          company,
          at,
          JSON.stringify({ externalRef: `F-${n}` }),
          hash(),
          hash(),
          hash(),
        );
      }
    });
    seq = db.prepare('select coalesce(max(seq), 0) from ledger_events').pluck().get() as number;
    const start = performance.now();
    const until = start + seconds * 1000;
    while (performance.now() < until) writeHundred();
    return written / ((performance.now() - start) / 1000);
  } finally {
    db.close();
    world.remove();
  }
}
