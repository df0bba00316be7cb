import type { PartnerProfile } from '../../shared/insights/partner-profile.ts';
import type { PartnerType } from '../../shared/tenancy/tenancy.ts';
import type { Executor } from '../store/db.ts';
import type { CompanyScope } from '../tenants/principal.ts';

export async function saveProfile(
  db: Executor,
  scope: CompanyScope,
  input: { profile: PartnerProfile; at: string },
): Promise<void> {
  const p = input.profile;
  const row = {
    dimensions: JSON.stringify(p.dimensions),
    recruit: p.thresholds.recruit,
    nurture: p.thresholds.nurture,
    target_segments: JSON.stringify(p.targetSegments),
    capacity_target: p.capacityTarget,
    updated_at: input.at,
  };
  await db
    .insertInto('partner_profiles')
    .values({ company_id: scope.companyId, partner_type: p.partnerType, ...row })
    .onConflict((oc) => oc.columns(['company_id', 'partner_type']).doUpdateSet(row))
    .execute();
}

export async function listProfiles(db: Executor, scope: CompanyScope): Promise<PartnerProfile[]> {
  const rows = await db
    .selectFrom('partner_profiles')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .orderBy('partner_type')
    .execute();
  return rows.map((r) => ({
    partnerType: r.partner_type,
    dimensions: JSON.parse(r.dimensions) as PartnerProfile['dimensions'],
    thresholds: { recruit: r.recruit, nurture: r.nurture },
    targetSegments: JSON.parse(r.target_segments) as PartnerProfile['targetSegments'],
    capacityTarget: r.capacity_target,
  }));
}

export async function saveValues(
  db: Executor,
  scope: CompanyScope,
  input: { subjectId: string; values: Record<string, number | null>; at: string },
): Promise<void> {
  for (const [dimension, value] of Object.entries(input.values)) {
    const key = { company_id: scope.companyId, subject_id: input.subjectId, dimension };
    if (value === null) {
      await db
        .deleteFrom('partner_profile_values')
        .where('company_id', '=', key.company_id)
        .where('subject_id', '=', key.subject_id)
        .where('dimension', '=', dimension)
        .execute();
      continue;
    }
    await db
      .insertInto('partner_profile_values')
      .values({ ...key, value, updated_at: input.at })
      .onConflict((oc) =>
        oc
          .columns(['company_id', 'subject_id', 'dimension'])
          .doUpdateSet({ value, updated_at: input.at }),
      )
      .execute();
  }
}

/** The company's hand-set values, by subject then dimension. */
export async function manualValues(
  db: Executor,
  scope: CompanyScope,
): Promise<Map<string, Record<string, number>>> {
  const rows = await db
    .selectFrom('partner_profile_values')
    .select(['subject_id', 'dimension', 'value'])
    .where('company_id', '=', scope.companyId)
    .execute();
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) out.set(r.subject_id, { ...out.get(r.subject_id), [r.dimension]: r.value });
  return out;
}

export interface Subject {
  id: string;
  slug: string;
  name: string;
  type: PartnerType;
  status: 'partner' | 'candidate';
}

/** Active partners and candidates (partnerships still at the invitation), with their type. */
export async function profileSubjects(db: Executor, scope: CompanyScope): Promise<Subject[]> {
  const rows = await db
    .selectFrom('partnerships as p')
    .innerJoin('companies as c', (j) =>
      j.on((eb) =>
        eb.or([
          eb.and([
            eb('p.inviter_id', '=', scope.companyId),
            eb('c.id', '=', eb.ref('p.invitee_id')),
          ]),
          eb.and([
            eb('p.invitee_id', '=', scope.companyId),
            eb('c.id', '=', eb.ref('p.inviter_id')),
          ]),
        ]),
      ),
    )
    .select(['c.id', 'c.slug', 'c.name', 'p.partner_type', 'p.status'])
    .where('p.status', 'in', ['active', 'invited'])
    .orderBy('c.slug')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    type: r.partner_type,
    status: r.status === 'active' ? 'partner' : 'candidate',
  }));
}

/**
 * How many of the company's accounts each partner also holds, for partners whose rule shows at
 * least counts (the total is what the counts level already shows them).
 */
export async function overlapCounts(
  db: Executor,
  scope: CompanyScope,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('accounts as mine')
    .innerJoin('accounts as theirs', 'theirs.domain', 'mine.domain')
    .innerJoin('overlap_rules as r', (j) =>
      j
        .onRef('r.owner_id', '=', 'theirs.company_id')
        .on('r.partner_id', '=', scope.companyId)
        .on('r.level', 'in', ['counts', 'accounts']),
    )
    .select(['theirs.company_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('mine.company_id', '=', scope.companyId)
    .where('theirs.company_id', '!=', scope.companyId)
    .groupBy('theirs.company_id')
    .execute();
  return new Map(rows.map((r) => [r.company_id, Number(r.n)]));
}
