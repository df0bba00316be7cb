/**
 * One lifecycle both partners understand, modelled on AWS ACE `LifeCycle.Stage`: five open
 * stages in order, then `won` or `lost`. The order of this array is the order of the funnel.
 */
export const stages = [
  'prospect',
  'qualified',
  'technical_validation',
  'business_validation',
  'committed',
  'won',
  'lost',
] as const;
export type Stage = (typeof stages)[number];

/** The stages of a deal still being worked, in funnel order. */
export const openStages = [
  'prospect',
  'qualified',
  'technical_validation',
  'business_validation',
  'committed',
] as const satisfies readonly Stage[];
export type OpenStage = (typeof openStages)[number];

export const dealStatuses = ['open', 'won', 'lost'] as const;
export type DealStatus = (typeof dealStatuses)[number];

/** `won` → won, `lost` → lost, every other stage → open. */
export function statusOfStage(stage: Stage): DealStatus {
  switch (stage) {
    case 'won':
      return 'won';
    case 'lost':
      return 'lost';
    case 'prospect':
    case 'qualified':
    case 'technical_validation':
    case 'business_validation':
    case 'committed':
      return 'open';
  }
}

/**
 * True when a move goes against the funnel: to an earlier open stage, or from `won`/`lost` back
 * to any open stage (a reopen). Staying put, moving forward, closing, and switching between
 * `won` and `lost` (a correction of the outcome) are not backward.
 */
export function isBackward(from: Stage, to: Stage): boolean {
  if (statusOfStage(to) !== 'open') return false;
  if (statusOfStage(from) !== 'open') return true;
  return stages.indexOf(to) < stages.indexOf(from);
}

/**
 * Why a deal was lost: AWS ACE `ClosedLostReason` values as snake_case ids (the four
 * "Lost to Competitor - X" variants fold into `lost_to_competitor`).
 */
export const lostReasons = [
  'customer_deficiency',
  'delay_or_cancellation',
  'legal_tax_regulatory',
  'lost_to_competitor',
  'no_opportunity',
  'on_premises_deployment',
  'partner_gap',
  'price',
  'security_compliance',
  'technical_limitations',
  'customer_experience',
  'people_relationship_governance',
  'product_technology',
  'financial_commercial',
  'other',
] as const;
export type LostReason = (typeof lostReasons)[number];

export interface StageRuleIssue {
  path: string;
  message: string;
}

function present(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.length > 0;
}

/**
 * The cross-field rules of a stage, as field issues (empty when the fields are consistent):
 * `won` and `lost` need a `closeDate`; `lost` needs a `lostReason`; any other stage, `won`
 * included, must carry no `lostReason`. Empty strings count as absent. Checks presence only:
 * the formats of the values are the schema's job.
 */
export function stageRuleIssues(next: {
  stage: Stage;
  closeDate?: string | null;
  lostReason?: string | null;
}): StageRuleIssue[] {
  const issues: StageRuleIssue[] = [];
  const status = statusOfStage(next.stage);
  if (status !== 'open' && !present(next.closeDate)) {
    issues.push({ path: 'closeDate', message: `a ${status} deal needs a closeDate` });
  }
  if (status === 'lost' && !present(next.lostReason)) {
    issues.push({ path: 'lostReason', message: 'a lost deal needs a lostReason' });
  }
  if (status !== 'lost' && present(next.lostReason)) {
    issues.push({
      path: 'lostReason',
      message: 'only a lost deal has a lostReason',
    });
  }
  return issues;
}
