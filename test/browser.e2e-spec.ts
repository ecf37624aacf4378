import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Browser,
  type BrowserContext,
  type Cookie,
  chromium,
  type Page,
  type Response,
} from 'playwright-core';
import { type ServerProcess, startServer } from './support/server-process';
import { SmtpSink, tokenOf } from './support/smtp-sink';
import { E2E_HTTP_ADAPTER, PASSWORD, uniqueEmail } from './support/test-app';
import {
  act,
  CHROMIUM,
  CHROMIUM_ARGS,
  describeInBrowser,
  hasChromium,
  watchProblems,
} from './support/browser';

/**
 * The demo page (`GET /demo`) in a real browser against the built server (`node dist/main.js`) in cookie transport:
 * what a browser actually does with the HttpOnly SameSite=Strict refresh cookie, the CSP and the CSRF rule.
 * Debian's Chromium, never a downloaded one (`apt-get install -y chromium`).
 */
const NEW_PASSWORD = 'a fresh browser passphrase';

/** A MIME text with its quoted-printable soft line breaks and `=3D` undone: links read whole. */
const unfold = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');

/** JWT_EXPIRATION of the server: access tokens really expire while the test waits. */
const ACCESS_TOKEN_SECONDS = 2;

if (!hasChromium && E2E_HTTP_ADAPTER === 'express') {
  console.warn(
    `Skipping the browser e2e suite: ${CHROMIUM} is missing. Install it with: apt-get install -y chromium`,
  );
}
// The page and the browser's cookie handling are the same on both adapters; what could differ is how each serves
// the page and its headers, which is cheap to check: so the suite runs on both.

describeInBrowser('the demo page in a real browser (cookie transport)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let other: Server;
  let otherPort: number;
  const sink = new SmtpSink();

  beforeAll(async () => {
    await sink.start();
    [server, browser, other] = await Promise.all([
      startServer({
        SMTP_URL: sink.url,
        MAIL_POLL_INTERVAL: '100',
        AUTH_REFRESH_TRANSPORT: 'cookie',
        JWT_EXPIRATION: String(ACCESS_TOKEN_SECONDS),
        BCRYPT_ROUNDS: '4',
        THROTTLE_AUTH_LIMIT: '0',
        COOKIE_SECURE: 'false',
        DATABASE_URL: 'sqlite::memory:',
      }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
      startOtherOrigin(),
    ]);
    otherPort = (other.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((done) => (other ? other.close(done) : done(undefined)));
    await sink.stop();
  });

  it('signs up, logs in, calls /protected, refreshes transparently after expiry, revokes a session, logs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const traffic = recordTraffic(page);
    const problems = watchProblems(page);

    const served = await page.goto(`${server.url}/demo`);
    expect(served?.status()).toBe(200);
    const csp = served?.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests'); // plain HTTP in development: see http-adapter.ts
    const email = uniqueEmail('browser');

    expect(await act(page, 'button[value="register"]', { email })).toMatch(/^Sign up → 201/);
    expect(await act(page, 'button[value="login"]', { email })).toMatch(/^Log in → 200/);
    expect(await page.textContent('#status')).toBe(`signed in as ${email}`);
    expect(await page.isHidden('#transport-warning')).toBe(true); // no refresh token in the body
    expect(await act(page, '#call-protected')).toContain(`Hello ${email}`);
    const firstCookie = await refreshCookie(context, server.url);

    // One real wait: the access token expires; the page meets a 401, refreshes with the cookie and retries once.
    await page.waitForTimeout((ACCESS_TOKEN_SECONDS + 1) * 1000);
    traffic.length = 0;
    const afterExpiry = await act(page, '#call-protected');
    expect(afterExpiry).toMatch(/^GET \/protected → 200/);
    expect(afterExpiry).toContain(`Hello ${email}`);
    expect(traffic).toEqual(['GET /protected 401', 'POST /auth/refresh 200', 'GET /protected 200']);
    expect((await refreshCookie(context, server.url)).value).not.toBe(firstCookie.value); // rotated

    // A second session, from another device.
    const elsewhere = await fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'another device' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const { accessToken: elsewhereToken } = (await elsewhere.json()) as { accessToken: string };
    await act(page, '#list-sessions');
    expect(await page.locator('#sessions li').count()).toBe(2);
    const otherSession = page.locator('#sessions li[data-current="false"]');
    expect(await otherSession.textContent()).toContain('another device');

    expect(await act(page, '#sessions li[data-current="false"] button')).toMatch(
      /^Revoke session [\w-]+ → 204/,
    );
    expect(await page.locator('#sessions li').count()).toBe(1);
    expect(await page.getAttribute('#sessions li', 'data-current')).toBe('true');
    const revoked = await fetch(`${server.url}/protected`, {
      headers: { authorization: `Bearer ${elsewhereToken}` },
    });
    expect(revoked.status).toBe(401);

    expect(await act(page, '#logout')).toMatch(/^Log out → 204/);
    expect(await page.textContent('#status')).toBe('signed out');
    expect(await refreshCookieOrNone(context, server.url)).toBeUndefined(); // cleared
    traffic.length = 0;
    expect(await act(page, '#call-protected')).toMatch(/^GET \/protected → 401/);
    expect(traffic).toEqual(['GET /protected 401', 'POST /auth/refresh 401']);

    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the refresh token out of reach of scripts: HttpOnly, SameSite=Strict, Path=/auth, no web storage', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/demo`);
    await signUpAndLogIn(page);

    const cookie = await refreshCookie(context, server.url);
    expect(cookie).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/auth',
      secure: false,
    });
    expect(cookie.value).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(
      await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]),
    ).toEqual([0, 0, '']);
    // On /demo the cookie's Path=/auth would hide it from document.cookie anyway: a document under /auth shows
    // that HttpOnly is what hides it (the navigation carries the cookie and gets the CSRF guard's 403, no matter).
    const underAuth = await context.newPage();
    await underAuth.goto(`${server.url}/auth/me`);
    expect(await underAuth.evaluate(() => document.cookie)).toBe('');
    await context.close();
  });

  it('refuses a refresh from another origin without X-Requested-With, whether or not the cookie goes along', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/demo`);
    await signUpAndLogIn(page);
    const before = await refreshCookie(context, server.url);
    expect(new URL(server.url).hostname).toBe('127.0.0.1');

    // 127.0.0.1:<other port> is another origin but the same site (a site ignores the port): SameSite=Strict lets the
    // cookie go, so the CSRF guard is what refuses: 403. The server sends no CORS header (CORS_ORIGINS is unset),
    // so the page cannot even read that answer.
    const sameSite = await postRefreshFrom(context, `http://127.0.0.1:${otherPort}/`, server.url);
    expect(sameSite).toEqual({
      status: 403,
      refreshCookie: 'sent',
      corsError: 'MissingAllowOriginHeader',
      inPage: 'rejected: TypeError',
    });

    // localhost is another site than 127.0.0.1: SameSite=Strict keeps the cookie home (Chromium names
    // `SchemefulSameSiteStrict`, and `UserPreferences`: it blocks third-party cookies too), so the request reaches
    // the server with no refresh token at all: 401, and the guard has nothing to check.
    const crossSite = await postRefreshFrom(context, `http://localhost:${otherPort}/`, server.url);
    expect(crossSite).toEqual({
      status: 401,
      refreshCookie: expect.stringMatching(/^blocked: .*SameSiteStrict/),
      corsError: 'MissingAllowOriginHeader',
      inPage: 'rejected: TypeError',
    });

    // Neither request spent the token: the cookie is unchanged, and the page itself still refreshes with it.
    expect((await refreshCookie(context, server.url)).value).toBe(before.value);
    const refreshed = await page.evaluate(async () => {
      const response = await fetch('/auth/refresh', {
        method: 'POST',
        headers: { 'X-Requested-With': 'fetch' },
      });
      return response.status;
    });
    expect(refreshed).toBe(200);
    await context.close();
  });

  it('resets a forgotten password from the mailed link: the old session is refused, the new password signs in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const traffic = recordTraffic(page);
    const problems: string[] = [];
    for (const watched of [page, context]) {
      watched.on('console', (message) => {
        if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text());
      });
    }
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.url}/demo`);
    const email = await signUpAndLogIn(page);

    expect(await act(page, '#forgot')).toMatch(/^Forgot password → 202/);
    const mail = await resetMailTo(email);
    // The link is built from APP_URL (unset: http://localhost:3000); this server listens on a port of its own.
    const link = new URL(/http:\/\/\S+\/reset-password\?token=\S+/.exec(unfold(mail.raw))![0]);
    expect(link.pathname).toBe('/reset-password');
    const resetPage = await context.newPage();
    resetPage.on('pageerror', (error) => problems.push(error.message));
    resetPage.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text());
    });
    const served = await resetPage.goto(
      `${server.url}/reset-password?token=${tokenOf(mail, 'reset-password')}`,
    );
    expect(served?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(new URL(resetPage.url()).search).toBe(''); // the token is out of the address bar
    await resetPage.fill('#new-password', 'password1'); // long enough for the form, too common for the policy
    expect(await act(resetPage, '#reset button')).toMatch(/newPassword .* \(400\)$/);
    await resetPage.fill('#new-password', NEW_PASSWORD);
    expect(await act(resetPage, '#reset button')).toMatch(/^Your password is changed/);

    // The demo tab's session died with the reset: its access token and its refresh cookie are both refused.
    traffic.length = 0;
    expect(await act(page, '#call-protected')).toMatch(/^GET \/protected → 401/);
    expect(traffic).toEqual(['GET /protected 401', 'POST /auth/refresh 401']);
    expect(await act(page, 'button[value="login"]', { email })).toMatch(/^Log in → 401/);
    await page.fill('#password', NEW_PASSWORD);
    expect(await act(page, 'button[value="login"]')).toMatch(/^Log in → 200/);
    expect(await act(page, '#call-protected')).toContain(`Hello ${email}`);

    expect(problems).toEqual([]);
    await context.close();
  });

  /** The first mail to `email` with a reset link, as the SMTP server received it. */
  async function resetMailTo(email: string) {
    for (let count = 1; ; count += 1) {
      const mail = await sink.waitFor(email, count);
      if (unfold(mail.raw).includes('/reset-password?token=')) return mail;
    }
  }

  async function signUpAndLogIn(page: Page): Promise<string> {
    const email = uniqueEmail('browser');
    expect(await act(page, 'button[value="register"]', { email })).toMatch(/→ 201/);
    expect(await act(page, 'button[value="login"]', { email })).toMatch(/→ 200/);
    return email;
  }

  /**
   * From a page at `origin`, what a CSRF attempt sends: a credentialed POST to /auth/refresh with no
   * X-Requested-With, a simple request that the browser sends with no preflight. The page cannot read the answer
   * (no CORS header) and Playwright reports no response for it, so the status and what the browser did with the
   * refresh cookie (attached, or held back and why) are read from Chromium's own network events.
   */
  async function postRefreshFrom(context: BrowserContext, origin: string, serverUrl: string) {
    const page = await context.newPage();
    await page.goto(origin);
    const target = `${serverUrl}/auth/refresh`;
    const trace = await traceRequest(context, page, target);
    const inPage = await page.evaluate(async (url) => {
      try {
        const response = await fetch(url, { method: 'POST', credentials: 'include' });
        return `status ${response.status}`;
      } catch (error) {
        return `rejected: ${(error as Error).name}`;
      }
    }, target);
    const seen = await trace.finished;
    await page.close();
    return { ...seen, inPage };
  }
});

interface RequestTrace {
  /** The status the server answered, even if CORS then hid it from the page. */
  status: number;
  /** The refresh cookie's fate: `sent`, or the reasons the browser held it back (e.g. `SameSiteStrict`). */
  refreshCookie: string;
  /** Why the page did not get the response (`MissingAllowOriginHeader`), if it did not. */
  corsError?: string;
}

/** Chromium's view of the next request `page` makes to `url` (DevTools protocol: a Chromium-only test). */
async function traceRequest(
  context: BrowserContext,
  page: Page,
  url: string,
): Promise<{ finished: Promise<RequestTrace> }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // The events of one request come in no fixed order: gather them by request id until the target's are all in.
  const seen = new Map<string, Partial<RequestTrace> & { url?: string; over?: boolean }>();
  const of = (requestId: string) => seen.get(requestId) ?? seen.set(requestId, {}).get(requestId)!;
  const finished = new Promise<RequestTrace>((resolve) => {
    const settle = () => {
      for (const { url: seenUrl, over, status, refreshCookie, corsError } of seen.values())
        if (seenUrl === url && over && status !== undefined && refreshCookie !== undefined)
          resolve({ status, refreshCookie, corsError });
    };
    cdp.on('Network.requestWillBeSent', (event) => {
      of(event.requestId).url = event.request.url;
      settle();
    });
    cdp.on('Network.requestWillBeSentExtraInfo', (event) => {
      const cookie = event.associatedCookies.find(({ cookie }) => cookie.name === 'refresh_token');
      of(event.requestId).refreshCookie = !cookie
        ? 'absent'
        : cookie.blockedReasons.length === 0
          ? 'sent'
          : `blocked: ${cookie.blockedReasons.join(', ')}`;
      settle();
    });
    cdp.on('Network.responseReceivedExtraInfo', (event) => {
      of(event.requestId).status = event.statusCode;
      settle();
    });
    cdp.on('Network.loadingFailed', (event) => {
      Object.assign(of(event.requestId), {
        over: true,
        corsError: event.corsErrorStatus?.corsError,
      });
      settle();
    });
    cdp.on('Network.loadingFinished', (event) => {
      of(event.requestId).over = true;
      settle();
    });
  });
  return { finished };
}

/** `METHOD /path status` of every request the page makes to its own origin. */
function recordTraffic(page: Page): string[] {
  const lines: string[] = [];
  page.on('response', (response: Response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/demo')) return;
    lines.push(`${response.request().method()} ${url.pathname} ${response.status()}`);
  });
  return lines;
}

async function refreshCookieOrNone(
  context: BrowserContext,
  url: string,
): Promise<Cookie | undefined> {
  return (await context.cookies(`${url}/auth`)).find((cookie) => cookie.name === 'refresh_token');
}

async function refreshCookie(context: BrowserContext, url: string): Promise<Cookie> {
  const cookie = await refreshCookieOrNone(context, url);
  if (!cookie) throw new Error('the browser holds no refresh cookie');
  return cookie;
}

/** A second web server: the same page seen from two other origins (127.0.0.1 and localhost, on its port). */
function startOtherOrigin(): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>another origin</title><p>another origin</p>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
