import { statusOfStage, type DealStatus, type LostReason, type Stage } from './stages.ts';

/** AWS Partner Central (ACE) `LifeCycle.Stage` values, in funnel order. */
export const aceStages = [
  'Prospect',
  'Qualified',
  'Technical Validation',
  'Business Validation',
  'Committed',
  'Launched',
  'Closed Lost',
] as const;
export type AceStage = (typeof aceStages)[number];

const toAce: Record<Stage, AceStage> = {
  prospect: 'Prospect',
  qualified: 'Qualified',
  technical_validation: 'Technical Validation',
  business_validation: 'Business Validation',
  committed: 'Committed',
  won: 'Launched',
  lost: 'Closed Lost',
};
const fromAce = Object.fromEntries(
  Object.entries(toAce).map(([ours, theirs]) => [theirs, ours]),
) as Record<AceStage, Stage>;

/** True for a string ACE sends as `LifeCycle.Stage`; use it before {@link fromAceStage}. */
export function isAceStage(value: string): value is AceStage {
  return (aceStages as readonly string[]).includes(value);
}

/** Our stage as ACE names it; `won` is ACE's `Launched` (workload live, billing started). */
export function toAceStage(stage: Stage): AceStage {
  return toAce[stage];
}

/** The inverse of {@link toAceStage}: `fromAceStage(toAceStage(s)) === s` for every stage. */
export function fromAceStage(s: AceStage): Stage {
  return fromAce[s];
}

/** The `ClosedLostReason` value ACE accepts for each of our lost reasons. */
const toAceReason: Record<LostReason, string> = {
  customer_deficiency: 'Customer Deficiency',
  delay_or_cancellation: 'Delay / Cancellation of Project',
  legal_tax_regulatory: 'Legal / Tax / Regulatory',
  // ACE splits this one by competitor (Google, Microsoft, SoftLayer, VMWare, Other); we do not
  // record the competitor, so we send Other and fold all five back into one id.
  lost_to_competitor: 'Lost to Competitor - Other',
  no_opportunity: 'No Opportunity',
  on_premises_deployment: 'On Premises Deployment',
  partner_gap: 'Partner Gap',
  price: 'Price',
  security_compliance: 'Security / Compliance',
  technical_limitations: 'Technical Limitations',
  customer_experience: 'Customer Experience',
  people_relationship_governance: 'People/Relationship/Governance',
  product_technology: 'Product/Technology',
  financial_commercial: 'Financial/Commercial',
  other: 'Other',
};

// ACE's own docs spell the values with and without spaces around "/" and with "-" or "—":
// compare on letters and digits only.
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const fromAceReason = new Map(
  Object.entries(toAceReason).map(([ours, theirs]) => [squash(theirs), ours as LostReason]),
);

/** The ACE `LifeCycle.ClosedLostReason` string for one of our lost reasons. */
export function toAceLostReason(r: LostReason): string {
  return toAceReason[r];
}

/**
 * Our lost reason for an ACE `ClosedLostReason`, tolerant of spacing, case and dash style;
 * every "Lost to Competitor - X" gives `lost_to_competitor`; anything unknown gives `other`,
 * so a value ACE adds later never blocks a sync.
 */
export function fromAceLostReason(s: string): LostReason {
  const key = squash(s);
  if (key.startsWith('losttocompetitor')) return 'lost_to_competitor';
  return fromAceReason.get(key) ?? 'other';
}

/** Microsoft Partner Center referral `Status`, and the `Substatus` values each allows. */
export const microsoftSubstatuses = {
  New: ['Pending', 'Received'],
  Active: ['Accepted'],
  Closed: ['Won', 'Lost', 'Declined', 'Expired'],
} as const;
export type MicrosoftStatus = keyof typeof microsoftSubstatuses;
export type MicrosoftSubstatus = (typeof microsoftSubstatuses)[MicrosoftStatus][number];

/** Where a partner company stands with its invitation to a shared deal. */
export type ParticipantStatus = 'invited' | 'accepted' | 'declined';

/**
 * The referral status a participant's Microsoft referral should show. A declined participant is
 * Closed/Declined whatever the stage; one still invited is New/Received while the deal is open
 * and Closed/Expired once it closed unanswered. Otherwise (accepted, or no participant given)
 * open stages are Active/Accepted and closed ones Closed/Won or Closed/Lost.
 */
export function toMicrosoftStatus(
  stage: Stage,
  participantStatus?: ParticipantStatus,
): { status: MicrosoftStatus; substatus: MicrosoftSubstatus } {
  const status = statusOfStage(stage);
  if (participantStatus === 'declined') return { status: 'Closed', substatus: 'Declined' };
  if (participantStatus === 'invited') {
    return status === 'open'
      ? { status: 'New', substatus: 'Received' }
      : { status: 'Closed', substatus: 'Expired' };
  }
  switch (status) {
    case 'open':
      return { status: 'Active', substatus: 'Accepted' };
    case 'won':
      return { status: 'Closed', substatus: 'Won' };
    case 'lost':
      return { status: 'Closed', substatus: 'Lost' };
  }
}

/**
 * What a Microsoft referral status says about the deal (case-insensitive). Microsoft has no
 * funnel stages, so New and Active only say `open` and leave our stage alone; Closed/Won and
 * Closed/Lost set the stage. Closed/Declined and Closed/Expired (and an unknown Closed
 * substatus) give status `lost` with no stage: they end that referral — one party's
 * participation — not the customer's deal, which the other participants may still be working,
 * so the caller records the participant as out rather than moving the shared deal to `lost`.
 * Throws for a status that is not New, Active or Closed.
 */
export function fromMicrosoftStatus(
  status: string,
  substatus: string,
): { stage?: Stage; status: DealStatus } {
  switch (status.toLowerCase()) {
    case 'new':
    case 'active':
      return { status: 'open' };
    case 'closed':
      switch (substatus.toLowerCase()) {
        case 'won':
          return { stage: 'won', status: 'won' };
        case 'lost':
          return { stage: 'lost', status: 'lost' };
        default:
          return { status: 'lost' };
      }
    default:
      throw new Error(`unknown Microsoft referral status: ${status}`);
  }
}

/** Where one of our fields lives in each program's record (dotted paths, `[]` for arrays). */
export interface FieldMapping {
  /** Our field; `a+b` when two of ours travel together. */
  readonly field: string;
  /** Path in an ACE Opportunity; `a/b` when two of theirs carry it. */
  readonly ace: string;
  /** Path in a Microsoft referral, or null when it has no such field. */
  readonly microsoft: string | null;
  readonly note?: string;
}

/** The field translation table both integrations follow, one row per shared field. */
export const fieldMappings = [
  { field: 'title', ace: 'Project.Title', microsoft: 'Name' },
  {
    field: 'customer.name',
    ace: 'Customer.Account.CompanyName',
    microsoft: 'CustomerProfile.Name',
  },
  {
    field: 'customer.domain',
    ace: 'Customer.Account.WebsiteUrl',
    microsoft: null,
    note: 'ACE wants a URL: send https://<domain>, read back through normalizeDomain',
  },
  {
    field: 'customer.country',
    ace: 'Customer.Account.Address.CountryCode',
    microsoft: 'CustomerProfile.Address.Country',
  },
  {
    field: 'customer.industry',
    ace: 'Customer.Account.Industry',
    microsoft: 'Details.Requirements.Industries[]',
    note: 'both programs take values from their own pick lists',
  },
  {
    field: 'amountMinor+currency',
    ace: 'Project.ExpectedCustomerSpend[].Amount/CurrencyCode',
    microsoft: 'Details.DealValue/Currency',
    note: 'both take a decimal in major units: amountMinor / 10^minorExponent(currency)',
  },
  {
    field: 'stage',
    ace: 'LifeCycle.Stage',
    microsoft: 'Status/Substatus',
    note: 'toAceStage / fromAceStage, toMicrosoftStatus / fromMicrosoftStatus',
  },
  {
    field: 'expectedCloseDate',
    ace: 'LifeCycle.TargetCloseDate',
    microsoft: 'Details.ClosingDateTime',
    note: 'Microsoft takes a UTC date-time: the date at 00:00:00Z',
  },
  { field: 'nextStep', ace: 'LifeCycle.NextSteps', microsoft: 'Details.Notes' },
  {
    field: 'lostReason',
    ace: 'LifeCycle.ClosedLostReason',
    microsoft: 'StatusReason',
    note: 'toAceLostReason / fromAceLostReason; Microsoft takes free text',
  },
  {
    field: 'externalRef',
    ace: 'PartnerOpportunityIdentifier',
    microsoft: 'ExternalReferenceId',
    note: "the pushing company's own CRM id, private to it",
  },
] as const satisfies readonly FieldMapping[];
