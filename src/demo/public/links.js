// The pages that mailed links open: /verify-email, /confirm-email and /reset-password, each with ?token=. The token
// is a single-use credential: it is read once, then taken out of the address bar and the history, so that it is not
// left behind in a shared browser (helmet's Referrer-Policy: no-referrer already keeps it from other sites).
'use strict';

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.search).get('token');
history.replaceState(null, '', location.pathname);

/** POST `path` with a JSON body; the answer's status and its message (Nest's error shape), if any. */
async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'fetch' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  const message = Array.isArray(data?.message) ? data.message.join('; ') : data?.message;
  return { status: response.status, message };
}

/** Runs one action; `aria-busy` is on while it runs (tests wait for it to clear). */
async function run(action) {
  document.body.setAttribute('aria-busy', 'true');
  try {
    $('result').textContent = await action();
  } catch (error) {
    $('result').textContent = `Error: ${error.message}`;
  } finally {
    document.body.removeAttribute('aria-busy');
  }
}

/** What the user reads for an answer: `done` on success, else the server's reason. */
function outcome({ status, message }, done) {
  return status >= 200 && status < 300 ? done : `${message ?? 'Something went wrong'} (${status})`;
}

const page = document.querySelector('main').dataset.page;
if (!token) {
  $('result').textContent = 'This link has no token: open the link from the mail as it is.';
  if ($('reset')) $('reset').hidden = true;
} else if (page === 'verify-email') {
  run(async () =>
    outcome(await post('/auth/verify-email', { token }), 'Your address is verified.'),
  );
} else if (page === 'confirm-email') {
  run(async () =>
    outcome(
      await post('/auth/email/confirm', { token }),
      'Your new address is confirmed: sign in with it from now on.',
    ),
  );
} else if (page === 'reset-password') {
  $('reset').addEventListener('submit', (event) => {
    event.preventDefault();
    const newPassword = $('new-password').value;
    run(async () => {
      const answer = await post('/auth/password/reset', { token, newPassword });
      // A refused password leaves the token usable: the form stays for another try.
      if (answer.status === 204) $('reset').hidden = true;
      return outcome(
        answer,
        'Your password is changed, and every session was signed out. Sign in with the new password.',
      );
    });
  });
}
