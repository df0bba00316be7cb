/**
 * The usual report columns of two CRMs, so `tandem push --mapping salesforce` (or `hubspot`)
 * needs no mapping file; a file with `"preset": "hubspot"` starts from one and overrides fields.
 * A field lists the column names it may have (a report shows labels, an API or Data Loader export
 * field names); the first one the report has is used. README.md has the table.
 */
export const presets = {
  salesforce: {
    externalRef: ['Opportunity ID', 'Id'],
    title: ['Opportunity Name', 'Name'],
    'customer.name': ['Account Name', 'Account.Name'],
    'customer.domain': ['Website', 'Account.Website'],
    amount: ['Amount'],
    currency: ['Opportunity Currency', 'CurrencyIsoCode', '=USD'],
    stage: ['Stage', 'StageName'],
    stageMap: {
      Prospecting: 'prospect',
      Qualification: 'qualified',
      'Needs Analysis': 'qualified',
      'Value Proposition': 'technical_validation',
      'Id. Decision Makers': 'technical_validation',
      'Perception Analysis': 'business_validation',
      'Proposal/Price Quote': 'business_validation',
      'Negotiation/Review': 'committed',
      'Closed Won': 'won',
      'Closed Lost': 'lost',
    },
    closeDate: ['Close Date', 'CloseDate'],
    createdAt: ['Created Date', 'CreatedDate'],
    nextStep: ['Next Step', 'NextStep'],
    lostReason: ['Loss Reason', 'Reason_Lost__c', '=other'],
    // A US-locale report writes 3/4/2025 for March 4th.
    dateOrder: 'mdy',
  },
  hubspot: {
    externalRef: ['Record ID', 'Deal ID', 'hs_object_id'],
    title: ['Deal Name', 'dealname'],
    'customer.name': ['Associated Company', 'Company name', 'Deal Name', 'dealname'],
    'customer.domain': ['Company Domain Name', 'domain'],
    amount: ['Amount', 'amount'],
    currency: ['Currency', 'deal_currency_code', '=USD'],
    stage: ['Deal Stage', 'dealstage'],
    stageMap: {
      'Appointment Scheduled': 'prospect',
      appointmentscheduled: 'prospect',
      'Qualified To Buy': 'qualified',
      qualifiedtobuy: 'qualified',
      'Presentation Scheduled': 'technical_validation',
      presentationscheduled: 'technical_validation',
      'Decision Maker Bought-In': 'business_validation',
      decisionmakerboughtin: 'business_validation',
      'Contract Sent': 'committed',
      contractsent: 'committed',
      'Closed Won': 'won',
      closedwon: 'won',
      'Closed Lost': 'lost',
      closedlost: 'lost',
    },
    closeDate: ['Close Date', 'closedate'],
    createdAt: ['Create Date', 'createdate'],
    nextStep: ['Next step', 'hs_next_step'],
    lostReason: ['Closed Lost Reason', 'closed_lost_reason', '=other'],
    // HubSpot's "date entered" properties of its default sales pipeline.
    stageHistory: {
      prospect: [
        'Date entered "Appointment Scheduled (Sales Pipeline)"',
        'hs_date_entered_appointmentscheduled',
      ],
      qualified: [
        'Date entered "Qualified To Buy (Sales Pipeline)"',
        'hs_date_entered_qualifiedtobuy',
      ],
      technical_validation: [
        'Date entered "Presentation Scheduled (Sales Pipeline)"',
        'hs_date_entered_presentationscheduled',
      ],
      business_validation: [
        'Date entered "Decision Maker Bought-In (Sales Pipeline)"',
        'hs_date_entered_decisionmakerboughtin',
      ],
      committed: ['Date entered "Contract Sent (Sales Pipeline)"', 'hs_date_entered_contractsent'],
      won: ['Date entered "Closed Won (Sales Pipeline)"', 'hs_date_entered_closedwon'],
      lost: ['Date entered "Closed Lost (Sales Pipeline)"', 'hs_date_entered_closedlost'],
    },
  },
} as const;

export type PresetName = keyof typeof presets;

export function isPreset(name: string): name is PresetName {
  return Object.hasOwn(presets, name);
}
