// The demo page's second-factor section (CONTRACT 4.15, docs/mfa.md): enrol an authenticator app (TOTP) from a QR
// code, keep the recovery codes shown once, meet a login's challenge with a code or a recovery code, remember the
// device, and step up. It runs after app.js and uses its helpers ($, send, sendWithToken, show, run, signedIn) and
// its accessToken. A remembered device is an HttpOnly cookie in cookie transport (Path=/auth): no script here holds
// it, the browser sends it to /auth/login by itself, and the server clears it when the device is forgotten.
'use strict';

/** The login waiting for its second factor: `{ email, mfaToken }`, or null. */
let pendingChallenge = null;

/** POST /auth/mfa/totp/setup (a recent authentication), then the QR code of its otpauth URL. */
async function setUpTotp() {
  const { status, data } = await sendWithToken('POST', '/auth/mfa/totp/setup');
  if (status !== 200) {
    show('Set up TOTP', status, data);
    return;
  }
  // Drawn by the server (src/demo/totp-qr.controller.ts): an SVG data URL, which the page's CSP allows as an image.
  const qr = await send('POST', '/demo/totp-qr', {
    body: { text: data.otpauthUrl },
    withToken: true,
  });
  $('mfa-qr').src = qr.status === 200 ? qr.data.dataUrl : '';
  $('mfa-secret').textContent = data.secret;
  $('mfa-enrol').hidden = false;
  show(
    'Set up TOTP',
    status,
    'Scan the QR code (or type the secret), then enter the code the app shows',
  );
}

/** POST /auth/mfa/totp/enable with the app's first code: the ten recovery codes, shown this once. */
async function enableTotp(code) {
  const { status, data } = await send('POST', '/auth/mfa/totp/enable', {
    body: { code },
    withToken: true,
  });
  if (status !== 200) {
    show('Enable TOTP', status, data);
    return;
  }
  $('mfa-enrol').hidden = true;
  $('mfa-secret').textContent = '';
  $('mfa-qr').removeAttribute('src');
  $('mfa-recovery-codes').replaceChildren(
    ...data.recoveryCodes.map((recoveryCode) => {
      const item = document.createElement('li');
      item.textContent = recoveryCode;
      return item;
    }),
  );
  $('mfa-recovery').hidden = false;
  show('Enable TOTP', status, 'Enabled. Save the recovery codes: they are shown this once');
}

/** A login answered `{ mfaRequired, mfaToken, methods }`: ask for a code. */
function askSecondFactor(email, challenge) {
  pendingChallenge = { email, mfaToken: challenge.mfaToken };
  $('mfa-challenge-email').textContent = email;
  $('mfa-challenge').hidden = false;
  $('mfa-code').focus();
}

/** POST /auth/mfa/verify with a TOTP code (six digits) or a recovery code, and rememberDevice if ticked. */
async function verifySecondFactor(typed, rememberDevice) {
  const proof = /^\d{6}$/.test(typed) ? { code: typed } : { recoveryCode: typed };
  const { status, data } = await send('POST', '/auth/mfa/verify', {
    body: { mfaToken: pendingChallenge.mfaToken, ...proof, rememberDevice },
  });
  show(
    'Second factor',
    status,
    status === 200 ? { ...data, accessToken: '(kept in memory)' } : data,
  );
  // A wrong code may be tried again with the same mfaToken; any other refusal means logging in again.
  if (status !== 200 && data?.code === 'INVALID_MFA_CODE') return;
  const { email } = pendingChallenge;
  pendingChallenge = null;
  $('mfa-challenge').hidden = true;
  $('mfa-code').value = '';
  if (status === 200) signedIn(email, data);
}

/** POST /auth/reauthenticate with a code: the same session, with a fresh auth_time and acr aal2. */
async function stepUp(code) {
  const { status, data } = await send('POST', '/auth/reauthenticate', {
    body: { code },
    withToken: true,
  });
  if (status === 200) accessToken = data.accessToken;
  show('Step up', status, status === 200 ? 'Re-authenticated with a code (acr aal2)' : data);
}

/** GET /protected/mfa: served to a session that met a second factor, refused (with the step-up code) otherwise. */
async function callMfaProtected() {
  const { status, data } = await sendWithToken('GET', '/protected/mfa');
  show('GET /protected/mfa', status, data);
}

/** The code typed in `input`, the field emptied (a code is accepted once anyway). */
function take(input) {
  const value = $(input).value.trim();
  $(input).value = '';
  return value;
}

document.addEventListener('demo:challenge', (event) =>
  askSecondFactor(event.detail.email, event.detail.challenge),
);
$('mfa-setup').addEventListener('click', () => run(setUpTotp));
$('mfa-enable').addEventListener('submit', (event) => {
  event.preventDefault();
  const code = take('mfa-enable-code');
  run(() => enableTotp(code));
});
$('mfa-challenge').addEventListener('submit', (event) => {
  event.preventDefault();
  const typed = take('mfa-code');
  const remember = $('mfa-remember').checked;
  run(() => verifySecondFactor(typed, remember));
});
$('mfa-step-up').addEventListener('submit', (event) => {
  event.preventDefault();
  const code = take('mfa-step-up-code');
  run(() => stepUp(code));
});
$('mfa-call').addEventListener('click', () => run(callMfaProtected));
