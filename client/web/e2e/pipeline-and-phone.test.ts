import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../build-web.ts';
import { partnerPair, type PartnerPair } from '../../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/kit/harness.ts';
import {
  launchChromium,
  newContext,
  screenshot,
  screenshotDir,
  signInWithToken,
} from './browser.ts';

/**
 * The pipeline driven from the keyboard (j/k, Enter, /, n, Esc, ?), saved views that live in the
 * address bar and this browser, the pipeline and the deal room on a 390 px phone, and a
 * screenshot of every main page at 1440 and 390 px in test-results/screenshots.
 */

let server: TestServer;
let browser: Browser;
let pair: PartnerPair;
let token: string;
let roomId: string;
const errors: string[] = [];
const wide = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };

/** acme's deals, all shared with globex: the titles the tests look for. */
const deals = [
  { title: 'Data platform', customer: 'Initech', stage: 'qualified', amount: 12_000_000 },
  { title: 'Edge rollout', customer: 'Hooli', stage: 'won', amount: 5_000_000 },
  { title: 'Support renewal', customer: 'Umbrella', stage: 'won', amount: 2_000_000 },
  { title: 'Cloud migration', customer: 'Globochem', stage: 'prospect', amount: 8_000_000 },
] as const;

beforeAll(async () => {
  await ensureWebBuild();
  server = await startTestServer();
  pair = await partnerPair(server, { role: 'admin' });
  token = await pair.acme.memberToken('admin');
  for (const d of deals) {
    const deal = await pair.a.opportunities.create.mutate({
      fields: {
        title: d.title,
        customer: { name: d.customer },
        amountMinor: d.amount,
        currency: 'EUR',
        stage: d.stage,
        ...(d.stage === 'won' ? { closeDate: '2026-05-04' } : { expectedCloseDate: '2026-12-15' }),
      },
      shareWith: [{ partner: 'globex', role: 'co_seller' }],
    });
    await pair.b.opportunities.accept.mutate({ id: deal.id });
    if (d.title === 'Data platform') roomId = deal.id;
  }
  // globex's invitation to acme, not yet accepted: a card with an Accept button.
  await pair.b.opportunities.create.mutate({
    fields: {
      title: 'Partner expansion',
      customer: { name: 'Soylent' },
      amountMinor: 900_000,
      currency: 'EUR',
    },
    shareWith: [{ partner: 'acme', role: 'co_seller' }],
  });
  // A room with something in every panel: a step, a next step, notes.
  await pair.a.steps.add.mutate({
    dealId: roomId,
    step: { play: 'discovery', ownerCompanyId: pair.acme.id, title: 'Joint discovery call' },
  });
  await pair.a.opportunities.update.mutate({
    id: roomId,
    patch: { nextStep: 'Workshop with the data team', notes: 'Globex brings the SI team.' },
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function desktop(): Promise<Page> {
  const { page } = await newContext(browser, server.url, errors, wide);
  await signInWithToken(page, token);
  await page.getByTestId('deal-table').waitFor();
  return page;
}

/** A phone: touch, a mobile viewport, and the header folded (so the sign-in waits for the page). */
async function onPhone(signedIn = true): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: phone,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  if (signedIn) {
    await page.getByRole('tab', { name: 'Paste a token' }).tap();
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Use this token' }).tap();
    await page.getByRole('heading', { name: 'Pipeline', level: 1 }).waitFor();
  }
  return { context, page };
}

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

const filterForm = (page: Page) => page.getByRole('search', { name: 'Filter deals' });
const rows = (page: Page) => page.getByTestId('deal-table').locator('tbody tr');
const selectedTitle = (page: Page) =>
  page.locator('[data-testid=deal-table] tr[aria-selected=true] .deal-title').innerText();

describe('the pipeline from the keyboard, in saved views and on a phone', () => {
  it('saves the filters and sort as a view that is in the address bar and survives a reload', async () => {
    const page = await desktop();
    await page.getByText('Views are saved in this browser.').waitFor();
    await filterForm(page).getByLabel('Stage').selectOption('won');
    await filterForm(page).getByLabel('Sort by').selectOption('amount');
    await expect.poll(() => rows(page).count()).toBe(2);
    expect(new URL(page.url()).search).toBe('?stage=won&sort=amount');

    await page.getByRole('button', { name: 'Save view…' }).click();
    await page.getByLabel('View name').fill('Won by amount');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').getByText('Saved “Won by amount”.').waitFor();
    expect(new URL(page.url()).searchParams.get('view')).toMatch(/\w+/);
    const viewSelect = page.getByRole('group', { name: 'Saved views' }).getByLabel('View');

    // The address bar alone brings the view back; so does picking it on a plain pipeline.
    await page.reload();
    await page.getByTestId('deal-table').waitFor();
    expect(await filterForm(page).getByLabel('Stage').inputValue()).toBe('won');
    expect(await viewSelect.locator('option:checked').innerText()).toBe('Won by amount');
    await page.goto('/pipeline');
    await expect.poll(() => rows(page).count()).toBe(deals.length + 1);
    expect(await viewSelect.locator('option:checked').innerText()).toBe('All deals');
    await viewSelect.selectOption({ label: 'Won by amount' });
    await expect.poll(() => rows(page).count()).toBe(2);
    expect(await filterForm(page).getByLabel('Stage').inputValue()).toBe('won');
    expect(await filterForm(page).getByLabel('Sort by').inputValue()).toBe('amount');
    expect(await rows(page).locator('.deal-title').allInnerTexts()).toEqual([
      'Edge rollout',
      'Support renewal',
    ]);

    // A change shows against the view until it is saved into it.
    await filterForm(page).getByLabel('Order').selectOption('asc');
    await page.getByText('Changed', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changed', { exact: true }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Rename…' }).click();
    await page.getByLabel('View name').fill('Won deals');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    expect(await viewSelect.locator('option:checked').innerText()).toBe('Won deals');
    const stored = await page.evaluate(() =>
      Object.entries(localStorage).filter(([k]) => k.startsWith('tandem.pipeline-views.')),
    );
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0]![1])).toEqual([
      { id: expect.any(String), name: 'Won deals', query: 'stage=won&sort=amount&order=asc' },
    ]);

    await page.getByRole('button', { name: 'Delete' }).click();
    expect(await viewSelect.locator('option').allInnerTexts()).toEqual([
      'All deals',
      'Unsaved filters',
    ]);
    expect(new URL(page.url()).searchParams.has('view')).toBe(false);
    await page.context().close();
  });

  it('moves the selection with j and k, announces it, and opens the deal with Enter', async () => {
    const page = await desktop();
    const table = page.getByTestId('deal-table');
    await page.keyboard.press('j');
    const first = await rows(page).first().getAttribute('id');
    expect(await table.getAttribute('aria-activedescendant')).toBe(first);
    expect(await rows(page).first().getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'deal-table',
    );
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await table.getAttribute('aria-activedescendant')).toBe(
      await rows(page).nth(2).getAttribute('id'),
    );
    await page.keyboard.press('k');
    expect(await rows(page).nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('tr[aria-selected=true]').count()).toBe(1);
    // The ring is drawn on the selected row.
    const ring = await page
      .locator('tr[aria-selected=true] td')
      .first()
      .evaluate((td) => getComputedStyle(td).boxShadow);
    expect(ring).not.toBe('none');
    await screenshot(page, 'pipeline-keyboard-selection-1440');

    const title = await selectedTitle(page);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    expect(page.url()).toContain('/deals/');
    await page.goBack();
    await page.getByTestId('deal-table').waitFor();
    await page.context().close();
  });

  it('focuses the search with /, opens the new deal form with n and closes it with Esc', async () => {
    const page = await desktop();
    const search = filterForm(page).getByRole('searchbox', { name: 'Search' });
    await page.keyboard.press('/');
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await search.inputValue()).toBe('');
    await page.keyboard.type('Edge');
    await expect.poll(() => rows(page).count()).toBe(1);
    await page.keyboard.press('Escape');
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(false);
    expect(await search.inputValue()).toBe('Edge');
    await search.fill('');
    await page.keyboard.press('Escape');

    await page.keyboard.press('n');
    const form = page.getByRole('form', { name: 'New deal' });
    await form.waitFor();
    const title = form.getByLabel('Title');
    expect(await title.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await title.inputValue()).toBe('');
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    expect(
      await page
        .getByRole('button', { name: 'New deal' })
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await page.context().close();
  });

  it('shows the shortcuts with ?, and fires none while typing in an input, a textarea or contenteditable', async () => {
    const page = await desktop();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    for (const what of ['Select the next deal', 'Open the selected deal', 'Search', 'New deal'])
      await dialog.getByText(what, { exact: true }).waitFor();
    await screenshot(page, 'pipeline-shortcuts-1440');
    await page.keyboard.press('j');
    expect(await page.locator('tr[aria-selected=true]').count()).toBe(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    const nothingFired = async () => {
      expect(await page.locator('tr[aria-selected=true]').count()).toBe(0);
      expect(await dialog.isVisible()).toBe(false);
    };
    const search = filterForm(page).getByRole('searchbox', { name: 'Search' });
    await search.click();
    await page.keyboard.type('jk?n');
    expect(await search.inputValue()).toBe('jk?n');
    await nothingFired();
    expect(await page.getByRole('form', { name: 'New deal' }).count()).toBe(0);
    await search.fill('');

    await page.getByRole('button', { name: 'New deal' }).click();
    const form = page.getByRole('form', { name: 'New deal' });
    await form.getByLabel('Title').type('jk/n?');
    expect(await form.getByLabel('Title').inputValue()).toBe('jk/n?');
    await form.getByLabel('Notes').type('jk/?');
    expect(await form.getByLabel('Notes').inputValue()).toBe('jk/?');
    await nothingFired();
    expect(await search.inputValue()).toBe('');
    await page.getByRole('button', { name: 'Close the new deal form' }).click();

    await page.evaluate(() => {
      const div = document.createElement('div');
      div.contentEditable = 'true';
      div.setAttribute('aria-label', 'Scratch');
      document.querySelector('main')!.append(div);
    });
    await page.getByLabel('Scratch').click();
    await page.keyboard.type('jkn/?');
    expect(await page.getByLabel('Scratch').innerText()).toBe('jkn/?');
    await nothingFired();
    expect(await page.getByRole('form', { name: 'New deal' }).count()).toBe(0);
    await page.context().close();
  });

  it('on a 390 px phone folds the header and the filters and shows cards, with no sideways scroll', async () => {
    const { context, page } = await onPhone();
    await page.getByTestId('deal-cards').waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(390);

    // The header: a menu button; the pages behind it.
    const menu = page.getByRole('button', { name: 'Menu' });
    const program = page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Program' });
    expect(await program.isVisible()).toBe(false);
    await menu.tap();
    await program.waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'header-menu-open-390');
    await menu.tap();
    await program.waitFor({ state: 'hidden' });

    // The deals as cards, not a table.
    expect(await page.getByTestId('deal-table').isVisible()).toBe(false);
    const cards = page.getByTestId('deal-cards').getByRole('row');
    expect(await cards.count()).toBe(deals.length + 1);
    await cards
      .filter({ hasText: 'Partner expansion' })
      .getByRole('button', { name: 'Accept' })
      .waitFor();
    const card = cards.filter({ hasText: 'Data platform' });
    const text = await card.innerText();
    for (const part of ['Initech', 'Qualified', '€120,000.00', 'globex Inc.'])
      expect(text).toContain(part);

    // The filters: folded behind a button that counts the active ones.
    const toggle = page.getByRole('button', { name: /^Filters/ });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await filterForm(page).isVisible()).toBe(false);
    await toggle.tap();
    await filterForm(page).waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(390);
    await filterForm(page).getByLabel('Stage').selectOption('won');
    await expect.poll(() => cards.count()).toBe(2);
    expect(await toggle.innerText()).toMatch(/^Filters\s*1/);
    await screenshot(page, 'pipeline-filters-open-390');
    await toggle.tap();
    await filterForm(page).waitFor({ state: 'hidden' });
    await context.close();
  });

  it('on a 390 px phone stacks the deal room in one column with readable inputs and no sideways scroll', async () => {
    const { context, page } = await onPhone();
    await page.getByTestId('deal-cards').getByRole('link', { name: 'Data platform' }).tap();
    await page.getByRole('heading', { name: 'Shared fields' }).waitFor();
    await expect
      .poll(() => page.getByTestId('sync-status').innerText(), { timeout: 10_000 })
      .toBe('Live');
    expect(await sideways(page)).toBeLessThanOrEqual(390);
    // Every panel the room shows, whoever added it: one column, one under another.
    const boxes = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.room-grid > * > section')).map((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x, y: r.y, right: r.right, width: r.width };
      }),
    );
    expect(boxes.length).toBeGreaterThanOrEqual(6);
    for (const box of boxes) {
      expect(box.x).toBeCloseTo(boxes[0]!.x, 0);
      expect(box.width).toBeCloseTo(boxes[0]!.width, 0);
      expect(box.right).toBeLessThanOrEqual(390);
    }
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.y).toBeGreaterThan(boxes[i - 1]!.y);
    const fontSize = await page
      .getByLabel('Next step')
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(16);
    await context.close();
  });

  it('writes a screenshot of every main page at 1440 and 390 px', async () => {
    const pages: { name: string; path: string; ready: (page: Page) => Promise<unknown> }[] = [
      {
        name: 'pipeline',
        path: '/pipeline',
        ready: (p) => p.getByRole('grid', { name: 'Deals' }).first().waitFor({ state: 'attached' }),
      },
      {
        name: 'deal-room',
        path: `/deals/${roomId}`,
        ready: (p) =>
          expect
            .poll(() => p.getByTestId('sync-status').innerText(), { timeout: 10_000 })
            .toBe('Live'),
      },
      {
        name: 'program',
        path: '/program',
        ready: (p) =>
          expect
            .poll(() => p.locator('[data-testid=chart] .recharts-wrapper').count())
            .toBeGreaterThan(0),
      },
      {
        name: 'finance',
        path: '/finance',
        ready: (p) => p.getByRole('heading', { name: 'Finance', level: 1 }).waitFor(),
      },
      {
        name: 'webhooks',
        path: '/webhooks',
        ready: (p) => p.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor(),
      },
    ];
    const written: string[] = [];
    const shoot = async (page: Page, name: string) => {
      await screenshot(page, name);
      written.push(name);
    };
    const wideSignIn = (await newContext(browser, server.url, errors, wide)).page;
    await wideSignIn.goto('/');
    await wideSignIn.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
    await shoot(wideSignIn, 'sign-in-1440');
    await wideSignIn.context().close();
    const phoneSignIn = await onPhone(false);
    await phoneSignIn.page.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
    expect(await sideways(phoneSignIn.page)).toBeLessThanOrEqual(390);
    await shoot(phoneSignIn.page, 'sign-in-390');
    await phoneSignIn.context.close();

    const widePage = await desktop();
    const phonePage = (await onPhone()).page;
    const overflow: Record<string, number> = {};
    for (const p of pages) {
      for (const [page, width] of [
        [widePage, 1440],
        [phonePage, 390],
      ] as const) {
        await page.goto(p.path);
        await p.ready(page);
        overflow[`${p.name}-${width}`] = (await sideways(page)) - width;
        await shoot(page, `${p.name}-${width}`);
      }
    }
    // No page scrolls sideways, at either width.
    expect(Object.entries(overflow).filter(([, px]) => px > 0)).toEqual([]);
    for (const name of written) {
      const stat = fs.statSync(path.join(screenshotDir, `${name}.png`));
      expect(stat.size).toBeGreaterThan(1000);
    }
    expect(written).toHaveLength(12);
    await widePage.context().close();
    await phonePage.context().close();
    expect(errors).toEqual([]);
  });
});
