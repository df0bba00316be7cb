import type { Executor } from '../store/db.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import type { AccountInput, OverlapLevel } from '../../shared/accounts/account-input.ts';

export async function upsertAccounts(
  db: Executor,
  scope: CompanyScope,
  input: { accounts: AccountInput[]; at: string },
): Promise<void> {
  for (let i = 0; i < input.accounts.length; i += 200) {
    const rows = input.accounts.slice(i, i + 200).map((a) => ({
      company_id: scope.companyId,
      domain: a.domain,
      name: a.name,
      status: a.status,
      segment: a.segment ?? null,
      industry: a.industry ?? null,
      region: a.region ?? null,
      updated_at: input.at,
    }));
    await db
      .insertInto('accounts')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['company_id', 'domain']).doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          status: eb.ref('excluded.status'),
          segment: eb.ref('excluded.segment'),
          industry: eb.ref('excluded.industry'),
          region: eb.ref('excluded.region'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function deleteAllAccounts(db: Executor, scope: CompanyScope): Promise<void> {
  await db.deleteFrom('accounts').where('company_id', '=', scope.companyId).execute();
}

export async function countAccounts(
  db: Executor,
  scope: CompanyScope,
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('accounts')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('company_id', '=', scope.companyId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function setRule(
  db: Executor,
  scope: CompanyScope,
  input: { partnerId: string; level: OverlapLevel; at: string },
): Promise<void> {
  await db
    .insertInto('overlap_rules')
    .values({
      owner_id: scope.companyId,
      partner_id: input.partnerId,
      level: input.level,
      updated_at: input.at,
    })
    .onConflict((oc) =>
      oc
        .columns(['owner_id', 'partner_id'])
        .doUpdateSet({ level: input.level, updated_at: input.at }),
    )
    .execute();
}

/** What `owner` lets `viewer` see; no rule means nothing. */
export async function ruleFor(
  db: Executor,
  input: { ownerId: string; viewerId: string },
): Promise<OverlapLevel> {
  const row = await db
    .selectFrom('overlap_rules')
    .select('level')
    .where('owner_id', '=', input.ownerId)
    .where('partner_id', '=', input.viewerId)
    .executeTakeFirst();
  return row?.level ?? 'none';
}

/** The accounts both companies hold, by normalised domain, with each side's status. */
export async function overlapping(db: Executor, input: { mine: string; theirs: string }) {
  return db
    .selectFrom('accounts as m')
    .innerJoin('accounts as t', (j) =>
      j.onRef('t.domain', '=', 'm.domain').on('t.company_id', '=', input.theirs),
    )
    .select([
      'm.domain',
      'm.name',
      'm.status as myStatus',
      't.name as theirName',
      't.status as theirStatus',
      't.segment as theirSegment',
      't.industry as theirIndustry',
    ])
    .where('m.company_id', '=', input.mine)
    .orderBy('m.domain')
    .execute();
}
