/**
 * The module's plain pages that mailed links open (`accountMail({ pages: true })`): HTML with no inline script, and
 * one same-origin script that reads the link's token, takes it out of the address bar and the history, and posts it
 * to the module's routes, so that they work under a strict Content-Security-Policy.
 */

/** Which page: its file name under the pages' path, its title, and what its body holds. */
export type MailPage = 'verify-email' | 'reset-password' | 'confirm-email';

const TITLES: Record<MailPage, string> = {
  'verify-email': 'Verify your address',
  'reset-password': 'Choose a new password',
  'confirm-email': 'Confirm your new address',
};

const RESET_FORM = `<form id="reset">
        <label>New password <input id="new-password" name="newPassword" type="password" autocomplete="new-password" minlength="8" required /></label>
        <button type="submit">Set the new password</button>
      </form>`;

/** HTML's five special characters, escaped for text and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!,
  );
}

/**
 * The page `page`, whose script is `${pagesUrl}/links.js` and which posts to the module's routes under `apiBase`
 * (`/auth`, or `` for no prefix).
 */
export function mailPageHtml(page: MailPage, pagesUrl: string, apiBase: string): string {
  const title = TITLES[page];
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>${title}</title>
    <script src="${escapeHtml(pagesUrl)}/links.js" defer></script>
  </head>
  <body>
    <main data-page="${page}" data-api="${escapeHtml(apiBase)}">
      <h1>${title}</h1>
      ${page === 'reset-password' ? RESET_FORM : ''}
      <p id="result">${page === 'reset-password' ? '' : 'Working…'}</p>
    </main>
  </body>
</html>
`;
}

/** The pages' one script (see the file's comment). `aria-busy` is on while a request runs. */
export const MAIL_PAGES_SCRIPT = `'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const main = document.querySelector('main');
  const api = main.dataset.api;
  const token = new URLSearchParams(location.search).get('token');
  // A single-use credential: not left in the address bar or the history of a shared browser.
  history.replaceState(null, '', location.pathname);

  async function post(path, body) {
    const response = await fetch(api + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'fetch' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    const message = Array.isArray(data && data.message) ? data.message.join('; ') : data && data.message;
    return { status: response.status, message };
  }

  async function run(action) {
    document.body.setAttribute('aria-busy', 'true');
    try {
      $('result').textContent = await action();
    } catch (error) {
      $('result').textContent = 'Error: ' + error.message;
    } finally {
      document.body.removeAttribute('aria-busy');
    }
  }

  const outcome = (answer, done) =>
    answer.status >= 200 && answer.status < 300
      ? done
      : (answer.message || 'Something went wrong') + ' (' + answer.status + ')';

  const page = main.dataset.page;
  if (!token) {
    $('result').textContent = 'This link has no token: open the link from the mail as it is.';
    if ($('reset')) $('reset').hidden = true;
  } else if (page === 'verify-email') {
    run(async () => outcome(await post('/verify-email', { token }), 'Your address is verified.'));
  } else if (page === 'confirm-email') {
    run(async () =>
      outcome(await post('/email/confirm', { token }), 'Your new address is confirmed: sign in with it from now on.'),
    );
  } else if (page === 'reset-password') {
    $('reset').addEventListener('submit', (event) => {
      event.preventDefault();
      const newPassword = $('new-password').value;
      run(async () => {
        const answer = await post('/password/reset', { token, newPassword });
        // A refused password leaves the token usable: the form stays for another try.
        if (answer.status === 204) $('reset').hidden = true;
        return outcome(answer, 'Your password is changed, and every session was signed out.');
      });
    });
  }
})();
`;
