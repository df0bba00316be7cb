import { z } from 'zod';
import {
  accountInputSchema,
  overlapLevels,
  type AccountInput,
  type OverlapLevel,
} from '../../shared/accounts/account-input.ts';
import type { Deps } from '../deps.ts';
import { DomainError, notFound } from '../core/domain-error.ts';
import { schemaIssues } from '../core/error-body.ts';
import { parseInput } from '../core/parse-input.ts';
import { findCompany } from '../tenants/companies/company.repository.ts';
import { chargeOverlapQuery, chargeUpload, overlapPolicy, shownCount } from './overlap-policy.ts';
import { arePartners } from '../tenants/partnerships/partnership.repository.ts';
import type { Principal } from '../tenants/principal.ts';
import {
  countAccounts,
  deleteAllAccounts,
  overlapping,
  ruleFor,
  setRule,
  upsertAccounts,
} from './account.repository.ts';

export const maxAccounts = 50_000;
export const uploadInput = z.strictObject({
  accounts: z.array(z.unknown()).min(1).max(maxAccounts),
  replace: z.boolean().default(false).describe('drop accounts not in this upload'),
});
export const sharingInput = z.strictObject({
  partner: z.string().min(1),
  level: z.enum(overlapLevels),
});
export const overlapInput = z.strictObject({ partner: z.string().min(1) });

/**
 * Stores the company's own accounts (private: partners see only what the company's sharing rule
 * for them allows). All or nothing; every bad field of every row is named (`accounts.<n>.<path>`).
 */
export async function uploadAccounts(
  deps: Deps<'db' | 'clock' | 'dailyLimiter' | 'writes'>,
  actor: Principal,
  input: z.input<typeof uploadInput>,
): Promise<{ counts: Record<string, number> }> {
  const { accounts, replace } = parseInput(uploadInput, input);
  await chargeUpload(deps.dailyLimiter, actor.companyId);
  const parsed: AccountInput[] = [];
  const issues: { path: string; message: string }[] = [];
  accounts.forEach((a, n) => {
    const r = accountInputSchema.safeParse(a);
    if (r.success) parsed.push(r.data);
    else
      for (const i of schemaIssues(r.error.issues))
        issues.push({ path: `accounts.${n}.${i.path}`, message: i.message });
  });
  if (issues.length > 0)
    throw new DomainError(
      'ValidationFailed',
      `${issues.length} invalid field(s); nothing was stored`,
      issues,
    );
  await deps.writes.run(async (trx) => {
    if (replace) await deleteAllAccounts(trx, actor);
    await upsertAccounts(trx, actor, { accounts: parsed, at: deps.clock.now().toISOString() });
  });
  return { counts: await countAccounts(deps.db, actor) };
}

async function activePartner(deps: Deps<'db'>, actor: Principal, partner: string): Promise<string> {
  const company = await findCompany(deps.db, partner);
  if (!company || !(await arePartners(deps.db, actor, company.id))) throw notFound('partner');
  return company.id;
}

/** Sets what one partner may see of this company's side of the overlap. Raises NotFound (not a partner). */
export async function setOverlapSharing(
  deps: Deps<'db' | 'clock'>,
  actor: Principal,
  input: z.input<typeof sharingInput>,
): Promise<{ partner: string; level: OverlapLevel }> {
  const { partner, level } = parseInput(sharingInput, input);
  const partnerId = await activePartner(deps, actor, partner);
  await setRule(deps.db, actor, { partnerId, level, at: deps.clock.now().toISOString() });
  return { partner: partnerId, level };
}

/**
 * The overlap between the caller's accounts and a partner's, as far as the partner's rule allows:
 * nothing, counts by population pair (our status × theirs; under `counts`, each count only when it
 * covers `minCount` accounts or more), or the overlapping accounts with the partner's status.
 * Raises NotFound (not a partner), RateLimited (see overlap-policy.ts).
 */
export async function accountOverlap(
  deps: Deps<'db' | 'dailyLimiter'>,
  actor: Principal,
  input: z.input<typeof overlapInput>,
) {
  const partnerId = await activePartner(deps, actor, parseInput(overlapInput, input).partner);
  await chargeOverlapQuery(deps.dailyLimiter, { companyId: actor.companyId, partnerId });
  const { minCount } = overlapPolicy;
  const [theyShare, iShare] = await Promise.all([
    ruleFor(deps.db, { ownerId: partnerId, viewerId: actor.companyId }),
    ruleFor(deps.db, { ownerId: actor.companyId, viewerId: partnerId }),
  ]);
  if (theyShare === 'none')
    return {
      partner: partnerId,
      theyShare,
      iShare,
      minCount,
      total: null,
      populations: [],
      accounts: [],
    };
  const rows = await overlapping(deps.db, { mine: actor.companyId, theirs: partnerId });
  const pairs = new Map<string, number>();
  for (const r of rows)
    pairs.set(
      `${r.myStatus}|${r.theirStatus}`,
      (pairs.get(`${r.myStatus}|${r.theirStatus}`) ?? 0) + 1,
    );
  const all = theyShare === 'accounts';
  const populations = [...pairs]
    .filter(([, n]) => all || shownCount(n) !== null)
    .map(([k, n]) => {
      const [mine, theirs] = k.split('|');
      return { mine: mine!, theirs: theirs!, count: n };
    });
  const accounts = all
    ? rows.map((r) => ({
        domain: r.domain,
        name: r.name,
        myStatus: r.myStatus,
        theirStatus: r.theirStatus,
        theirSegment: r.theirSegment,
        theirIndustry: r.theirIndustry,
      }))
    : [];
  const total = all ? rows.length : shownCount(rows.length);
  return { partner: partnerId, theyShare, iShare, minCount, total, populations, accounts };
}

export async function accountSummary(
  deps: Deps<'db'>,
  actor: Principal,
): Promise<{ counts: Record<string, number> }> {
  return { counts: await countAccounts(deps.db, actor) };
}
