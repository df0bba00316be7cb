import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../../client/sdk/tandem-client.ts';
import { startTestServer, type TestServer } from '../../test/kit/harness.ts';
import { verifyLedger } from './ledger-verify.ts';

// Many API callers writing at once, over real HTTP, on the run's store: one hash chain must come
// out, holding every write that was acknowledged, with no gap or repeat in either numbering.
const writers = 16;
const slugs = ['acme', 'globex', 'initech'] as const;

let server: TestServer;
let ids: Record<(typeof slugs)[number], string>;
let callers: { api: TandemClient; slug: (typeof slugs)[number] }[];

beforeAll(async () => {
  server = await startTestServer();
  const companies = await Promise.all(slugs.map((s) => server.company(s)));
  ids = Object.fromEntries(companies.map((c) => [c.slug, c.id])) as typeof ids;
  for (const [i, j] of [
    [0, 1],
    [0, 2],
    [1, 2],
  ] as const) {
    const p = await server
      .client(await companies[i]!.memberToken('admin'))
      .partnerships.invite.mutate({ partner: slugs[j], partnerType: 'service' });
    await server
      .client(await companies[j]!.memberToken('admin'))
      .partnerships.accept.mutate({ partnershipId: p.id });
  }
  callers = await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const slug = slugs[w % slugs.length]!;
      const company = companies[w % slugs.length]!;
      return { api: server.client(await company.memberToken('alliance')), slug };
    }),
  );
});
afterAll(() => server.stop());

type Op =
  | { kind: 'create' }
  | { kind: 'update'; pick: number; amount: number }
  | { kind: 'share'; pick: number; partner: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ kind: 'create' as const }),
  fc.record({
    kind: fc.constant('update' as const),
    pick: fc.nat(),
    amount: fc.integer({ min: 1, max: 10_000_000 }),
  }),
  fc.record({ kind: fc.constant('share' as const), pick: fc.nat(), partner: fc.nat(1) }),
);

/** What the API acknowledged, per deal: the title it last set, and the partners it invited. */
interface Acked {
  title: string;
  updates: number;
  invited: Set<string>;
}

/** One caller's writes, one after the other; each deal is written only by the caller that made it. */
async function runWriter(
  w: number,
  ops: Op[],
  run: number,
  acked: Map<string, Acked>,
): Promise<void> {
  const { api, slug } = callers[w]!;
  const mine: string[] = [];
  for (const [n, op] of ops.entries()) {
    const title = `r${run} w${w} #${n}`;
    if (op.kind === 'create' || mine.length === 0) {
      const deal = await api.opportunities.create.mutate({
        fields: { title, customer: { name: `Customer ${title}` }, amountMinor: 1, currency: 'EUR' },
      });
      mine.push(deal.id);
      acked.set(deal.id, { title, updates: 0, invited: new Set() });
      continue;
    }
    const id = mine[op.pick % mine.length]!;
    const deal = acked.get(id)!;
    if (op.kind === 'update') {
      await api.opportunities.update.mutate({ id, patch: { title, amountMinor: op.amount } });
      deal.title = title;
      deal.updates++;
    } else {
      const partner = slugs.filter((s) => s !== slug)[op.partner]!;
      await api.opportunities.share.mutate({ id, partner, role: 'co_seller' });
      deal.invited.add(ids[partner]);
    }
  }
}

describe('the ledger under concurrent writers', () => {
  it('keeps one verified chain with every acknowledged write, whatever the mix', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 10, maxLength: 15 }), {
          minLength: writers,
          maxLength: writers,
        }),
        async (plans) => {
          run++;
          const acked = new Map<string, Acked>();
          await Promise.all(plans.map((ops, w) => runWriter(w, ops, run, acked)));
          const db = server.deps.db;

          const seqs = (
            await db.selectFrom('ledger_events').select('seq').orderBy('seq').execute()
          ).map((r) => r.seq);
          expect(seqs).toEqual(seqs.map((_, i) => i + 1));
          expect(await verifyLedger(db)).toMatchObject({ ok: true, events: seqs.length });

          const chains = await db
            .selectFrom('ledger_events')
            .select(['deal_id', 'deal_seq', 'type', 'data'])
            .where('deal_id', 'in', [...acked.keys()])
            .orderBy('deal_id')
            .orderBy('seq')
            .execute();
          const rows = await db
            .selectFrom('opportunities')
            .select(['id', 'title'])
            .where('id', 'in', [...acked.keys()])
            .execute();
          const invited = await db
            .selectFrom('opportunity_participants')
            .select(['opportunity_id', 'company_id'])
            .where('opportunity_id', 'in', [...acked.keys()])
            .where('status', '=', 'invited')
            .execute();
          expect(rows).toHaveLength(acked.size);
          for (const [id, deal] of acked) {
            const events = chains.filter((e) => e.deal_id === id);
            expect(events.map((e) => e.deal_seq)).toEqual(events.map((_, i) => i + 1));
            expect(events[0]?.type).toBe('opportunity.created');
            expect(events.filter((e) => e.type === 'opportunity.updated')).toHaveLength(
              deal.updates,
            );
            expect(rows.find((r) => r.id === id)?.title).toBe(deal.title);
            expect(
              new Set(invited.filter((p) => p.opportunity_id === id).map((p) => p.company_id)),
            ).toEqual(deal.invited);
          }
        },
      ),
      { numRuns: 5 },
    );
  }, 120_000);
});
