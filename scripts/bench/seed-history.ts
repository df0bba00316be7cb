import path from 'node:path';
import SQLite from 'better-sqlite3';
import { databaseFileName } from '../../server/store/sqlite/db.ts';
import { partnerTypes } from '../../shared/tenancy/tenancy.ts';
import { segments } from '../../shared/opportunities/opportunity-fields.ts';
import { seededRandom } from '../../shared/random/seeded-random.ts';

const day = 86_400_000;

/**
 * Writes `partners` active partners of `vendorId` and `deals` of its deals straight into the tables
 * (no ledger events): a history at the size the issue names, in seconds rather than the hours the
 * API would take. Each partner has a true win rate per segment; 80 % of deals are closed, 20 % open,
 * a fifth without a partner.
 */
export function seedHistory(
  dataDir: string,
  input: { vendorId: string; partners: number; deals: number; seed: number; now: number },
): { partnerIds: string[] } {
  const rnd = seededRandom(input.seed);
  const sqlite = new SQLite(path.join(dataDir, databaseFileName));
  sqlite.pragma('journal_mode = WAL');
  const at = new Date(input.now).toISOString();
  const company = sqlite.prepare(
    `insert into companies (id, slug, name, created_at) values (?, ?, ?, ?)`,
  );
  const partnership = sqlite.prepare(
    `insert into partnerships (id, inviter_id, invitee_id, partner_type, tier, status, created_at)
     values (?, ?, ?, ?, 'gold', 'active', ?)`,
  );
  const deal = sqlite.prepare(
    `insert into opportunities (id, originator_id, title, customer_name, customer_domain, customer_country,
       customer_segment, customer_industry, amount_minor, currency, stage, status, close_date, lost_reason,
       products, motion, help_requested, contacts, notes, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?, ?, '[]', ?, '[]', '[]', '', 1, ?, ?)`,
  );
  const participant = sqlite.prepare(
    `insert into opportunity_participants (opportunity_id, company_id, role, status, invited_at, first_deal)
     values (?, ?, ?, 'accepted', ?, 0)`,
  );
  const partnerIds: string[] = [];
  const truth: number[][] = [];
  sqlite.transaction(() => {
    for (let p = 0; p < input.partners; p++) {
      const id = `cmp_bench_${String(p).padStart(4, '0')}`;
      company.run(id, `bench-partner-${p}`, `Bench partner ${p}`, at);
      partnership.run(
        `prt_bench_${p}`,
        input.vendorId,
        id,
        partnerTypes[p % partnerTypes.length],
        at,
      );
      partnerIds.push(id);
      truth.push(segments.map(() => 0.15 + rnd.next() * 0.45));
    }
  })();
  const motions = ['co_sell', 'resell', 'referral', 'marketplace'];
  const insertChunk = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `opp_bench_${String(i).padStart(7, '0')}`;
      const s = rnd.int(0, segments.length - 1);
      // A few partners bring most deals (the usual concentration): square of a uniform draw.
      const p = rnd.next() < 0.2 ? -1 : Math.floor(rnd.next() ** 2 * input.partners);
      const created = input.now - rnd.int(1, 720) * day;
      const closedAt = created + rnd.int(20, 200) * day;
      const open = closedAt > input.now || rnd.next() < 0.05;
      const won = !open && rnd.next() < (p >= 0 ? truth[p]![s]! : 0.25);
      const status = open ? 'open' : won ? 'won' : 'lost';
      const createdIso = new Date(created).toISOString();
      deal.run(
        id,
        input.vendorId,
        `Bench deal ${i}`,
        `Customer ${i}`,
        `customer${i % 50_000}.example`,
        rnd.pick(['US', 'DE', 'GB', 'FR']),
        segments[s],
        rnd.pick(['Finance', 'Retail', 'Healthcare', 'Manufacturing']),
        rnd.int(1_000, 200_000) * 100,
        open ? 'qualified' : status,
        status,
        open ? null : new Date(closedAt).toISOString().slice(0, 10),
        won || open ? null : 'price',
        rnd.pick(motions),
        createdIso,
        createdIso,
      );
      participant.run(id, input.vendorId, 'originator', createdIso);
      if (p >= 0) participant.run(id, partnerIds[p], 'co_seller', createdIso);
    }
  });
  for (let i = 0; i < input.deals; i += 20_000) insertChunk(i, Math.min(input.deals, i + 20_000));
  sqlite.close();
  return { partnerIds };
}
