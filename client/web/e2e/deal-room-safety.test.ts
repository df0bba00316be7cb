import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../build-web.ts';
import { partnerPair } from '../../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/kit/harness.ts';
import { callTool, mcpClient } from '../../../test/kit/mcp-client.ts';
import { launchChromium, newContext, screenshot } from './browser.ts';

/**
 * The deal room makes consequential edits safe and its history readable, in Chromium against the
 * real server, with two companies in one room: Won asks first and can be undone (not over the
 * partner's change), every field says saving / saved / offline, a refused edit says why once
 * beside its field, and the history says who changed what from what to what.
 */

let server: TestServer;
let browser: Browser;
let acme: { context: BrowserContext; page: Page };
let globex: { context: BrowserContext; page: Page };
let dealId: string;
let acmeToken: string;
const errors: string[] = [];
const password = 'correct horse battery';

async function signIn(page: Page, company: string, email: string, name: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Email and password' }).click();
  await page.getByLabel('Company').fill(company);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').getByText(name).waitFor();
}

async function openRoom(page: Page): Promise<void> {
  await page.goto(`/deals/${dealId}`);
  await page.getByRole('heading', { name: 'Shared fields' }).waitFor();
  await page
    .getByTestId('sync-status')
    .filter({ hasText: /^Live$/ })
    .waitFor({ timeout: 10_000 });
}

const stageOf = (page: Page) => page.getByLabel('Stage', { exact: true }).inputValue();
const valueOf = (page: Page, label: string) => page.getByLabel(label, { exact: true }).inputValue();
const saveState = (page: Page, field: string) =>
  page.getByTestId(`save-state-${field}`).getAttribute('data-state');
const focusInDialog = (page: Page) =>
  page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));

beforeAll(async () => {
  await ensureWebBuild();
  server = await startTestServer();
  const pair = await partnerPair(server, { role: 'admin' });
  acmeToken = await pair.acme.memberToken('admin');
  await pair.a.members.add.mutate({
    email: 'ada@acme.test',
    name: 'Ada Acme',
    role: 'admin',
    password,
  });
  await pair.b.members.add.mutate({
    email: 'gus@globex.test',
    name: 'Gus Globex',
    role: 'admin',
    password,
  });
  const deal = await pair.a.opportunities.create.mutate({
    fields: {
      title: 'Data platform',
      customer: { name: 'Initech', domain: 'initech.com' },
      amountMinor: 12_000_000,
      currency: 'EUR',
      stage: 'qualified',
      expectedCloseDate: '2026-12-15',
    },
    shareWith: [{ partner: 'globex', role: 'co_seller' }],
  });
  await pair.b.opportunities.accept.mutate({ id: deal.id });
  dealId = deal.id;

  browser = await launchChromium();
  acme = await newContext(browser, server.url, errors);
  globex = await newContext(browser, server.url, errors);
  await signIn(acme.page, 'acme', 'ada@acme.test', 'Ada Acme');
  await signIn(globex.page, 'globex', 'gus@globex.test', 'Gus Globex');
  await openRoom(acme.page);
  await openRoom(globex.page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the deal room keeps consequential edits safe', () => {
  it('asks before marking the deal won, sets it for both on confirm, and undoes it', async () => {
    const a = acme.page;
    const g = globex.page;
    const stage = a.getByLabel('Stage', { exact: true });

    // Escape cancels: nothing changes, and focus is back on the stage.
    await stage.selectOption('won');
    const dialog = a.getByRole('dialog', { name: 'Mark “Data platform” as won?' });
    await dialog.waitFor();
    const said = await dialog.innerText();
    expect(said).toContain('acme Inc. and globex Inc. see the deal as won at once.');
    expect(said).toMatch(/The close date is set to today, /);
    expect(said).toMatch(/Attribution opens/);
    expect(said).toMatch(/As the first deal of the partnership, a debrief step/);
    await screenshot(a, 'safety-01-confirm-won');
    // Focus is trapped: Tab and Shift+Tab wrap inside the dialog.
    expect(await focusInDialog(a)).toBe(true);
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await a.keyboard.press(key);
      expect(await focusInDialog(a)).toBe(true);
    }
    await a.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await stageOf(a)).toBe('qualified');
    expect(await a.evaluate(() => document.activeElement?.id)).toBe('field-stage');

    // Cancel too.
    await stage.selectOption('won');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await stageOf(a)).toBe('qualified');
    await new Promise((r) => setTimeout(r, 300));
    expect(await stageOf(g)).toBe('qualified');

    // Confirmed: both companies have it, with today's close date.
    await stage.selectOption('won');
    await dialog.getByRole('button', { name: 'Mark as won' }).click();
    await expect.poll(() => stageOf(g), { timeout: 2000 }).toBe('won');
    const today = new Date().toISOString().slice(0, 10);
    await expect.poll(() => valueOf(g, 'Closed on')).toBe(today);
    await expect.poll(() => saveState(a, 'stage')).toBe('saved');
    const bar = a.getByTestId('undo-bar');
    expect(await bar.innerText()).toMatch(/You changed Stage from Qualified to Won/);

    // Undo returns it, for the partner too, close date and all.
    await bar.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => stageOf(g), { timeout: 2000 }).toBe('qualified');
    expect(await g.getByLabel('Closed on').count()).toBe(0);
    expect(await bar.innerText()).toMatch(/Undone: Stage is back to Qualified/);
    await expect.poll(() => saveState(a, 'stage')).toBe('saved');

    // Ctrl+Z outside a text input undoes too.
    await a.getByLabel('Motion').selectOption('resell');
    await expect.poll(() => valueOf(g, 'Motion')).toBe('resell');
    await a.locator('h1').click();
    await a.keyboard.press('Control+z');
    await expect.poll(() => valueOf(g, 'Motion'), { timeout: 2000 }).toBe('co_sell');
  });

  it('refuses to undo over a change the partner made since, and says who made it', async () => {
    const a = acme.page;
    const g = globex.page;
    await a.getByLabel('Next step').fill('Acme drafts the proposal');
    await a.getByLabel('Next step').blur();
    await expect.poll(() => valueOf(g, 'Next step')).toBe('Acme drafts the proposal');
    await expect.poll(() => saveState(a, 'nextStep')).toBe('saved');

    await g.getByLabel('Next step').fill('Globex drafts the proposal');
    await g.getByLabel('Next step').blur();
    await expect.poll(() => valueOf(a, 'Next step')).toBe('Globex drafts the proposal');

    await a.getByTestId('undo-bar').getByRole('button', { name: 'Undo' }).click();
    const bar = a.getByTestId('undo-bar');
    await expect
      .poll(() => bar.innerText())
      .toBe(
        'Not undone: Gus Globex (globex Inc.) changed Next step since (to “Globex drafts the proposal”). Their change stays.\n×',
      );
    expect(await bar.getAttribute('role')).toBe('alert');
    await new Promise((r) => setTimeout(r, 300));
    expect(await valueOf(g, 'Next step')).toBe('Globex drafts the proposal');
    expect(await valueOf(a, 'Next step')).toBe('Globex drafts the proposal');
    await screenshot(a, 'safety-02-undo-refused');
  });

  it('says per field whether an edit is saving, saved or kept offline, and sends it on reconnect', async () => {
    const a = acme.page;
    const g = globex.page;
    // Every state the title's mark passes through, as the page renders them.
    await a.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        const state = document
          .querySelector('[data-testid="save-state-title"]')
          ?.getAttribute('data-state');
        if (state && seen.at(-1) !== state) seen.push(state);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await a.getByLabel('Title', { exact: true }).fill('Data platform, phase 1');
    await a.getByLabel('Title', { exact: true }).blur();
    await expect.poll(() => saveState(a, 'title')).toBe('saved');
    expect(await a.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([
      'saving',
      'saved',
    ]);
    expect(await a.getByTestId('save-summary').innerText()).toBe('All changes saved');
    await expect.poll(() => valueOf(g, 'Title')).toBe('Data platform, phase 1');

    // Offline: the edit stays in this tab, says so, and reaches the partner on reconnect.
    await acme.context.setOffline(true);
    await expect.poll(() => a.getByTestId('sync-status').innerText()).toMatch(/^Offline/);
    await a.getByLabel('Next step').fill('Typed while offline');
    await a.getByLabel('Next step').blur();
    await expect.poll(() => saveState(a, 'nextStep')).toBe('offline');
    expect(await a.getByTestId('save-state-nextStep').innerText()).toBe('Offline: not sent yet');
    expect(await a.getByTestId('save-summary').innerText()).toBe(
      'Offline: Next step kept here, sent when you are back online',
    );
    await screenshot(a, 'safety-03-offline');
    await new Promise((r) => setTimeout(r, 500));
    expect(await valueOf(g, 'Next step')).toBe('Globex drafts the proposal');

    await acme.context.setOffline(false);
    await expect
      .poll(() => a.getByTestId('sync-status').innerText(), { timeout: 10_000 })
      .toBe('Live');
    await expect.poll(() => saveState(a, 'nextStep'), { timeout: 5000 }).toBe('saved');
    await expect.poll(() => valueOf(g, 'Next step')).toBe('Typed while offline');
    expect(await a.getByTestId('save-summary').innerText()).toBe('All changes saved');
  });

  it('shows each refused edit once, beside its field, in words, until the field holds a valid value', async () => {
    const a = acme.page;
    const fields = a.locator('section.fields');
    // Refused by the server: an empty title.
    await a.getByLabel('Title', { exact: true }).fill('');
    await a.getByLabel('Title', { exact: true }).blur();
    const titleProblem = a.locator('#field-title-problem');
    await expect
      .poll(() => titleProblem.innerText(), { timeout: 3000 })
      .toBe(
        'Not saved: The title cannot be empty or longer than 255 characters. The saved title is still “Data platform, phase 1”.',
      );
    expect(await a.getByLabel('Title', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await fields.getByRole('alert').count()).toBe(1);
    // Said once: no banner repeats it in the server's words.
    expect(await a.locator('.room > .problem').count()).toBe(0);
    await screenshot(a, 'safety-04-refused-title');
    await a.getByLabel('Title', { exact: true }).fill('Data platform, phase 2');
    await a.getByLabel('Title', { exact: true }).blur();
    await expect.poll(() => titleProblem.count()).toBe(0);
    await expect.poll(() => saveState(a, 'title')).toBe('saved');

    // Caught here: an amount that is not one stays in the field with its problem, not sent.
    const amount = a.getByLabel('Amount (EUR)');
    await amount.fill('12,5x');
    await amount.blur();
    const amountProblem = a.locator('#field-amountMinor-problem');
    await expect
      .poll(() => amountProblem.innerText())
      .toBe('Not saved: enter an amount such as 12500.00 (Esc puts the saved amount back).');
    expect(await amount.inputValue()).toBe('12,5x');
    expect(await fields.getByRole('alert').count()).toBe(1);
    // Esc puts the saved amount back, and the problem goes with it.
    await amount.focus();
    await a.keyboard.press('Escape');
    expect(await amount.inputValue()).toBe('120000.00');
    await expect.poll(() => amountProblem.count()).toBe(0);
    // And a valid amount clears it too.
    await amount.fill('abc');
    await expect.poll(() => amountProblem.count()).toBe(1);
    await amount.fill('130000');
    await expect.poll(() => amountProblem.count()).toBe(0);
    await amount.blur();
    await expect.poll(() => saveState(a, 'amountMinor')).toBe('saved');
    await expect.poll(() => valueOf(globex.page, 'Amount (EUR)')).toBe('130000.00');
    expect(await fields.getByRole('alert').count()).toBe(0);
  });

  it('tells in the history who changed which field from what to what, notes grouped, agents marked', async () => {
    const a = acme.page;
    await a.getByRole('textbox', { name: 'Notes' }).click();
    const typed = 'Globex brings the SI team.';
    await a.keyboard.type(typed, { delay: 90 });
    await expect.poll(() => saveState(a, 'notes'), { timeout: 5000 }).toBe('saved');
    // The notes reach the ledger at most once a second: wait for the last of them.
    const api = server.client(acmeToken);
    await expect
      .poll(async () => (await api.opportunities.get.query({ id: dealId })).fields!.notes, {
        timeout: 5000,
      })
      .toBe(typed);
    const agent = await mcpClient(server.url, acmeToken);
    const proposed = await callTool(agent, 'propose_deal_change', {
      id: dealId,
      patch: { nextStep: 'Agent set' },
    });
    if (!proposed.ok) throw new Error(JSON.stringify(proposed.error));
    const { confirmation } = proposed.result as { confirmation: string };
    expect((await callTool(agent, 'confirm_change', { confirmation })).ok).toBe(true);
    await agent.close();
    await openRoom(globex.page);
    const history = globex.page.locator('.history');
    const entries = history.getByTestId('history-entry');

    const stage = entries.filter({ hasText: 'Stage: Qualified → Won' });
    await stage.first().waitFor();
    expect(await stage.count()).toBe(1);
    expect(await stage.locator('.who').innerText()).toBe('Ada Acme · acme');
    expect(await stage.innerText()).toContain(`Closed on: empty → `);
    const back = entries.filter({ hasText: 'Stage: Won → Qualified' });
    expect(await back.innerText()).toContain('Moved back');

    const amount = entries.filter({ hasText: 'Amount: €120,000.00 → €130,000.00' });
    expect(await amount.locator('.who').innerText()).toBe('Ada Acme · acme');
    const nextStep = entries.filter({
      hasText: 'Next step: “Globex drafts the proposal” → “Typed while offline”',
    });
    expect(await nextStep.locator('.who').innerText()).toBe('Ada Acme · acme');

    // The notes typed: one entry for the whole sentence, though the ledger holds several.
    const notes = entries.filter({ hasText: 'Notes:' });
    expect(await notes.count()).toBe(1);
    expect(await notes.innerText()).toContain(
      `Notes: +${typed.length} characters added “${typed}”`,
    );
    expect(await notes.locator('.when').innerText()).toMatch(/· \d+ edits$/);
    expect(await notes.locator('.who').innerText()).toBe('Ada Acme · acme');

    // No raw "Doc updated" noise.
    expect(await history.innerText()).not.toMatch(/Doc updated/i);

    // The agent's change, marked.
    const byAgent = entries.filter({ hasText: 'Next step: “Typed while offline” → “Agent set”' });
    expect(await byAgent.locator('.who').innerText()).toMatch(/'s agent · acme$/);
    expect(await byAgent.locator('.via').innerText()).toBe('via MCP');
    await screenshot(globex.page, 'safety-05-history');
    expect(errors).toEqual([]);
  });
});
