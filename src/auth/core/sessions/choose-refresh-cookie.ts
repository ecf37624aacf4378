/**
 * Which of several refresh cookies to use (README: Browser clients, Planted cookies): a cookie of the same name can
 * be set by a sibling app or a subdomain, and browsers send them all, in an order the page that set them can
 * influence (longer paths first). The one used is one this server signed (`check` returns its claims) and, among
 * those, the one it issued last (`iat`): a chain's current token is always newer than its spent ones, so a planted
 * spent token never counts as reuse, and a foreign or malformed one never locks the user out. With no cookie
 * verifying, the first one's rejection is the answer. `iat` counts whole seconds: of two valid tokens issued within
 * the same second, the first sent is used.
 *
 * Each value is checked exactly once, and the result is what the check gave: the chosen token is never verified
 * again.
 *
 * @param check the refresh token check: its claims, or the error it was refused with.
 * @returns the chosen token's claims, the first one's rejection when none holds, or undefined without any value.
 */
export function chooseRefreshCookie<Claims extends { iat: number }, Rejection extends Error>(
  values: readonly string[],
  check: (token: string) => Claims | Rejection,
): Claims | Rejection | undefined {
  let first: Claims | Rejection | undefined;
  let chosen: Claims | undefined;
  for (const value of values) {
    const result = check(value);
    first ??= result;
    if (!(result instanceof Error) && (chosen === undefined || result.iat > chosen.iat)) {
      chosen = result;
    }
  }
  return chosen ?? first;
}
