// The passkeys section of the demo page (docs/passkeys.md), with @simplewebauthn/browser (served by this server as
// /demo/simplewebauthn-browser.js: the global SimpleWebAuthnBrowser). It uses the helpers of app.js ($, send,
// sendWithToken, show, run) and its accessToken: classic scripts of one page share their top-level names.
'use strict';

const webauthn = window.SimpleWebAuthnBrowser;

/** After a sign-in by any way: keep the access token in memory, as app.js does. */
function signedInAs(data, how) {
  accessToken = data.accessToken;
  $('status').textContent = `signed in ${how}`;
}

/** Registration: creation options (needs a recent sign-in), the authenticator's answer, then the stored passkey. */
async function registerPasskey() {
  const options = await sendWithToken('POST', '/auth/passkeys/register/options');
  if (options.status !== 200) return show('Register a passkey', options.status, options.data);
  const response = await webauthn.startRegistration({ optionsJSON: options.data });
  const name = $('passkey-name').value.trim() || undefined;
  const { status, data } = await send('POST', '/auth/passkeys/register', {
    body: { response, name },
    withToken: true,
  });
  if (status === 201) await listPasskeys();
  show('Register a passkey', status, data);
}

async function listPasskeys() {
  const { status, data } = await sendWithToken('GET', '/auth/passkeys');
  show('GET /auth/passkeys', status, status === 200 ? `${data.length} passkey(s)` : data);
  const list = $('passkey-items');
  list.replaceChildren();
  if (status !== 200) return;
  for (const passkey of data) {
    const item = document.createElement('li');
    item.dataset.passkeyId = passkey.id;
    const used = passkey.lastUsedAt ? new Date(passkey.lastUsedAt).toLocaleString() : 'never';
    item.textContent = `${passkey.name} (${passkey.deviceType}${passkey.backedUp ? ', synced' : ''}), last used ${used} `;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Remove';
    remove.addEventListener('click', () => run(() => removePasskey(passkey.id)));
    item.append(remove);
    list.append(item);
  }
}

async function removePasskey(id) {
  const { status, data } = await sendWithToken(
    'DELETE',
    `/auth/passkeys/${encodeURIComponent(id)}`,
  );
  await listPasskeys();
  show(`Remove passkey ${id}`, status, data);
}

/**
 * Passwordless sign-in with a discoverable credential: no address asked. With `autofill`, the browser's conditional
 * UI: the request waits until the user picks a passkey in the address field's suggestions.
 */
async function signInWithPasskey(autofill = false) {
  const options = await send('POST', '/auth/passkeys/login/options', { body: {} });
  if (options.status !== 200) return show('Sign in with a passkey', options.status, options.data);
  const response = await webauthn.startAuthentication({
    optionsJSON: options.data,
    useBrowserAutofill: autofill,
  });
  const { status, data } = await send('POST', '/auth/passkeys/login', { body: { response } });
  show('Sign in with a passkey', status, data && { ...data, accessToken: '(kept in memory)' });
  if (status === 200) signedInAs(data, 'with a passkey');
}

/** A password login whose second factor is a passkey: the challenge's mfaToken limits the options to that user. */
async function logInWithPasskeyAsSecondFactor(email, password) {
  const login = await send('POST', '/auth/login', { body: { email, password } });
  if (login.status !== 200 || !login.data.mfaRequired) {
    return show(
      'Log in: password, then passkey',
      login.status,
      login.data && { ...login.data, accessToken: undefined },
    );
  }
  const { mfaToken } = login.data;
  const options = await send('POST', '/auth/passkeys/login/options', { body: { mfaToken } });
  const passkey = await webauthn.startAuthentication({ optionsJSON: options.data });
  const { status, data } = await send('POST', '/auth/mfa/verify', { body: { mfaToken, passkey } });
  show(
    'Log in: password, then passkey',
    status,
    data && { ...data, accessToken: '(kept in memory)' },
  );
  if (status === 200) signedInAs(data, `as ${email} (password and passkey)`);
}

if (webauthn?.browserSupportsWebAuthn()) {
  $('passkey-register').addEventListener('click', () => run(registerPasskey));
  $('passkey-list').addEventListener('click', () => run(listPasskeys));
  $('passkey-login').addEventListener('click', () => run(() => signInWithPasskey()));
  $('passkey-second-factor').addEventListener('click', () =>
    run(() => logInWithPasskeyAsSecondFactor($('email').value, $('password').value)),
  );
  // Conditional UI where the browser has it. A button's ceremony cancels this waiting one (AbortError): no message.
  webauthn.browserSupportsWebAuthnAutofill().then((supported) => {
    if (supported) signInWithPasskey(true).catch(() => undefined);
  });
} else {
  $('passkeys').append('This browser cannot use passkeys.');
}
