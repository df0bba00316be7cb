import { z } from 'zod';
import { dayMs, type HistoryDeal } from '../../shared/insights/deal-history.ts';
import { fitsMotion } from '../../shared/insights/partner-features.ts';
import {
  builtinDimensions,
  profileInput,
  reviewProfile,
  scoreProfile,
  type DimensionValues,
  type PartnerProfile,
} from '../../shared/insights/partner-profile.ts';
import { partnerTypes, type PartnerType } from '../../shared/tenancy/tenancy.ts';
import type { Deps } from '../deps.ts';
import { notFound } from '../core/domain-error.ts';
import { parseInput } from '../core/parse-input.ts';
import type { Principal } from '../tenants/principal.ts';
import { activePartners, loadHistory } from './insights.repository.ts';
import {
  listProfiles,
  manualValues,
  overlapCounts,
  profileSubjects,
  saveProfile,
  saveValues,
  type Subject,
} from './partner-profile.repository.ts';

export { profileInput };
export const valuesInput = z.strictObject({
  subject: z.string().min(1).describe('a partner or candidate, by id or slug'),
  values: z
    .record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), z.number().min(0).max(1).nullable())
    .describe('dimension → value 0…1 (null removes it)'),
});
export const scoreInput = z
  .strictObject({ partnerType: z.enum(partnerTypes).optional() })
  .optional();
export const reviewInput = z.strictObject({
  partnerType: z.enum(partnerTypes),
  quarters: z.number().int().min(1).max(12).default(4),
});

/** Saves the profile of one partner type (replacing the one before). Raises ValidationFailed. */
export async function setProfile(
  deps: Deps<'db' | 'clock'>,
  actor: Principal,
  input: z.input<typeof profileInput>,
): Promise<PartnerProfile> {
  const profile = parseInput(profileInput, input);
  await saveProfile(deps.db, actor, { profile, at: deps.clock.now().toISOString() });
  return profile;
}

export function getProfiles(deps: Deps<'db'>, actor: Principal): Promise<PartnerProfile[]> {
  return listProfiles(deps.db, actor);
}

/** Sets hand-made values of dimensions for a partner or candidate. Raises NotFound (neither). */
export async function setProfileValues(
  deps: Deps<'db' | 'clock'>,
  actor: Principal,
  input: z.input<typeof valuesInput>,
): Promise<{ subject: string; values: Record<string, number | null> }> {
  const { subject, values } = parseInput(valuesInput, input);
  const found = (await profileSubjects(deps.db, actor)).find(
    (s) => s.id === subject || s.slug === subject,
  );
  if (!found) throw notFound('partner or candidate');
  await saveValues(deps.db, actor, {
    subjectId: found.id,
    values,
    at: deps.clock.now().toISOString(),
  });
  return { subject: found.id, values };
}

interface Measured {
  subject: Subject;
  values: DimensionValues;
  deals: HistoryDeal[];
}

/** Every subject's dimension values: measured from deals and shared overlap, or set by hand. */
async function measure(deps: Deps<'db' | 'clock'>, actor: Principal, profiles: PartnerProfile[]) {
  const [subjects, deals, partners, overlap, manual] = [
    await profileSubjects(deps.db, actor),
    await loadHistory(deps.db, actor),
    await activePartners(deps.db, actor),
    await overlapCounts(deps.db, actor),
    await manualValues(deps.db, actor),
  ];
  const sharing = new Map(partners.map((p) => [p.id, p.theyShare]));
  const dealsOf = new Map<string, HistoryDeal[]>();
  for (const d of deals)
    for (const p of d.partners) {
      const list = dealsOf.get(p.id);
      if (list) list.push(d);
      else dealsOf.set(p.id, [d]);
    }
  const maxOverlap = Math.max(1, ...overlap.values());
  const now = deps.clock.now().getTime();
  const profileOf = new Map(profiles.map((p) => [p.partnerType, p]));
  return subjects.map((subject): Measured => {
    const mine = dealsOf.get(subject.id) ?? [];
    const profile = profileOf.get(subject.type);
    const shares = sharing.get(subject.id) ?? 'none';
    const share = (f: (d: HistoryDeal) => boolean) =>
      mine.length > 0 ? mine.filter(f).length / mine.length : null;
    const values: DimensionValues = {
      // Relative to the best-overlapping partner; unknown unless the partner shows counts or more.
      account_overlap: shares === 'none' ? null : (overlap.get(subject.id) ?? 0) / maxOverlap,
      segment_fit:
        profile && profile.targetSegments.length > 0
          ? share(
              (d) => d.segment !== null && (profile.targetSegments as string[]).includes(d.segment),
            )
          : null,
      motion_fit: share((d) => fitsMotion(subject.type, d.motion)),
      selling_capacity:
        subject.status === 'partner'
          ? Math.min(
              1,
              mine.filter((d) => d.createdAt >= now - 365 * dayMs).length /
                (profile?.capacityTarget ?? 20),
            )
          : null,
      ...manual.get(subject.id),
    };
    return { subject, values, deals: mine };
  });
}

function view(s: Subject) {
  return { id: s.id, slug: s.slug, name: s.name, type: s.type, status: s.status };
}

/**
 * Scores partners and candidates against the profile of their type and buckets them (recruit,
 * nurture, pass); subjects of a type with no profile are left out.
 */
export async function scoreSubjects(
  deps: Deps<'db' | 'clock'>,
  actor: Principal,
  input: z.input<typeof scoreInput>,
) {
  const only = parseInput(scoreInput, input)?.partnerType;
  const profiles = (await listProfiles(deps.db, actor)).filter(
    (p) => !only || p.partnerType === only,
  );
  const byType = new Map(profiles.map((p) => [p.partnerType, p]));
  const measured = await measure(deps, actor, profiles);
  return measured
    .filter((m) => byType.has(m.subject.type))
    .map((m) => ({
      company: view(m.subject),
      ...scoreProfile(byType.get(m.subject.type)!, m.values),
      values: m.values,
    }))
    .sort((a, b) => b.score - a.score || (a.company.slug < b.company.slug ? -1 : 1));
}

/**
 * Compares the profile's scores of the type's partners with their production (won amount with the
 * company, major units, closed in the last `quarters` quarters) and proposes weights. Raises
 * NotFound (no profile for the type).
 */
export async function reviewProfileWeights(
  deps: Deps<'db' | 'clock'>,
  actor: Principal,
  input: z.input<typeof reviewInput>,
) {
  const { partnerType, quarters } = parseInput(reviewInput, input);
  const profile = (await listProfiles(deps.db, actor)).find((p) => p.partnerType === partnerType);
  if (!profile) throw notFound(`profile for ${partnerType as PartnerType}`);
  const since = deps.clock.now().getTime() - quarters * 91 * dayMs;
  const partners = (await measure(deps, actor, [profile])).filter(
    (m) => m.subject.type === partnerType && m.subject.status === 'partner',
  );
  const rows = partners.map((m) => ({
    company: view(m.subject),
    score: scoreProfile(profile, m.values).score,
    production: m.deals
      .filter((d) => d.status === 'won' && (d.closedAt ?? 0) >= since)
      .reduce((s, d) => s + d.amount / d.partners.length, 0),
    values: m.values,
  }));
  return {
    partnerType,
    quarters,
    ...reviewProfile(profile, rows),
    partners: rows.sort((a, b) => b.production - a.production),
    builtinDimensions: [...builtinDimensions],
  };
}
