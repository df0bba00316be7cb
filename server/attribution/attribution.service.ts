import { z, ZodError } from 'zod';
import { rateSchema } from '../../shared/attribution/exchange.ts';
import { splitsSchema } from '../../shared/attribution/splits.ts';
import { buildStatement, canonicalStatement } from '../../shared/attribution/statement.ts';
import { currencySchema } from '../../shared/money/currencies.ts';
import type { Deps } from '../deps.ts';
import { DomainError } from '../core/domain-error.ts';
import { schemaIssues } from '../core/error-body.ts';
import { newId } from '../core/ids.ts';
import { parseInput } from '../core/parse-input.ts';
import { inWrite } from '../store/write-queue.ts';
import { requireDeal } from '../opportunities/deal-access.ts';
import { writeDeals, type DealWrite } from '../opportunities/deal-writer.ts';
import type { Principal } from '../tenants/principal.ts';
import type { GeneralJws } from '../ledger/attribution-events.ts';
import { partiesOf, versionsOf, type VersionRow } from './attribution.repository.ts';
import { checkCompanySignature, sha256Hex, signAsCompany } from './attestation.ts';

/** buildStatement re-checks everything it is given; its refusals become field errors, not 500s. */
function statementFor(
  input: Parameters<typeof buildStatement>[0],
): ReturnType<typeof buildStatement> {
  try {
    return buildStatement(input);
  } catch (error) {
    if (error instanceof ZodError)
      throw new DomainError(
        'ValidationFailed',
        'the attribution statement is not valid',
        schemaIssues(error.issues),
      );
    if (error instanceof RangeError)
      throw new DomainError('ValidationFailed', error.message, [
        { path: 'splits', message: error.message },
      ]);
    throw error;
  }
}

export const proposeInput = z.strictObject({
  dealId: z.string().min(1),
  splits: splitsSchema,
  reporting: z
    .record(z.string(), z.strictObject({ currency: currencySchema, rate: rateSchema }))
    .optional()
    .describe(
      'per company that reports in another currency: that currency and the rate fixed at close',
    ),
});
export const versionInput = z.strictObject({
  dealId: z.string().min(1),
  version: z.number().int().positive(),
});
export const submitSignatureInput = versionInput.extend({
  protected: z.string().min(1).max(2000),
  signature: z.string().min(1).max(2000),
});
export const disputeInput = versionInput.extend({ reason: z.string().trim().min(1).max(2000) });

type Tx = Deps<'keyRing' | 'config'> & { w: DealWrite };

async function acceptedParticipants(w: DealWrite, dealId: string): Promise<string[]> {
  const rows = await w.trx
    .selectFrom('opportunity_participants')
    .select('company_id')
    .where('opportunity_id', '=', dealId)
    .where('status', '=', 'accepted')
    .execute();
  return rows.map((r) => r.company_id).sort();
}

/**
 * Proposes who earned what on a won deal: a new version of its attribution, allocated exactly in
 * minor units. Every company taking part must have a split (and will sign). Raises NotFound,
 * Forbidden, InvalidState (deal not won), ValidationFailed.
 */
export async function proposeAttribution(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof proposeInput>,
): Promise<{ version: number }> {
  const { dealId, splits, reporting } = parseInput(proposeInput, input);
  if (!actor.scopes.has('opportunities:write') && !actor.scopes.has('attribution:sign')) {
    throw new DomainError(
      'Forbidden',
      'proposing attribution needs opportunities:write or attribution:sign',
    );
  }
  return writeDeals(deps, actor, async (w) => {
    const { deal } = await requireDeal(w.trx, actor, { dealId, need: 'full' });
    if (deal.status !== 'won' || !deal.close_date)
      throw new DomainError(
        'InvalidState',
        'attribution is proposed on a won deal with a close date',
      );
    const parties = await acceptedParticipants(w, dealId);
    const named = splits.map((s) => s.companyId);
    const issues = [
      ...splits.flatMap((s, i) =>
        parties.includes(s.companyId)
          ? []
          : [{ path: `splits.${i}.companyId`, message: 'not a company taking part in this deal' }],
      ),
      ...parties
        .filter((p) => !named.includes(p))
        .map((p) => ({ path: 'splits', message: `missing a split for participant ${p}` })),
    ];
    for (const companyId of Object.keys(reporting ?? {})) {
      if (!named.includes(companyId))
        issues.push({ path: `reporting.${companyId}`, message: 'not a company in the splits' });
    }
    if (issues.length > 0)
      throw new DomainError(
        'ValidationFailed',
        'the splits must name each participant once',
        issues,
      );
    const previous = (await versionsOf(w.trx, dealId))[0];
    const version = (previous?.version ?? 0) + 1;
    const statement = statementFor({
      dealId,
      version,
      amountMinor: deal.amount_minor,
      currency: deal.currency,
      closeDate: deal.close_date,
      splits,
      ...(reporting ? { reporting } : {}),
      previousHash: previous?.statement_hash ?? null,
    });
    const statementHash = sha256Hex(canonicalStatement(statement));
    await w.emit(dealId, {
      type: 'attribution.proposed',
      data: { versionId: newId('atv'), version, statement, statementHash, parties: named },
    });
    return { version };
  });
}

/** The version a signature or dispute is for: it must be the newest, still open, with the caller a party. */
async function openVersion(
  tx: Tx,
  actor: Principal,
  input: { dealId: string; version: number },
): Promise<VersionRow> {
  await requireDeal(tx.w.trx, actor, { dealId: input.dealId, need: 'full' });
  if (!actor.scopes.has('attribution:sign'))
    throw new DomainError(
      'Forbidden',
      'signing attribution needs a finance or admin member (attribution:sign)',
    );
  const versions = await versionsOf(tx.w.trx, input.dealId);
  const row = versions.find((v) => v.version === input.version);
  if (!row) throw new DomainError('NotFound', `attribution version ${input.version} not found`);
  if (row.status !== 'proposed' || versions[0]!.version !== input.version) {
    throw new DomainError(
      'InvalidState',
      `version ${input.version} is ${row.status === 'sealed' ? 'already sealed' : 'stale'}; the current version is ${versions[0]!.version}`,
    );
  }
  const parties = await partiesOf(tx.w.trx, [row.id]);
  const me = parties.find((p) => p.company_id === actor.companyId);
  if (!me) throw new DomainError('Forbidden', 'your company is not a party to this attribution');
  if (me.signature)
    throw new DomainError('InvalidState', 'your company has already signed this version');
  return row;
}

/** After a signature: seal when every party has signed, as one General JSON JWS. */
async function sealIfComplete(tx: Tx, row: VersionRow): Promise<void> {
  const parties = await partiesOf(tx.w.trx, [row.id]);
  if (parties.some((p) => !p.signature || !p.protected)) return;
  const record: GeneralJws = {
    payload: Buffer.from(row.statement).toString('base64url'),
    signatures: parties.map((p) => ({ protected: p.protected!, signature: p.signature! })),
  };
  await tx.w.emit(row.deal_id, { type: 'attribution.sealed', data: { versionId: row.id, record } });
}

/**
 * A finance or admin member approves: the server signs the statement with the company's
 * attestation key. Seals the version when it was the last signature. Raises NotFound, Forbidden,
 * InvalidState (stale or sealed version, already signed).
 */
export async function signAttribution(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs' | 'keyRing' | 'config'>,
  actor: Principal,
  input: z.input<typeof versionInput>,
): Promise<{ sealed: boolean }> {
  const parsed = parseInput(versionInput, input);
  return writeDeals(deps, actor, async (w) => {
    const tx = { ...deps, w };
    const row = await openVersion(tx, actor, parsed);
    const signed = await signAsCompany(inWrite(deps, w.trx), actor, row.statement);
    await w.emit(row.deal_id, {
      type: 'attribution.signed',
      data: { versionId: row.id, companyId: actor.companyId, ...signed },
    });
    await sealIfComplete(tx, row);
    return {
      sealed: (await versionsOf(w.trx, row.deal_id)).some(
        (v) => v.id === row.id && v.status === 'sealed',
      ),
    };
  });
}

/** A company that holds its own attestation key submits the signature it made. Same rules as sign. */
export async function submitSignature(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs' | 'keyRing' | 'config'>,
  actor: Principal,
  input: z.input<typeof submitSignatureInput>,
): Promise<{ sealed: boolean }> {
  const parsed = parseInput(submitSignatureInput, input);
  return writeDeals(deps, actor, async (w) => {
    const tx = { ...deps, w };
    const row = await openVersion(tx, actor, parsed);
    await checkCompanySignature(inWrite(deps, w.trx), actor, {
      payload: row.statement,
      protected: parsed.protected,
      signature: parsed.signature,
    });
    await w.emit(row.deal_id, {
      type: 'attribution.signed',
      data: {
        versionId: row.id,
        companyId: actor.companyId,
        protected: parsed.protected,
        signature: parsed.signature,
      },
    });
    await sealIfComplete(tx, row);
    return {
      sealed: (await versionsOf(w.trx, row.deal_id)).some(
        (v) => v.id === row.id && v.status === 'sealed',
      ),
    };
  });
}

/** A party disputes the open version with a reason; a new proposal answers it. */
export async function disputeAttribution(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs' | 'keyRing' | 'config'>,
  actor: Principal,
  input: z.input<typeof disputeInput>,
): Promise<void> {
  const parsed = parseInput(disputeInput, input);
  await writeDeals(deps, actor, async (w) => {
    const row = await openVersion({ ...deps, w }, actor, parsed);
    await w.emit(row.deal_id, {
      type: 'attribution.disputed',
      data: { versionId: row.id, companyId: actor.companyId, reason: parsed.reason },
    });
  });
}
