/**
 * The fields of the `i`-th deal a benchmark pushes. Each load names its own `run`: the same
 * customer and title pushed again by a later load would be flagged as a possible duplicate, an
 * extra event and row per item that the first load did not pay, so loads would not be measured alike.
 */
export function benchDealFields(run: string, i: number) {
  return {
    title: `Bench deal ${run}-${i}`,
    customer: {
      name: `Customer ${i % 5000}`,
      domain: `customer${i % 5000}.example`,
      country: 'DE',
      segment: 'mid_market',
      industry: 'Retail',
    },
    amountMinor: 100_000 + (i % 997) * 1000,
    currency: 'EUR',
    stage: 'qualified',
    expectedCloseDate: '2027-06-30',
    products: ['platform'],
    motion: 'co_sell',
  };
}
