import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  dealDetailSchema,
  dealViewSchema,
  opportunityFieldsView,
  opportunitySummaryView,
  type DealDetail,
  type OpportunityFieldsView,
} from './deal-view.schema.ts';
import {
  opportunityFieldsSchema,
  toSummary,
  type OpportunityFields,
} from './opportunity-fields.ts';

const stored = opportunityFieldsSchema.parse({
  title: 'Data platform',
  customer: { name: 'Initech', domain: 'https://www.initech.com', country: 'us' },
  amountMinor: 12_500_000,
  currency: 'USD',
  stage: 'lost',
  closeDate: '2026-10-01',
  lostReason: 'price',
  contacts: [{ name: 'Peter', email: 'peter@initech.com' }],
});

const participant = {
  company: { id: 'co_1', slug: 'acme', name: 'Acme' },
  role: 'originator',
  status: 'accepted',
  firstDeal: true,
  executiveSponsor: null,
  lastConfirmedAt: '2026-11-25T10:00:00.000Z',
} as const;

const detail: DealDetail = {
  id: 'opp_1',
  version: 3,
  access: 'full',
  originatorId: 'co_1',
  status: 'lost',
  summary: toSummary(stored),
  fields: stored,
  participants: [participant],
  externalRef: 'SF-1',
  possibleDuplicates: [
    {
      deal: {
        id: 'opp_2',
        title: 'Initech rollout',
        access: 'full',
        customer: { name: 'Initech', domain: 'initech.com' },
        owner: { id: 'co_2', name: 'Globex' },
        companies: [{ id: 'co_2', name: 'Globex' }],
        stage: 'qualified',
        status: 'open',
        amountMinor: 12_500_000,
        currency: 'USD',
        expectedCloseDate: null,
      },
      reasons: ['same_customer_domain', 'same_title'],
      flaggedAt: '2026-11-25T10:30:00.000Z',
    },
    { deal: null, reasons: [], flaggedAt: '2026-11-25T10:40:00.000Z' },
  ],
  relatedDeals: [{ deal: null, relation: 'merged_into', at: '2026-11-25T10:50:00.000Z' }],
  firstDeal: true,
  sponsorsNeeded: ['co_1'],
  businessDates: null,
  createdAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T11:00:00.000Z',
  steps: [],
  history: [
    {
      id: 'evt_x',
      type: 'opportunity.created',
      at: '2026-11-25T10:00:00.000Z',
      author: { companyId: 'co_1', companySlug: 'acme', kind: 'client', id: 'cli_1', name: null },
      data: { anything: [1, 'two'] },
    },
  ],
};

describe('the deal view schemas', () => {
  it('restate the stored field types exactly, so a change to either fails to compile', () => {
    expectTypeOf<OpportunityFieldsView>().toEqualTypeOf<OpportunityFields>();
  });

  it('pass any validated fields and their summary through unchanged', () => {
    expect(opportunityFieldsView.parse(stored)).toEqual(stored);
    expect(opportunitySummaryView.parse(toSummary(stored))).toEqual(toSummary(stored));
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.maxSafeNat(), (title, amount) => {
        const fields = { ...stored, title, amountMinor: amount };
        expect(opportunityFieldsView.parse(fields)).toEqual(fields);
      }),
    );
  });

  it('pass a whole deal detail through unchanged, history data included', () => {
    expect(dealDetailSchema.parse(detail)).toEqual(detail);
  });

  it('refuse an answer whose shape is wrong, naming the field', () => {
    const result = dealViewSchema.safeParse({ ...detail, version: '3', access: 'some' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['access', 'version']);
  });

  it('hide withheld fields as null for an invited company', () => {
    const invited = { ...detail, access: 'summary' as const, fields: null, externalRef: null };
    expect(dealViewSchema.parse(invited).fields).toBeNull();
  });
});
