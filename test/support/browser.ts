import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { PASSWORD } from './test-app';

/** Debian's Chromium, never a downloaded one (`apt-get install -y chromium`). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing: CI must install it (apt-get install -y chromium)`);
}

/** `describe` where Chromium is installed, `describe.skip` elsewhere (CI refuses to run without it). */
export const describeInBrowser = hasChromium ? describe : describe.skip;

/**
 * On the demo page: clicks `selector` (after filling the credentials, if given) and returns the page's result once
 * it is idle (`aria-busy` cleared).
 */
export async function act(
  page: Page,
  selector: string,
  credentials?: { email: string; password?: string },
): Promise<string> {
  if (credentials) {
    await page.fill('#email', credentials.email);
    await page.fill('#password', credentials.password ?? PASSWORD);
  }
  await page.click(selector);
  await page.waitForSelector('body:not([aria-busy])', { state: 'attached' });
  return (await page.textContent('#result')) ?? '';
}

/** Problems a page reports: script errors and Content-Security-Policy violations, as they happen. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text());
  });
  return problems;
}
