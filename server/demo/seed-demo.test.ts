import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDeps } from '../main.ts';
import { loadConfig } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import { createLogger } from '../core/logger.ts';
import { verifyLedger } from '../ledger/ledger-verify.ts';
import { tempDataDir } from '../../test/kit/harness.ts';
import { seedDemoIfEmpty } from './seed-demo.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function seeded() {
  const dir = tempDataDir();
  dirs.push(dir);
  const config = loadConfig({
    TANDEM_DATA_DIR: dir,
    TANDEM_PUBLIC_URL: 'http://tandem.test',
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger('silent');
  const open = (clock: Clock) => openDeps(config, { logger, clock });
  const first = await seedDemoIfEmpty(open, logger);
  const again = await seedDemoIfEmpty(open, logger);
  const deps = await openDeps(config, { logger });
  try {
    const count = async (
      table: 'companies' | 'opportunities' | 'partnerships' | 'accounts' | 'overlap_rules',
    ) =>
      Number(
        (
          await deps.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const stages = await deps.db
      .selectFrom('opportunities')
      .select(['stage', (eb) => eb.fn.countAll().as('n')])
      .groupBy('stage')
      .orderBy('stage')
      .execute();
    const sealed = await deps.db
      .selectFrom('attribution_versions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'sealed')
      .executeTakeFirstOrThrow();
    const byPartner = await deps.db
      .selectFrom('opportunity_participants as p')
      .innerJoin('companies as c', 'c.id', 'p.company_id')
      .select(['c.slug', (eb) => eb.fn.countAll().as('n')])
      .where('p.role', '!=', 'originator')
      .groupBy('c.slug')
      .execute();
    // A flagged pair as "a b", ids sorted; and the pairs the demo planted: each deal a partner
    // registered (the demo's only partner-originated deals) with the vendor's deal it copies.
    const pair = (a: string, b: string) => [a, b].sort().join(' ');
    const flags = await deps.db.selectFrom('duplicate_flags').selectAll().execute();
    const planted = await deps.db
      .selectFrom('opportunities as copy')
      .innerJoin('companies as c', 'c.id', 'copy.originator_id')
      .innerJoin('opportunities as original', (j) =>
        j
          .onRef('original.customer_domain', '=', 'copy.customer_domain')
          .onRef('original.title', '=', 'copy.title')
          .onRef('original.id', '!=', 'copy.id'),
      )
      .select(['copy.id as copy', 'original.id as original'])
      .where('c.slug', '!=', 'northwind')
      .execute();
    const dated = await deps.db
      .selectFrom('opportunities')
      .select((eb) => [
        eb.fn.count('business_created_at').as('deals'),
        eb.fn.count('business_closed_at').as('closed'),
      ])
      .executeTakeFirstOrThrow();
    const closed = await deps.db
      .selectFrom('opportunities')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '!=', 'open')
      .executeTakeFirstOrThrow();
    return {
      first,
      again,
      dated: { deals: Number(dated.deals), closed: Number(dated.closed) },
      closed: Number(closed.n),
      flagged: flags.map((f) => pair(f.opportunity_id, f.other_opportunity_id)).sort(),
      planted: planted.map((p) => pair(p.copy, p.original)).sort(),
      companies: await count('companies'),
      deals: await count('opportunities'),
      partnerships: await count('partnerships'),
      stages,
      sealed: Number(sealed.n),
      byPartner,
      ledger: await verifyLedger(deps.db),
    };
  } finally {
    await deps.db.destroy();
  }
}

let a: Awaited<ReturnType<typeof seeded>>;
beforeAll(async () => {
  a = await seeded();
}, 120_000);

describe('the demo', () => {
  it('seeds an empty data directory once, deterministically, with a ledger that verifies', async () => {
    expect(a).toMatchObject({
      first: true,
      again: false,
      companies: 7,
      deals: 303,
      partnerships: 6,
    });
    expect(a.ledger.ok).toBe(true);
    expect(a.sealed).toBeGreaterThan(20);
    expect(a.stages.map((s) => s.stage)).toEqual([
      'business_validation',
      'committed',
      'lost',
      'prospect',
      'qualified',
      'technical_validation',
      'won',
    ]);
    // A few partners carry most deals; the paper partners almost none.
    const n = Object.fromEntries(a.byPartner.map((r) => [r.slug, Number(r.n)]));
    expect((n.skyline ?? 0) + (n.apex ?? 0)).toBeGreaterThan(
      5 * ((n.orbit ?? 0) + (n.deltaoem ?? 0)),
    );
    const b = await seeded();
    expect(b.stages).toEqual(a.stages);
    expect(b.sealed).toBe(a.sealed);
  }, 120_000);

  it('flags only the pairs it seeded as duplicates', () => {
    expect(a.planted).toHaveLength(3);
    expect(a.flagged).toEqual(a.planted);
  });

  it("dates every deal by its CRM's own dates, closed ones with their close", () => {
    expect(a.dated).toEqual({ deals: 300, closed: a.closed });
    expect(a.closed).toBeGreaterThan(100);
  });
});
