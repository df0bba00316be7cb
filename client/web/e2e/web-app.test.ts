import {
  apiLog,
  loadWitnessKey,
  newWitnessKey,
  witnessRound,
  type WitnessState,
} from '../../sdk/witness.ts';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../build-web.ts';
import { partnerPair } from '../../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/kit/harness.ts';
import { callTool, mcpClient } from '../../../test/kit/mcp-client.ts';
import { launchChromium, newContext, screenshot, signInWithToken } from './browser.ts';

/**
 * The web app in Debian's Chromium against the real server (random port, temp SQLite): two
 * companies in one deal room, live fields and notes, attribution to the seal, program charts,
 * the finance export, and a screenshot of every main page in test-results/screenshots.
 */

let server: TestServer;
let browser: Browser;
let acmePage: Page;
let globexPage: Page;
let dealId: string;
let acmeToken: string;
let globexToken: string;
let acmeId: string;
const errors: string[] = [];
const password = 'correct horse battery';

beforeAll(async () => {
  await ensureWebBuild();
  server = await startTestServer();
  const { acme, globex, a, b } = await partnerPair(server, { role: 'admin' });
  acmeToken = await acme.memberToken('admin');
  acmeId = acme.id;
  await a.members.add.mutate({ email: 'ada@acme.test', name: 'Ada Acme', role: 'admin', password });
  const deal = await a.opportunities.create.mutate({
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
  await b.opportunities.accept.mutate({ id: deal.id });
  dealId = deal.id;
  // A partner profile for resellers, so the program page has buckets to show.
  await a.partnerProfiles.set.mutate({
    partnerType: 'reseller',
    dimensions: [{ key: 'motion_fit', weight: 1 }],
    thresholds: { recruit: 0.5, nurture: 0.2 },
  });

  browser = await launchChromium();
  acmePage = (await newContext(browser, server.url, errors)).page;
  globexPage = (await newContext(browser, server.url, errors)).page;
  await acmePage.goto('/');
  await screenshot(acmePage, '01-sign-in');
  // Ada signs in with her password; Globex's admin pastes a token.
  await acmePage.getByRole('tab', { name: 'Email and password' }).click();
  await acmePage.getByLabel('Company').fill('acme');
  await acmePage.getByLabel('Email').fill('ada@acme.test');
  await acmePage.getByLabel('Password').fill(password);
  await acmePage.getByRole('button', { name: 'Sign in' }).click();
  await acmePage.getByTestId('signed-in-as').getByText('Ada Acme').waitFor();
  globexToken = await globex.memberToken('admin');
  await signInWithToken(globexPage, globexToken);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openRoom(page: Page): Promise<void> {
  await page.goto(`/deals/${dealId}`);
  await page.getByRole('heading', { name: 'Shared fields' }).waitFor();
}

describe('the web app in a real browser', () => {
  it('lists the shared deal in both companies’ pipelines', async () => {
    await acmePage.getByTestId('deal-table').getByRole('link', { name: 'Data platform' }).waitFor();
    await screenshot(acmePage, '02-pipeline');
    await globexPage.getByTestId('deal-table').getByRole('link', { name: 'Data platform' }).click();
    await globexPage.getByRole('heading', { name: 'Shared fields' }).waitFor();
  });

  it('ranks the partners for a new deal with reasons before the share is chosen', async () => {
    await acmePage.getByRole('button', { name: 'New deal' }).click();
    const form = acmePage.getByRole('form', { name: 'New deal' });
    await form.getByLabel('Title').fill('Analytics rollout');
    await form.getByLabel('Customer', { exact: true }).fill('Hooli');
    await form.getByLabel('Segment').selectOption('enterprise');
    const top = form.getByTestId('idp-partner').first();
    await top.getByText('Top pick').waitFor();
    await expect.poll(() => top.innerText()).toMatch(/globex/i);
    expect(await top.getByTestId('idp-probability').innerText()).toMatch(
      /\d+% estimated win probability/,
    );
    const reasons = top.getByRole('list', { name: /^Reasons for/ });
    expect(await reasons.getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await reasons.innerText()).toMatch(/(For|Against|Neutral) .+: .+/);
    // The share stays the person's choice: nothing is ticked for them.
    expect(await top.getByRole('checkbox', { name: /^Share with/ }).isChecked()).toBe(false);
    await screenshot(acmePage, '02b-new-deal');
    await acmePage.getByRole('button', { name: 'Close the new deal form' }).click();
  });

  it('shows a field and a note typed in one company’s room in the other’s within a second', async () => {
    await openRoom(acmePage);
    await openRoom(globexPage);
    for (const page of [acmePage, globexPage])
      await expect
        .poll(() => page.getByTestId('sync-status').innerText(), { timeout: 10_000 })
        .toBe('Live');

    // Presence: Globex sees Ada in the room, and which field she is in.
    await acmePage.getByLabel('Next step').click();
    await globexPage.locator('.presence').getByText('Ada Acme').waitFor({ timeout: 2000 });

    await acmePage.getByLabel('Next step').fill('Joint workshop on Friday');
    const typedField = Date.now();
    await expect
      .poll(() => globexPage.getByLabel('Next step').inputValue(), { timeout: 1000, interval: 50 })
      .toBe('Joint workshop on Friday');
    expect(Date.now() - typedField).toBeLessThan(1000);

    await globexPage.getByRole('textbox', { name: 'Notes' }).click();
    await globexPage.keyboard.type('Globex brings the SI team.');
    const typedNote = Date.now();
    await expect
      .poll(() => acmePage.getByRole('textbox', { name: 'Notes' }).inputValue(), {
        timeout: 1000,
        interval: 50,
      })
      .toContain('Globex brings the SI team.');
    expect(Date.now() - typedNote).toBeLessThan(1000);
    await acmePage.getByLabel('Next step').blur();
    await screenshot(globexPage, '03-deal-room');
  });

  it('shows a step an agent adds over MCP in the partner’s room live, and whose agent it was', async () => {
    await openRoom(globexPage);
    const agent = await mcpClient(server.url, acmeToken);
    const title = 'Agent: book the joint architecture call';
    const added = await callTool(agent, 'add_step', {
      dealId,
      step: { play: 'discovery', ownerCompanyId: acmeId, title },
    });
    await agent.close();
    expect(added.ok).toBe(true);
    const sent = Date.now();
    await globexPage.locator('.steps').getByText(title).first().waitFor({ timeout: 2000 });
    expect(Date.now() - sent).toBeLessThan(2000);
    await openRoom(globexPage);
    const entry = globexPage.locator('.history li').filter({ hasText: 'Step added' }).first();
    await expect.poll(() => entry.locator('.who').innerText()).toMatch(/'s agent · acme$/);
    expect(await entry.locator('.who').getAttribute('title')).toBe(
      'through the agent tool add_step',
    );
  });

  it('shows the deal’s registration receipt verified by both companies, and a witness alarm to admins', async () => {
    const acme = server.client(acmeToken);
    const globex = server.client(globexToken);
    const witness = async (client: typeof acme, name: string) => {
      const file = await newWitnessKey(name);
      await client.transparency.registerWitnessKey.mutate({ vkey: file.vkey });
      return { client, key: await loadWitnessKey(file), state: { logs: {} } as WitnessState };
    };
    const witnesses = [
      await witness(acme, 'acme.test/witness'),
      await witness(globex, 'globex.test/witness'),
    ];
    // Witnesses run in rounds, as deployed ones do: an entry taken into the log between the two
    // companies' rounds (an earlier test's last edit) leaves them on different checkpoints until
    // the next round brings both to the same one.
    for (let round = 0; round < 5; round++) {
      for (const w of witnesses)
        w.state = (await witnessRound(apiLog(w.client), w.key, w.state)).state;
      const { receipts } = await globex.transparency.receipt.query({ dealId });
      if (receipts.every((r) => r.checkpoint)) break;
    }
    await openRoom(globexPage);
    const receipt = globexPage.getByTestId('receipt').first();
    await expect
      .poll(() => receipt.innerText())
      .toMatch(/Verified by both companies at checkpoint \d+/);
    await screenshot(globexPage, '03b-receipt');
    const [log] = await acme.transparency.logs.query();
    await acme.transparency.reportAlarm.mutate({
      partnershipId: log!.partnershipId,
      detail: 'fork: checkpoint 9 does not extend checkpoint 7',
    });
    await acmePage.goto('/pipeline');
    await expect
      .poll(() => acmePage.getByTestId('witness-alarm').innerText())
      .toMatch(/Witness alarm:.*fork: checkpoint 9 does not extend checkpoint 7/);
  });

  it('proposes attribution in one company, both sign, and both see the seal', async () => {
    await server.client(acmeToken).opportunities.update.mutate({
      id: dealId,
      patch: { stage: 'won', closeDate: '2026-11-20' },
    });
    await openRoom(acmePage);
    const propose = acmePage.getByRole('form', { name: 'Propose attribution' });
    await propose.getByRole('button', { name: 'Propose' }).click();
    await acmePage.getByTestId('attribution-v1').waitFor();
    await acmePage.getByRole('button', { name: /^Sign for acme/ }).click();
    await acmePage
      .getByTestId('attribution-v1')
      .getByText('Signed', { exact: false })
      .first()
      .waitFor();

    await openRoom(globexPage);
    await globexPage.getByRole('button', { name: /^Sign for globex/ }).click();
    await globexPage.getByTestId('sealed').waitFor();
    await openRoom(acmePage);
    await expect
      .poll(() => acmePage.getByTestId('sealed').innerText())
      .toContain('Sealed: version 1');
    await screenshot(acmePage, '04-deal-room-sealed');
  });

  it('renders the program charts and the partner profile buckets', async () => {
    await acmePage.getByRole('link', { name: 'Program' }).click();
    await acmePage.getByRole('heading', { name: 'Program', level: 1 }).waitFor();
    const charts = acmePage.getByTestId('chart');
    // Five: the activation and win-rate charts only repeated the cards (program-and-finance.test.ts).
    await expect.poll(() => charts.count()).toBe(5);
    await expect
      .poll(() => acmePage.locator('[data-testid=chart] .recharts-wrapper').count())
      .toBe(5);
    const sourced = acmePage.getByRole('figure', {
      name: 'Sourced vs influenced pipeline by quarter',
    });
    await expect.poll(() => sourced.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await acmePage
      .getByTestId('first-deals')
      .getByRole('link', { name: 'Data platform' })
      .waitFor();
    const buckets = acmePage.getByTestId('profile-buckets');
    for (const name of ['Recruit', 'Nurture', 'Pass'])
      await buckets.getByRole('heading', { name: new RegExp(`^${name}`) }).waitFor();
    await buckets.getByText('Globex', { exact: false }).first().waitFor();
    await screenshot(acmePage, '05-program');
  });

  it('downloads the period’s signed export and CSV and verifies them', async () => {
    await acmePage.getByRole('link', { name: 'Finance' }).click();
    await acmePage.getByRole('radio', { name: 'Dates' }).check();
    await acmePage.getByLabel('From').fill('2026-11-01');
    await acmePage.getByLabel('To').fill('2026-11-30');
    const download = acmePage.waitForEvent('download');
    await acmePage.getByRole('button', { name: /Download the signed export/ }).click();
    expect((await download).suggestedFilename()).toMatch(/\.json$/);
    await expect
      .poll(() => acmePage.getByTestId('verification').innerText(), { timeout: 10_000 })
      .toContain('Verified: 1 record, 2 company signatures');
    await screenshot(acmePage, '06-finance');
  });

  it('adds a webhook endpoint and shows a delivered row in its log', async () => {
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(String(req.headers['tandem-event-type']));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      await acmePage.getByRole('link', { name: 'Webhooks' }).click();
      const form = acmePage.getByRole('form', { name: 'Add an endpoint' });
      await form.getByLabel('Endpoint URL').fill(hookUrl);
      await form.getByLabel('Event types').fill('opportunity.*');
      await form.getByRole('button', { name: 'Add endpoint' }).click();
      const card = acmePage.getByTestId('webhook-endpoint').filter({ hasText: hookUrl });
      await card.getByText('active').first().waitFor();

      await server.client(acmeToken).opportunities.update.mutate({
        id: dealId,
        patch: { nextStep: 'Send the order form' },
      });
      const row = card
        .getByTestId('delivery-log')
        .getByRole('row')
        .filter({ hasText: 'opportunity.updated' })
        .filter({ hasText: 'delivered' });
      await row.first().waitFor({ timeout: 5000 });
      expect(received).toContain('opportunity.updated');
      await screenshot(acmePage, '08-webhooks');
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });

  it('lays the pipeline out at tablet width', async () => {
    await acmePage.setViewportSize({ width: 820, height: 1180 });
    await acmePage.getByRole('link', { name: 'Pipeline' }).click();
    await acmePage.getByTestId('deal-table').waitFor();
    const overflow = await acmePage.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(acmePage, '07-pipeline-tablet');
  });

  it('signs out and keeps no token behind', async () => {
    await acmePage.getByRole('button', { name: 'Sign out' }).click();
    await acmePage.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
    expect(await acmePage.evaluate(() => sessionStorage.length)).toBe(0);
    expect(errors).toEqual([]);
  });
});
