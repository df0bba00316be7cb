import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../../sdk/tandem-client.ts';
import { ensureWebBuild } from '../build-web.ts';
import { partnerPair } from '../../../test/kit/fixtures.ts';
import { startTestServer, type TestCompany, type TestServer } from '../../../test/kit/harness.ts';
import { launchChromium, screenshot, signInWithToken } from './browser.ts';

/**
 * Numbers people can trust, in Chromium against the real server: the program page's charts with
 * their values written on them, no series that is zero throughout, money in one reporting
 * currency with a deal closed in another converted at the rate frozen at its close; the pipeline's
 * totals by stage; the finance export previewed, with progress bars, and its verify command copied
 * whole; and the pages a role cannot use kept out of its navigation.
 *
 * Acme (EUR is its most used currency: 3 EUR deals, 2 USD) with globex:
 * - "Data platform" €120,000 won, sealed, globex sourced it; "Analytics" €50,000 won, sealed,
 *   acme sourced it (globex influenced); "US expansion" $100,000 won, sealed, acme's rate into
 *   EUR frozen at 0.9 → €90,000;
 * - open (qualified): "EU pipeline" €20,000 and "US pipeline" $10,000 (→ €9,000 at the latest
 *   frozen rate).
 */
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let acme: TestCompany;
let a: TandemClient;
const errors: string[] = [];

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  await ensureWebBuild();
  server = await startTestServer();
  const pair = await partnerPair(server, { role: 'admin' });
  acme = pair.acme;
  a = pair.a;
  const { globex, b } = pair;
  const deal = async (
    title: string,
    amountMinor: number,
    currency: string,
    won: boolean,
  ): Promise<string> => {
    const created = await a.opportunities.create.mutate({
      // Midnight UTC, as the close date is: a cycle of exactly 70 days.
      businessDates: { createdAt: `${daysAgo(100)}T00:00:00.000Z` },
      fields: {
        title,
        customer: { name: `${title} customer` },
        amountMinor,
        currency,
        stage: won ? 'won' : 'qualified',
        ...(won ? { closeDate: daysAgo(30) } : {}),
      },
      shareWith: [{ partner: 'globex', role: 'co_seller' }],
    });
    await b.opportunities.accept.mutate({ id: created.id });
    return created.id;
  };
  const seal = async (
    dealId: string,
    sourcedBy: 'acme' | 'globex',
    reporting?: { currency: string; rate: string },
  ) => {
    await a.attribution.propose.mutate({
      dealId,
      splits: [
        { companyId: acme.id, kind: sourcedBy === 'acme' ? 'sourced' : 'influenced', bps: 5000 },
        {
          companyId: globex.id,
          kind: sourcedBy === 'globex' ? 'sourced' : 'influenced',
          bps: 5000,
        },
      ],
      ...(reporting ? { reporting: { [acme.id]: reporting } } : {}),
    });
    await a.attribution.sign.mutate({ dealId, version: 1 });
    await b.attribution.sign.mutate({ dealId, version: 1 });
  };
  await seal(await deal('Data platform', 120_000_00, 'EUR', true), 'globex');
  await seal(await deal('Analytics', 50_000_00, 'EUR', true), 'acme');
  // Closed in USD; acme reports in EUR and froze the rate at close.
  await seal(await deal('US expansion', 100_000_00, 'USD', true), 'acme', {
    currency: 'EUR',
    rate: '0.9',
  });
  await deal('EU pipeline', 20_000_00, 'EUR', false);
  await deal('US pipeline', 10_000_00, 'USD', false);

  browser = await launchChromium();
  context = await browser.newContext({
    baseURL: server.url,
    viewport: { width: 1366, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await signInWithToken(page, await acme.memberToken('admin'));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const figure = (name: string) => page.getByRole('figure', { name });

describe('the program page', () => {
  it('offers a form for the first partner profile, and scores partners once it is saved', async () => {
    await page.getByRole('link', { name: 'Program' }).click();
    const form = page.getByRole('form', { name: 'Partner profile' });
    await form.getByLabel('Partner type').selectOption('reseller');
    await form.getByLabel('Motion fit').fill('3');
    await form.getByLabel('Recruit at (%)').fill('50');
    await form.getByLabel('Nurture at (%)').fill('20');
    await form.getByRole('button', { name: 'Save the profile' }).click();
    const buckets = page.getByTestId('profile-buckets');
    for (const name of ['Recruit', 'Nurture', 'Pass'])
      await buckets.getByRole('heading', { name: new RegExp(`^${name}`) }).waitFor();
    await buckets.getByText('globex', { exact: false }).first().waitFor();
    expect(await a.partnerProfiles.list.query()).toMatchObject([
      { partnerType: 'reseller', thresholds: { recruit: 0.5, nurture: 0.2 } },
    ]);
  });

  it('writes every chart’s values on it, and repeats no card', async () => {
    const charts = page.getByTestId('chart');
    await expect.poll(() => charts.count()).toBe(5);
    const titles = await page.locator('[data-testid=chart] h2').allInnerTexts();
    // The activation pie and the win-rate bars only repeated the cards above them.
    expect(titles.join('|')).not.toMatch(/Activated vs paper|Win rate/);
    for (const title of titles) {
      const labels = figure(title).locator('.recharts-label-list text');
      await expect.poll(() => labels.count(), { message: title }).toBeGreaterThan(0);
      const texts = (await labels.allTextContents()).filter((t) => t.trim() !== '');
      expect(texts.length, title).toBeGreaterThan(0);
    }
    // Co-sold average: (€120,000 + €50,000 + €90,000) / 3, compact on the bar.
    const size = figure('Average won deal size, co-sold vs not');
    expect(await size.locator('.recharts-label-list text').allTextContents()).toContain('€86.7K');
    const cycle = figure('Cycle time of won deals, co-sold vs not');
    expect(await cycle.locator('.recharts-label-list text').allTextContents()).toContain('70 days');
  });

  it('draws no series that is zero throughout: partner-sourced comes from the sealed attribution', async () => {
    for (const title of [
      'Sourced vs influenced pipeline by quarter',
      'Sourced vs influenced revenue by quarter',
    ]) {
      const chart = figure(title);
      expect((await chart.locator('.recharts-legend-item-text').allInnerTexts()).sort()).toEqual([
        'Influenced',
        'Sourced',
      ]);
      await chart.getByRole('button', { name: 'Show the numbers' }).click();
      const rows = chart.getByRole('table').locator('tbody tr');
      const cells = async (column: number) =>
        (await rows.locator(`td:nth-of-type(${column})`).allInnerTexts()).map((t) =>
          Number(t.replace(/[^\d.]/g, '')),
        );
      // Both series have a quarter with money in it.
      expect(Math.max(...(await cells(1))), `${title}: sourced`).toBeGreaterThan(0);
      expect(Math.max(...(await cells(2))), `${title}: influenced`).toBeGreaterThan(0);
      await chart.getByRole('button', { name: 'Show the chart' }).click();
      await chart.locator('.recharts-wrapper').waitFor();
    }
    const revenue = figure('Sourced vs influenced revenue by quarter');
    const labels = await revenue.locator('.recharts-label-list text').allTextContents();
    // Globex sourced Data platform (€120K); acme sourced the other two (influenced: €140K).
    expect(labels).toEqual(expect.arrayContaining(['€120K', '€140K']));
  });

  it('counts a deal closed in USD at its frozen rate in the EUR figures, and says how', async () => {
    const note = page.getByTestId('currency-note');
    await expect.poll(() => note.innerText()).toMatch(/Money in EUR, your most used currency/);
    expect(await note.innerText()).toMatch(
      /Of 3 deals closed in this window, 1 was in another currency: 1 converted at the rate frozen at its close\./,
    );
    expect(await note.innerText()).toMatch(
      /Open deals created in the window in other currencies: 1 converted at the latest frozen rate\./,
    );
    // Partner revenue: €120,000 + €50,000 + $100,000 × 0.9.
    const concentration = figure('Concentration: revenue of the top ten partners');
    expect(await concentration.locator('.recharts-label-list text').allTextContents()).toEqual([
      '€260K',
    ]);
    await concentration.getByRole('button', { name: 'Show the numbers' }).click();
    expect(await concentration.getByRole('table').innerText()).toMatch(/globex Inc\.\s+€260,000/);
    await concentration.getByRole('button', { name: 'Show the chart' }).click();
    await page.getByText('€260,000 in all').waitFor();
  });

  it('keeps every axis label and value inside its chart', async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    await expect.poll(() => page.locator('[data-testid=chart] .recharts-wrapper').count()).toBe(5);
    const clipped = await page.evaluate(() =>
      Array.from(document.querySelectorAll('[data-testid=chart] svg.recharts-surface')).flatMap(
        (svg) => {
          const box = svg.getBoundingClientRect();
          return Array.from(svg.querySelectorAll('text'))
            .filter((t) => (t.textContent ?? '').trim() !== '')
            .filter((t) => {
              const r = t.getBoundingClientRect();
              return r.left < box.left - 0.5 || r.right > box.right + 0.5;
            })
            .map((t) => t.textContent);
        },
      ),
    );
    expect(clipped).toEqual([]);
    await screenshot(page, '11-program-tablet');
    await page.setViewportSize({ width: 1366, height: 900 });
    await screenshot(page, '10-program');
  });
});

describe('the pipeline', () => {
  it('shows counts and totals by stage in the reporting currency', async () => {
    await page.getByRole('link', { name: 'Pipeline' }).click();
    const totals = page.getByTestId('stage-totals');
    await totals.getByRole('heading', { name: 'Totals by stage in EUR' }).waitFor();
    const row = (stage: string) => totals.locator(`tr[data-stage=${stage}]`);
    await expect.poll(() => row('qualified').innerText()).toMatch(/Qualified\s+2\s+€29,000\.00/);
    expect(await row('qualified').innerText()).toMatch(/€20,000\.00 · .*\$10,000\.00/);
    expect(await row('won').innerText()).toMatch(/Won\s+3\s+€260,000\.00/);
    expect(await row('total').innerText()).toMatch(/All stages\s+5\s+€289,000\.00/);
    expect(await totals.getByTestId('stage-totals-rule').innerText()).toMatch(
      /rate frozen at its close.*latest rate.*No deal was left out/s,
    );
    await screenshot(page, '12-pipeline-totals');
  });
});

describe('the finance page', () => {
  it('previews the period’s records and totals before export', async () => {
    await page.getByRole('link', { name: 'Finance' }).click();
    await page.getByRole('radio', { name: 'Dates' }).check();
    await page.getByLabel('From').fill(daysAgo(60));
    await page.getByLabel('To').fill(daysAgo(0));
    const preview = page.getByTestId('export-preview');
    await preview.getByRole('heading', { name: /: 3 records to export$/ }).waitFor();
    const totals = preview.getByTestId('preview-totals');
    expect(await totals.innerText()).toMatch(/EUR\s+2\s+€170,000\.00\s+€85,000\.00/);
    expect(await totals.innerText()).toMatch(/USD\s+1\s+\$100,000\.00\s+\$50,000\.00/);
    expect(await preview.innerText()).toMatch(/your share converted: €45,000\.00/);
    const records = preview.getByTestId('preview-records');
    for (const title of ['Data platform', 'Analytics', 'US expansion'])
      await records.getByRole('rowheader', { name: title }).waitFor();
    expect(await records.innerText()).toMatch(/globex Inc\. \(sourced, 50%\)/);
  });

  it('shows a progress bar while exporting and while verifying', async () => {
    // Hold the downloads and the key fetches a moment, so each phase is on screen to see.
    const hold = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await page.route('**/api/v1/attribution/export.json?*', async (route) => {
      const response = await route.fetch();
      await hold(1500);
      await route.fulfill({ response });
    });
    await page.route('**/.well-known/jwks.json', async (route) => {
      const response = await route.fetch();
      await hold(1500);
      await route.fulfill({ response });
    });
    await page.getByRole('button', { name: /Download the signed export/ }).click();
    const exporting = page.getByTestId('export-progress');
    await exporting.waitFor();
    expect(await exporting.getAttribute('max')).toBe('4');
    expect(await page.getByRole('status').filter({ hasText: 'Exporting' }).innerText()).toMatch(
      /Exporting: \d of 3 records/,
    );
    const verifying = page.getByTestId('verify-progress');
    await verifying.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => page.getByTestId('verification').innerText(), { timeout: 15_000 })
      .toContain('Verified: 3 records, 6 company signatures');
    await page.unrouteAll();
    await screenshot(page, '13-finance-preview');
  });

  it('copies the whole verify command', async () => {
    const command = await page.getByTestId('verify-command').innerText();
    expect(command).toMatch(
      /^npx tandem verify tandem-attribution-\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d\.json --jwks \S+\/companies\/\S+\/\.well-known\/jwks\.json,\S+\/\.well-known\/jwks\.json --log-key \S+\/\.well-known\/tandem-log\.vkey$/,
    );
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByText('Copied the whole command.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
  });
});

describe('pages by role', () => {
  it('shows an alliance member no Finance tab, and says whom to ask at its address', async () => {
    const alliance = await context.browser()!.newContext({ baseURL: server.url });
    const p = await alliance.newPage();
    p.on('pageerror', (e) => errors.push(e.message));
    try {
      await signInWithToken(p, await acme.memberToken('alliance'));
      const nav = p.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Pipeline' }).waitFor();
      expect(await nav.getByRole('link').allInnerTexts()).toEqual([
        'Pipeline',
        'Program',
        'Webhooks',
      ]);
      await p.goto('/finance');
      const note = p.getByTestId('no-access');
      await note.waitFor();
      expect(await note.innerText()).toMatch(
        /Your role \(alliance\) cannot use the Finance page\. It is for admin or finance members\./,
      );
      expect(await note.innerText()).toMatch(
        /ask an admin of acme Inc\. to give you one of those roles/,
      );
      await screenshot(p, '14-no-access');
    } finally {
      await alliance.close();
    }
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
