import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type ServerProcess, startServer } from './support/server-process';
import { PASSWORD, uniqueEmail } from './support/test-app';

/**
 * The passkeys section of the demo page in Chromium with a virtual authenticator of the DevTools protocol
 * (`WebAuthn.addVirtualAuthenticator`): the browser, `@simplewebauthn/browser` and the built server do the real
 * ceremonies (registration, passwordless sign-in, a passkey as second factor). The page is opened at
 * `http://localhost:<port>`, the relying party the server derives from its APP_URL: WebAuthn takes no IP address.
 */
const CHROMIUM = '/usr/bin/chromium';
const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeInBrowser('passkeys on the demo page (Chromium, virtual authenticator)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    [server, browser] = await Promise.all([
      startServer({
        PORT: String(port),
        AUTH_REFRESH_TRANSPORT: 'cookie',
        COOKIE_SECURE: 'false',
        BCRYPT_ROUNDS: '4',
        THROTTLE_AUTH_LIMIT: '0',
        DATABASE_URL: 'sqlite::memory:',
      }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
      }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Clicks `selector`, waits for the page's action to end, answers the result line. */
  async function act(page: Page, selector: string): Promise<string> {
    await page.click(selector);
    await page.waitForSelector('body:not([aria-busy])', { state: 'attached' });
    return (await page.textContent('#result')) ?? '';
  }

  it('registers a passkey, signs in with it alone, and uses it as the second factor of a password login', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    await page.goto(`${origin}/demo`);
    const email = uniqueEmail('passkey-browser');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    expect(await act(page, 'button[value="register"]')).toMatch(/^Sign up → 201/);
    expect(await act(page, 'button[value="login"]')).toMatch(/^Log in → 200/);

    await page.fill('#passkey-name', 'Virtual');
    const registered = await act(page, '#passkey-register');
    expect(registered).toMatch(/^Register a passkey → 201/);
    expect(registered).toContain('"name": "Virtual"');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toEqual([
      expect.objectContaining({ isResidentCredential: true, rpId: 'localhost' }),
    ]);

    expect(await act(page, '#logout')).toMatch(/^Log out → 204/);
    expect(await act(page, '#passkey-login')).toMatch(/^Sign in with a passkey → 200/);
    expect(await page.textContent('#status')).toBe('signed in with a passkey');
    expect(await act(page, '#call-protected')).toContain(`Hello ${email}`);

    expect(await act(page, '#logout')).toMatch(/^Log out → 204/);
    expect(await act(page, '#passkey-second-factor')).toMatch(
      /^Log in: password, then passkey → 200/,
    );
    expect(await page.textContent('#status')).toBe(`signed in as ${email} (password and passkey)`);
    expect(await act(page, '#passkey-list')).toMatch(/^GET \/auth\/passkeys → 200\n1 passkey/);

    expect(problems).toEqual([]);
    await context.close();
  });
});

/** A TCP port free now: the server must know its own origin before it starts (its RP ID and origins). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
