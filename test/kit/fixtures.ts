import type { PartnerType } from '../../shared/tenancy/tenancy.ts';
import type { TestCompany, TestServer } from './harness.ts';

/** acme and globex as active partners, each with a client acting as a member of the given role. */
export async function partnerPair(
  server: TestServer,
  input: { type?: PartnerType; role?: 'admin' | 'alliance' } = {},
) {
  const acme: TestCompany = await server.company('acme');
  const globex: TestCompany = await server.company('globex');
  const a = server.client(await acme.memberToken(input.role ?? 'alliance'));
  const b = server.client(await globex.memberToken(input.role ?? 'alliance'));
  const p = await a.partnerships.invite.mutate({
    partner: 'globex',
    partnerType: input.type ?? 'reseller',
  });
  await b.partnerships.accept.mutate({ partnershipId: p.id });
  return { acme, globex, a, b };
}

export type PartnerPair = Awaited<ReturnType<typeof partnerPair>>;

/** A deal of acme's shared with globex, which accepted it: what a deal room needs. Its id. */
export async function sharedDeal(
  pair: PartnerPair,
  title: string,
  fields: {
    customer?: { name: string; domain?: string };
    amountMinor?: number;
    currency?: string;
  } = {},
): Promise<string> {
  const deal = await pair.a.opportunities.create.mutate({
    fields: {
      title,
      customer: fields.customer ?? { name: 'Initech', domain: 'initech.example' },
      amountMinor: fields.amountMinor ?? 500_000,
      currency: fields.currency ?? 'EUR',
    },
    shareWith: [{ partner: 'globex', role: 'co_seller' }],
  });
  await pair.b.opportunities.accept.mutate({ id: deal.id });
  return deal.id;
}

/**
 * Two active partners and a won deal between them whose attribution both have signed (version 1,
 * 50/50 by default): the smallest world in which a sealed record exists.
 */
export async function sealedDeal(
  server: TestServer,
  input: { amountMinor?: number; currency?: string; closeDate?: string } = {},
) {
  const { acme, globex, a, b } = await partnerPair(server, { role: 'admin' });
  const deal = await a.opportunities.create.mutate({
    fields: {
      title: 'Sealed deal',
      customer: { name: 'Initech' },
      amountMinor: input.amountMinor ?? 1_000_000,
      currency: input.currency ?? 'EUR',
      stage: 'won',
      closeDate: input.closeDate ?? '2026-03-01',
    },
    shareWith: [{ partner: 'globex', role: 'co_seller' }],
  });
  await b.opportunities.accept.mutate({ id: deal.id });
  await a.attribution.propose.mutate({
    dealId: deal.id,
    splits: [
      { companyId: acme.id, kind: 'sourced', bps: 5000 },
      { companyId: globex.id, kind: 'influenced', bps: 5000 },
    ],
  });
  await a.attribution.sign.mutate({ dealId: deal.id, version: 1 });
  await b.attribution.sign.mutate({ dealId: deal.id, version: 1 });
  const row = await server.deps.db
    .selectFrom('attribution_versions')
    .select(['statement', 'record'])
    .where('deal_id', '=', deal.id)
    .executeTakeFirstOrThrow();
  return { acme, globex, dealId: deal.id, statement: row.statement, record: row.record! };
}
