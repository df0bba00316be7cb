import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumBinary } from './chromium-binary.ts';

/** Chromium (see chromium-binary.ts), headless, with nothing that reaches for the network on its own. */
export async function launchChromium(): Promise<Browser> {
  const { executablePath, env } = await chromiumBinary();
  return chromium.launch({
    executablePath,
    env: { ...process.env, ...env } as Record<string, string>,
    // Playwright gives every launch a fresh, temporary user-data-dir.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const screenshotDir = path.resolve(import.meta.dirname, '../../../test-results/screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** A browser context at laptop width that reports page errors to the test. */
export async function newContext(
  browser: Browser,
  baseURL: string,
  errors: string[],
  viewport = { width: 1366, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page };
}

/** Signs in on the sign-in screen by pasting a token. */
export async function signInWithToken(page: Page, token: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Paste a token' }).click();
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Use this token' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}
