// The nest-auth demo page. The access token lives only in this variable (never in localStorage or sessionStorage,
// where any script of the origin could read it, and it is gone when the tab closes). The refresh token lives only
// in the HttpOnly refresh cookie, which no script can read: the browser sends it to /auth/* by itself.
'use strict';

let accessToken = null;

const $ = (id) => document.getElementById(id);

// Every request carries X-Requested-With. The refresh cookie (Path=/auth) goes with every /auth/* request, and the
// server refuses such a request (403) unless it has this header or a trusted Origin: a cross-site form cannot set a
// header, and a cross-site script cannot without a CORS preflight that the server does not grant. This is the CSRF
// defense of cookie transport.
async function send(method, path, { body, withToken = false } = {}) {
  const headers = { 'X-Requested-With': 'fetch' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (withToken && accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await response.text();
  log(`${method} ${path} → ${response.status}`);
  return { status: response.status, data: text ? JSON.parse(text) : null };
}

/**
 * A route that needs the access token: on a 401 (typically an expired token), refresh once and retry once. Not for
 * a step-up refusal: a refresh keeps how the session authenticated, so only a re-authentication helps there.
 */
async function sendWithToken(method, path) {
  const first = await send(method, path, { withToken: true });
  if (first.status !== 401 || first.data?.code === 'INSUFFICIENT_USER_AUTHENTICATION') return first;
  if (!(await refresh())) return first;
  return send(method, path, { withToken: true });
}

/** POST /auth/refresh with the cookie alone: a new access token in the body, a rotated refresh cookie. */
async function refresh() {
  const { status, data } = await send('POST', '/auth/refresh');
  if (status !== 200) {
    signedOut();
    return false;
  }
  accessToken = data.accessToken;
  return true;
}

async function signUp(email, password) {
  const { status, data } = await send('POST', '/auth/register', { body: { email, password } });
  show('Sign up', status, data);
}

async function logIn(email, password) {
  const { status, data } = await send('POST', '/auth/login', { body: { email, password } });
  if (status === 200 && data.mfaRequired) {
    // No session yet: the second-factor section (mfa.js) asks for a code with data.mfaToken.
    show('Log in', status, 'A second factor is required: see "Second factor" below');
    document.dispatchEvent(
      new CustomEvent('demo:challenge', { detail: { email, challenge: data } }),
    );
    return;
  }
  show('Log in', status, data && { ...data, accessToken: data.accessToken && '(kept in memory)' });
  if (status === 200) signedIn(email, data);
}

/** A token pair answered (login, or a second factor met): keep the access token, show who is signed in. */
function signedIn(email, data) {
  accessToken = data.accessToken;
  $('status').textContent = `signed in as ${email}`;
  const warning = $('transport-warning');
  warning.hidden = data.refreshToken === undefined;
  warning.textContent =
    'This server also returns the refresh token in the response body, where scripts can read it. ' +
    'This page ignores it: restart the server with AUTH_REFRESH_TRANSPORT=cookie.';
}

async function callProtected() {
  const { status, data } = await sendWithToken('GET', '/protected');
  show('GET /protected', status, data);
}

async function listSessions() {
  const { status, data } = await sendWithToken('GET', '/auth/sessions');
  show('GET /auth/sessions', status, status === 200 ? `${data.length} live session(s)` : data);
  const list = $('sessions');
  list.replaceChildren();
  if (status !== 200) return;
  for (const session of data) {
    const item = document.createElement('li');
    item.dataset.sessionId = session.id;
    item.dataset.current = String(session.current);
    const since = new Date(session.createdAt).toLocaleString();
    item.textContent = `${session.current ? '(this tab) ' : ''}${session.userAgent ?? '?'}, ${session.ip ?? '?'}, since ${since} `;
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.textContent = 'Revoke';
    revoke.addEventListener('click', () => run(() => revokeSession(session.id)));
    item.append(revoke);
    list.append(item);
  }
}

async function revokeSession(id) {
  const { status, data } = await sendWithToken(
    'DELETE',
    `/auth/sessions/${encodeURIComponent(id)}`,
  );
  await listSessions();
  show(`Revoke session ${id}`, status, data);
}

/**
 * POST /auth/password/forgot with the address typed above: the server answers 202 alike whether or not it has an
 * account, and mails a link to /reset-password when it has one (with no SMTP_URL, an .eml file in data/outbox/).
 */
async function forgotPassword(email) {
  const { status, data } = await send('POST', '/auth/password/forgot', { body: { email } });
  show('Forgot password', status, data);
}

/** POST /auth/verify-email/request: a new link to /verify-email goes to the signed-in user's address. */
async function requestVerification() {
  const { status, data } = await sendWithToken('POST', '/auth/verify-email/request');
  show('Verify my address', status, status === 202 ? 'A link is on its way to your address' : data);
}

/** POST /auth/logout: the server revokes this session and clears the refresh cookie. */
async function logOut() {
  const { status, data } = await sendWithToken('POST', '/auth/logout');
  signedOut();
  $('sessions').replaceChildren();
  show('Log out', status, data);
}

function signedOut() {
  accessToken = null;
  $('status').textContent = 'signed out';
}

function show(title, status, data) {
  const details =
    data === null ? '' : `\n${typeof data === 'string' ? data : JSON.stringify(data, null, 2)}`;
  $('result').textContent = `${title} → ${status}${details}`;
}

function log(line) {
  const item = document.createElement('li');
  item.textContent = line;
  $('log').append(item);
}

/** Runs one user action; `aria-busy` is on while it runs (tests wait for it to clear). */
async function run(action) {
  document.body.setAttribute('aria-busy', 'true');
  try {
    await action();
  } catch (error) {
    $('result').textContent = `Error: ${error.message}`;
  } finally {
    document.body.removeAttribute('aria-busy');
  }
}

$('credentials').addEventListener('submit', (event) => {
  event.preventDefault();
  const email = $('email').value;
  const password = $('password').value;
  run(() =>
    event.submitter?.value === 'register' ? signUp(email, password) : logIn(email, password),
  );
});
$('call-protected').addEventListener('click', () => run(callProtected));
$('list-sessions').addEventListener('click', () => run(listSessions));
$('logout').addEventListener('click', () => run(logOut));
$('forgot').addEventListener('click', () => {
  const email = $('email').value;
  if (!email) {
    $('result').textContent = 'Type your address above first.';
    return;
  }
  run(() => forgotPassword(email));
});
$('verify-email').addEventListener('click', () => run(requestVerification));
