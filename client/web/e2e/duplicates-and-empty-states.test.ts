import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../build-web.ts';
import { partnerPair } from '../../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/kit/harness.ts';
import { startReceiver } from '../../../test/kit/webhook-receiver.ts';
import { launchChromium, newContext, screenshot, signInWithToken } from './browser.ts';

/**
 * In Chromium against the real server: a deal's possible duplicates named by title with why they
 * match, merged, linked and dismissed from the deal room (each in both companies' history, and
 * the outcome on the partner's side), empty states whose control fills them, and a webhook form
 * that says each problem once, beside its field, in words, until it is fixed.
 */

let server: TestServer;
/** A second server that refuses private webhook addresses, as production does. */
let strict: TestServer;
let browser: Browser;
let acmePage: Page;
let globexPage: Page;
const errors: string[] = [];
const deals = {} as Record<'merge' | 'link' | 'dismiss', { acme: string; globex: string }>;
let globexName: string;

const fields = (title: string, domain: string) => ({
  title,
  customer: { name: 'Initech', domain },
  amountMinor: 12_000_000,
  currency: 'EUR',
  stage: 'qualified' as const,
  expectedCloseDate: '2027-03-31',
});

beforeAll(async () => {
  await ensureWebBuild();
  server = await startTestServer();
  const { acme, globex, a, b } = await partnerPair(server, { role: 'admin' });
  globexName = globex.name;
  // Each pair: acme's deal shared with globex, and globex's own copy of it shared back.
  const pair = async (title: string, domain: string) => {
    const mine = await a.opportunities.create.mutate({
      fields: fields(title, domain),
      shareWith: [{ partner: 'globex', role: 'co_seller' }],
    });
    await b.opportunities.accept.mutate({ id: mine.id });
    const theirs = await b.opportunities.create.mutate({
      fields: fields(title.toUpperCase(), domain),
      shareWith: [{ partner: 'acme', role: 'co_seller' }],
    });
    await a.opportunities.accept.mutate({ id: theirs.id });
    return { acme: mine.id, globex: theirs.id };
  };
  deals.merge = await pair('Data platform', 'initech.com');
  deals.link = await pair('Analytics phase one', 'hooli.com');
  deals.dismiss = await pair('Support renewal', 'umbrella.com');

  strict = await startTestServer({ env: { TANDEM_WEBHOOKS_ALLOW_PRIVATE: '0' } });

  browser = await launchChromium();
  acmePage = (await newContext(browser, server.url, errors)).page;
  globexPage = (await newContext(browser, server.url, errors)).page;
  await signInWithToken(acmePage, await acme.memberToken('admin'));
  await signInWithToken(globexPage, await globex.memberToken('admin'));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await strict?.stop();
});

async function openRoom(page: Page, id: string): Promise<void> {
  await page.goto(`/deals/${id}`);
  await page.getByRole('heading', { name: 'Shared fields' }).waitFor();
}

const historyEntry = (page: Page, what: string) =>
  page.locator('.history li').filter({ hasText: what });

describe('possible duplicates in the deal room', () => {
  it('names each by title, customer and owner, with why they match, not “deal 1”', async () => {
    await openRoom(acmePage, deals.merge.acme);
    const panel = acmePage.getByTestId('duplicates');
    await panel.getByRole('heading', { name: 'Possible duplicates' }).waitFor();
    const item = panel.getByTestId('possible-duplicate');
    await expect.poll(() => item.count()).toBe(1);
    await item.getByRole('link', { name: 'DATA PLATFORM' }).waitFor();
    expect(await item.innerText()).toContain(`registered by ${globexName}`);
    const reasons = item.getByRole('list', { name: 'Why “DATA PLATFORM” matches' });
    expect(await reasons.getByRole('listitem').allInnerTexts()).toEqual([
      'Same customer website (initech.com)',
      'Same title',
      'Same customer (Initech)',
      expect.stringMatching(/^Same amount \(.*120,000\.00\)$/),
      expect.stringMatching(/^Same expected close date \(.*2027\)$/),
    ]);
    for (const name of ['Merge…', 'Link as related', 'Not a duplicate'])
      await item.getByRole('button', { name }).waitFor();
    expect(await acmePage.locator('.room-head').innerText()).not.toMatch(/deal 1/);
    await screenshot(acmePage, 'dup-01-panel');
  });

  it('merges after a dialog that says what happens; both companies see the outcome', async () => {
    await openRoom(acmePage, deals.merge.acme);
    const item = acmePage.getByTestId('possible-duplicate');
    await item.getByRole('button', { name: 'Merge…' }).click();
    const dialog = acmePage.getByRole('dialog', { name: /^Merge “Data platform” and/ });
    await dialog.waitFor();
    expect(await dialog.getByRole('radio', { name: /^Keep this deal/ }).isChecked()).toBe(true);
    const said = await dialog.getByTestId('merge-consequences').innerText();
    expect(said).toContain('“DATA PLATFORM” will be closed as a duplicate of “Data platform”');
    expect(said).toContain('Nothing is deleted');
    expect(said).toContain(`${globexName}`);
    await screenshot(acmePage, 'dup-02-merge-dialog');
    await dialog.getByRole('button', { name: 'Close “DATA PLATFORM” as a duplicate' }).click();
    await expect
      .poll(() => acmePage.getByTestId('duplicate-outcome').innerText())
      .toBe('Merged: “DATA PLATFORM” is closed as a duplicate of “Data platform”.');
    expect(await dialog.isVisible()).toBe(false);
    const related = acmePage.getByTestId('related-deal');
    await expect
      .poll(() => related.innerText())
      .toMatch(/^Kept\s+Closed into this deal as its duplicate: DATA PLATFORM /);
    await historyEntry(acmePage, 'Duplicate merged').first().waitFor();
    expect(await acmePage.getByTestId('possible-duplicate').count()).toBe(0);

    // Globex's copy: closed, kept with its history, pointing at the deal that was kept.
    await openRoom(globexPage, deals.merge.globex);
    await expect
      .poll(() => globexPage.getByTestId('related-deal').innerText())
      .toMatch(/^Closed as a duplicate\s+This deal was closed as a duplicate of Data platform /);
    await globexPage
      .getByTestId('related-deal')
      .getByRole('link', { name: 'Data platform' })
      .waitFor();
    expect(await globexPage.locator('.room-head p.sub').innerText()).toContain('Lost');
    await historyEntry(globexPage, 'Duplicate merged').first().waitFor();
    await screenshot(globexPage, 'dup-03-merged-partner-side');
  });

  it('links two related deals, both open, in both companies’ rooms', async () => {
    await openRoom(acmePage, deals.link.acme);
    await acmePage
      .getByTestId('possible-duplicate')
      .getByRole('button', { name: 'Link as related' })
      .click();
    await expect
      .poll(() => acmePage.getByTestId('duplicate-outcome').innerText())
      .toBe(
        'Linked: “Analytics phase one” and “ANALYTICS PHASE ONE” are related deals; both stay open.',
      );
    await expect
      .poll(() => acmePage.getByTestId('related-deal').innerText())
      .toMatch(/^Linked\s+Both deals stay open: ANALYTICS PHASE ONE /);
    await historyEntry(acmePage, 'Duplicate linked').first().waitFor();

    await openRoom(globexPage, deals.link.globex);
    const theirs = globexPage.getByTestId('related-deal');
    await theirs.getByRole('link', { name: 'Analytics phase one' }).waitFor();
    expect(await theirs.innerText()).toMatch(
      /^Linked\s+Both deals stay open: Analytics phase one /,
    );
    expect(await globexPage.locator('.room-head p.sub').innerText()).toContain('Open');
    await historyEntry(globexPage, 'Duplicate linked').first().waitFor();
  });

  it('dismisses a pair that is not a duplicate, for both companies', async () => {
    await openRoom(acmePage, deals.dismiss.acme);
    await acmePage
      .getByTestId('possible-duplicate')
      .getByRole('button', { name: 'Not a duplicate' })
      .click();
    await expect
      .poll(() => acmePage.getByTestId('duplicate-outcome').innerText())
      .toBe('Dismissed: “SUPPORT RENEWAL” is no longer flagged as a duplicate of this deal.');
    await historyEntry(acmePage, 'Duplicate dismissed').first().waitFor();
    expect(await acmePage.getByTestId('duplicates').count()).toBe(0);

    await openRoom(globexPage, deals.dismiss.globex);
    await historyEntry(globexPage, 'Duplicate dismissed').first().waitFor();
    expect(await globexPage.getByTestId('duplicates').count()).toBe(0);
    expect(await globexPage.locator('.room-head').innerText()).not.toContain('Possible duplicate');
  });
});

describe('empty states that offer the action that fills them', () => {
  it('names the company’s executive sponsor from the empty sponsor line', async () => {
    await openRoom(acmePage, deals.link.acme);
    const mine = acmePage.getByTestId('my-sponsor');
    await expect.poll(() => mine.innerText()).toMatch(/^Executive sponsor: not named yet/);
    await mine.getByRole('button', { name: 'Name your executive sponsor' }).click();
    const form = acmePage.getByRole('form', { name: 'Name your executive sponsor' });
    await form.getByLabel('Executive sponsor').fill('Dana Scully');
    await form.getByRole('button', { name: 'Save sponsor' }).click();
    await expect.poll(() => mine.innerText()).toMatch(/^Executive sponsor: Dana Scully/);
    expect(await form.count()).toBe(0);
    // The partner sees it named too.
    await openRoom(globexPage, deals.link.acme);
    await globexPage.locator('.participants').getByText('Executive sponsor: Dana Scully').waitFor();
  });

  it('adds the first webhook endpoint from the empty list, and fills its empty log', async () => {
    const receiver = await startReceiver();
    const hookUrl = receiver.url;
    try {
      await acmePage.getByRole('link', { name: 'Webhooks' }).click();
      const empty = acmePage.getByTestId('no-endpoints');
      await empty.getByText('No endpoints yet').waitFor();
      await empty.getByRole('button', { name: 'Add your first endpoint' }).click();
      const url = acmePage
        .getByRole('form', { name: 'Add an endpoint' })
        .getByLabel('Endpoint URL');
      expect(await url.evaluate((el) => el === document.activeElement)).toBe(true);
      await url.fill(hookUrl);
      await acmePage.getByRole('button', { name: 'Add endpoint' }).click();
      const card = acmePage.getByTestId('webhook-endpoint').filter({ hasText: hookUrl });
      await card.waitFor();
      expect(await empty.count()).toBe(0);

      // A new endpoint gets events from now on: its empty log offers the past ones.
      const none = card.getByTestId('no-deliveries');
      await none.getByRole('button', { name: 'Send it the past events' }).click();
      const delivered = card
        .getByTestId('delivery-log')
        .getByRole('row')
        .filter({ hasText: 'opportunity.created' })
        .filter({ hasText: 'delivered' });
      await delivered.first().waitFor({ timeout: 10_000 });
      expect(receiver.received.map((d) => d.body.type)).toContain('opportunity.created');
      await screenshot(acmePage, 'dup-04-webhook-log-filled');
    } finally {
      await receiver.close();
    }
  });
});

describe('the webhook form’s problems', () => {
  it('says each once, beside its field, in words, and clears it once fixed', async () => {
    await acmePage.getByRole('link', { name: 'Webhooks' }).click();
    const form = acmePage.getByRole('form', { name: 'Add an endpoint' });
    const url = form.getByLabel('Endpoint URL');
    const types = form.getByLabel('Event types');
    await url.fill('crm.acme.example/hooks');
    await types.fill('opportunity.*, deals..changed');
    await form.getByRole('button', { name: 'Add endpoint' }).click();

    const problems = form.getByTestId('field-problem');
    await expect.poll(() => problems.count()).toBe(2);
    expect(await problems.allInnerTexts()).toEqual([
      'Enter the full web address of your endpoint, starting with https://, for example https://example.com/tandem.',
      '“deals..changed” is not an event type: use an exact type (opportunity.updated), a prefix ending in .* (opportunity.*), or * for everything.',
    ]);
    // Once each: no second list of the same problems, and no raw field path anywhere.
    expect(await form.getByRole('alert').count()).toBe(0);
    const text = await form.innerText();
    expect(text).not.toMatch(/\burl:|event types 0|eventTypes/);
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await url.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(acmePage, 'dup-05-webhook-form-problems');

    await url.fill('https://crm.acme.example/hooks');
    await expect.poll(() => problems.count()).toBe(1);
    expect(await url.getAttribute('aria-invalid')).toBeNull();
    await types.fill('opportunity.*, deal.changed');
    await expect.poll(() => problems.count()).toBe(0);
  });

  it('says the server’s refusal of an address once, beside the URL, in words', async () => {
    const solo = await strict.company('solo');
    const { page } = await newContext(browser, strict.url, errors);
    await signInWithToken(page, await solo.memberToken('admin'));
    await page.getByRole('link', { name: 'Webhooks' }).click();
    const form = page.getByRole('form', { name: 'Add an endpoint' });
    const url = form.getByLabel('Endpoint URL');
    await url.fill('https://127.0.0.1/tandem');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const problems = form.getByTestId('field-problem');
    await expect
      .poll(() => problems.allInnerTexts())
      .toEqual([
        'This address is on a private network. Tandem delivers webhooks only to public addresses.',
      ]);
    expect(await form.getByRole('alert').count()).toBe(0);
    expect(await form.innerText()).not.toMatch(/\burl:|resolves to/);
    await url.fill('https://hooks.acme.example/tandem');
    await expect.poll(() => problems.count()).toBe(0);
    await page.context().close();
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
