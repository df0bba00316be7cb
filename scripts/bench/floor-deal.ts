import { randomBytes } from 'node:crypto';
import { benchDealFields } from './bench-deal.ts';

/**
 * The rows one new deal writes, as both floors insert them (sqlite-floor.ts, postgres-floor.ts):
 * two ledger events, the deal, its originator's participation, the caller's ref. The statements
 * use `?` placeholders; `numbered` spells them `$1…` for PostgreSQL.
 */
export const floorStatements = {
  event: `insert into ledger_events (seq, deal_id, deal_seq, type, actor_company_id, actor_kind,
    actor_id, private_to, at, data, prev_hash, deal_prev_hash, hash)
    values (?, ?, ?, ?, ?, 'client', 'cli_bench', ?, ?, ?, ?, ?, ?)`,
  deal: `insert into opportunities (id, originator_id, title, customer_name, customer_domain,
    customer_country, customer_segment, customer_industry, amount_minor, currency, stage, status,
    expected_close_date, products, motion, help_requested, contacts, notes, version, created_at,
    updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, '[]', '[]', '', 1, ?, ?)`,
  participant: `insert into opportunity_participants (opportunity_id, company_id, role, status,
    invited_at, responded_at, first_deal, last_confirmed_at)
    values (?, ?, 'originator', 'accepted', ?, ?, 0, ?)`,
  ref: 'insert into opportunity_refs (company_id, external_ref, opportunity_id) values (?, ?, ?)',
} as const;

export type FloorStatement = keyof typeof floorStatements;

/** `sql` with its `?` placeholders numbered `$1, $2, …` (none of the statements quote a `?`). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

// The floors write no chain: random hashes of the real length cost what hashing would store.
const hash = () => randomBytes(32).toString('hex');

/**
 * The statements and values for the `n`-th floor deal of `company`, in the order the server
 * writes them; `seq` hands out ledger sequence numbers. The deals are the upsert benchmark's.
 */
export function floorDeal(
  company: string,
  n: number,
  at: string,
  seq: () => number,
): [FloorStatement, unknown[]][] {
  const f = benchDealFields('F', n);
  const id = `opp_floor_${n}`;
  const c = f.customer;
  return [
    [
      'deal',
      [id, company, f.title, c.name, c.domain, c.country, c.segment, c.industry, f.amountMinor]
        .concat([f.currency, f.stage, f.expectedCloseDate, JSON.stringify(f.products), f.motion])
        .concat([at, at]),
    ],
    ['participant', [id, company, at, at, at]],
    [
      'event',
      [seq(), id, 1, 'opportunity.created', company, null, at].concat([
        JSON.stringify({ originatorId: company, fields: f }),
        hash(),
        hash(),
        hash(),
      ]),
    ],
    ['ref', [company, `F-${n}`, id]],
    [
      'event',
      [seq(), id, 2, 'opportunity.ref_set', company, company, at].concat([
        JSON.stringify({ externalRef: `F-${n}` }),
        hash(),
        hash(),
        hash(),
      ]),
    ],
  ];
}

/** Deals a commit in both floors, as the batch loads send them. */
export const floorDealsPerCommit = 100;
