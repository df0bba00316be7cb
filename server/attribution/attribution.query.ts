import type { AttributionStatement } from '../../shared/attribution/statement.ts';
import type { Deps } from '../deps.ts';
import { requireDeal } from '../opportunities/deal-access.ts';
import type { Principal } from '../tenants/principal.ts';
import { partiesOf, versionsOf, type PartyRow, type VersionRow } from './attribution.repository.ts';

export interface AttributionVersionView {
  version: number;
  status: VersionRow['status'];
  statement: AttributionStatement;
  statementHash: string;
  proposedBy: string;
  proposedAt: string;
  sealedAt: string | null;
  parties: { companyId: string; signedAt: string | null; disputeReason: string | null }[];
}

export interface AttributionView {
  versions: AttributionVersionView[];
  /** The version in force: the newest sealed one. */
  sealed: AttributionVersionView | null;
  /** True when the deal's amount, currency or participants changed since the sealed version. */
  needsNewVersion: boolean;
}

function view(row: VersionRow, parties: PartyRow[]): AttributionVersionView {
  return {
    version: row.version,
    status: row.status,
    statement: JSON.parse(row.statement) as AttributionStatement,
    statementHash: row.statement_hash,
    proposedBy: row.proposed_by,
    proposedAt: row.proposed_at,
    sealedAt: row.sealed_at,
    parties: parties
      .filter((p) => p.version_id === row.id)
      .map((p) => ({
        companyId: p.company_id,
        signedAt: p.signed_at,
        disputeReason: p.dispute_reason,
      })),
  };
}

/** A deal's attribution versions, newest first, for any company taking part. Raises NotFound, Forbidden. */
export async function getAttribution(
  deps: Deps<'db'>,
  actor: Principal,
  input: { dealId: string },
): Promise<AttributionView> {
  const { deal } = await requireDeal(deps.db, actor, { dealId: input.dealId, need: 'full' });
  const rows = await versionsOf(deps.db, deal.id);
  const parties = await partiesOf(
    deps.db,
    rows.map((r) => r.id),
  );
  const versions = rows.map((r) => view(r, parties));
  const sealed = versions.find((v) => v.status === 'sealed') ?? null;
  let needsNewVersion = false;
  if (sealed) {
    const current = await deps.db
      .selectFrom('opportunity_participants')
      .select('company_id')
      .where('opportunity_id', '=', deal.id)
      .where('status', '=', 'accepted')
      .execute();
    const now = current
      .map((c) => c.company_id)
      .sort()
      .join(',');
    const then = sealed.statement.splits
      .map((s) => s.companyId)
      .sort()
      .join(',');
    needsNewVersion =
      sealed.statement.amountMinor !== deal.amount_minor ||
      sealed.statement.currency !== deal.currency ||
      now !== then;
  }
  return { versions, sealed, needsNewVersion };
}
