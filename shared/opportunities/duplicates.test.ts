import { describe, expect, it } from 'vitest';
import { reasonsFor, type ComparableDeal } from './duplicates.ts';

const deal: ComparableDeal = {
  title: 'Data platform',
  customerName: 'Initech',
  customerDomain: 'initech.com',
  amountMinor: 100,
  currency: 'EUR',
  expectedCloseDate: '2027-01-31',
};

describe('why two deals look like one', () => {
  it('names every field they share, strongest first', () => {
    expect(reasonsFor(deal, { ...deal, title: 'DATA PLATFORM' })).toEqual([
      'same_customer_domain',
      'same_title',
      'same_customer_name',
      'same_amount',
      'same_expected_close_date',
    ]);
  });

  it('tells a similar title from the same one, and compares amounts in one currency only', () => {
    const other = { ...deal, title: 'Data-platform phase 2', currency: 'USD' };
    expect(reasonsFor(deal, other)).toEqual([
      'same_customer_domain',
      'similar_title',
      'same_customer_name',
      'same_expected_close_date',
    ]);
    expect(reasonsFor(deal, { ...deal, title: 'Data' })).not.toContain('similar_title');
  });

  it('compares only the fields the caller may see of both', () => {
    const summary = { title: 'Data platform', customerName: 'initech' };
    expect(reasonsFor(deal, summary)).toEqual(['same_title', 'same_customer_name']);
    expect(reasonsFor(deal, { title: 'Other', customerName: 'Hooli' })).toEqual([]);
  });
});
