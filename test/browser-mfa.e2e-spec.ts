import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { generateSync } from 'otplib';
import { type ServerProcess, startServer } from './support/server-process';
import { uniqueEmail } from './support/test-app';
import { act, CHROMIUM, CHROMIUM_ARGS, describeInBrowser, watchProblems } from './support/browser';

/**
 * The demo page's second-factor section (docs/mfa.md) in Chromium against the built server in cookie transport:
 * enrol from the QR code, keep the recovery codes shown once, step up, log in with a code and remember the device
 * (an HttpOnly cookie), log in again without a code, and recover with a recovery code. The codes are computed here
 * with otplib from the key the page shows, on the real clock (the spawned server's): each use takes a later step
 * than the one before (-1, 0, +1: one step of drift is accepted), so nothing waits for a new step.
 */
describeInBrowser('the demo page, second factor (cookie transport)', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({
        AUTH_REFRESH_TRANSPORT: 'cookie',
        BCRYPT_ROUNDS: '4',
        THROTTLE_AUTH_LIMIT: '0',
        COOKIE_SECURE: 'false',
        DATABASE_URL: 'sqlite::memory:',
      }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /**
   * The authenticator app's code for `secret`, `offset` steps from now. Never in the last 2 s of a step: a code of
   * the step before, checked in the next step, would be two steps old.
   */
  async function codeOf(secret: string, offset: number): Promise<string> {
    const intoStep = (Date.now() / 1000) % 30;
    if (intoStep > 28)
      await new Promise((resolve) => setTimeout(resolve, (30.2 - intoStep) * 1000));
    return generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });
  }

  async function deviceCookie(context: BrowserContext) {
    return (await context.cookies(`${server.url}/auth`)).find(
      ({ name }) => name === 'device_token',
    );
  }

  async function logIn(page: Page, email: string): Promise<string> {
    await page.goto(`${server.url}/demo`);
    return act(page, 'button[value="login"]', { email });
  }

  it('enrols from the QR code, steps up, remembers the device, and recovers with a recovery code', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${server.url}/demo`);
    const email = uniqueEmail('browser-mfa');
    expect(await act(page, 'button[value="register"]', { email })).toMatch(/^Sign up → 201/);
    expect(await act(page, 'button[value="login"]', { email })).toMatch(/^Log in → 200/);

    // Enrol: the QR code is an image the CSP lets through (drawn, so decoded), the key is shown beside it.
    expect(await act(page, '#mfa-setup')).toMatch(/^Set up TOTP → 200/);
    const qr = await page.$eval('#mfa-qr', (image: HTMLImageElement) =>
      image.decode().then(() => ({ src: image.src.slice(0, 26), width: image.naturalWidth })),
    );
    expect(qr.src).toBe('data:image/svg+xml;base64,');
    expect(qr.width).toBeGreaterThan(0);
    const secret = (await page.textContent('#mfa-secret')) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.fill('#mfa-enable-code', await codeOf(secret, -1));
    expect(await act(page, '#mfa-enable button')).toMatch(/^Enable TOTP → 200/);
    const recoveryCodes = await page.locator('#mfa-recovery-codes li').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    expect(await page.isHidden('#mfa-enrol')).toBe(true);

    // Step up: the enrolling session has one factor; a code re-authenticates it.
    const refused = await act(page, '#mfa-call');
    expect(refused).toMatch(/^GET \/protected\/mfa → 401/);
    expect(refused).toContain('INSUFFICIENT_USER_AUTHENTICATION');
    await page.fill('#mfa-step-up-code', await codeOf(secret, 0));
    expect(await act(page, '#mfa-step-up button')).toMatch(/^Step up → 200/);
    expect(await act(page, '#mfa-call')).toMatch(/^GET \/protected\/mfa → 200[\s\S]*"acr": "aal2"/);
    expect(await act(page, '#logout')).toMatch(/^Log out → 204/);

    // Log in: the password opens no session; the code does, and the device is remembered in an HttpOnly cookie.
    expect(await logIn(page, email)).toMatch(/^Log in → 200\nA second factor is required/);
    expect(await page.textContent('#status')).toBe('signed out');
    await page.fill('#mfa-code', await codeOf(secret, 1));
    await page.check('#mfa-remember');
    expect(await act(page, '#mfa-challenge button')).toMatch(/^Second factor → 200/);
    expect(await page.textContent('#status')).toBe(`signed in as ${email}`);
    expect(await deviceCookie(context)).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/auth',
      secure: false,
    });
    expect(
      await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]),
    ).toEqual([0, 0, '']);
    expect(await act(page, '#logout')).toMatch(/^Log out → 204/);

    // The remembered device: the next login asks for no code, and its session has two factors.
    expect(await logIn(page, email)).toMatch(/^Log in → 200\n\{/);
    expect(await page.isHidden('#mfa-challenge')).toBe(true);
    expect(await act(page, '#mfa-call')).toMatch(/^GET \/protected\/mfa → 200[\s\S]*"mfa"/);

    // Another browser, the phone lost: a recovery code signs in once.
    const elsewhere = await browser.newContext();
    const other = await elsewhere.newPage();
    problems.push(...watchProblems(other));
    expect(await logIn(other, email)).toMatch(/A second factor is required/);
    await other.fill('#mfa-code', recoveryCodes[0]);
    expect(await act(other, '#mfa-challenge button')).toMatch(/^Second factor → 200/);
    expect(await deviceCookie(elsewhere)).toBeUndefined();
    expect(await act(other, '#logout')).toMatch(/^Log out → 204/);
    expect(await logIn(other, email)).toMatch(/A second factor is required/);
    await other.fill('#mfa-code', recoveryCodes[0]);
    expect(await act(other, '#mfa-challenge button')).toMatch(
      /^Second factor → 401[\s\S]*INVALID_MFA_CODE/,
    );
    expect(await other.isVisible('#mfa-challenge')).toBe(true);

    expect(problems).toEqual([]);
    await elsewhere.close();
    await context.close();
  });
});
