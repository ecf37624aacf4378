/**
 * Which of several refresh cookies to use (README: Browser clients, Planted cookies): a cookie of the same name can
 * be set by a sibling app or a subdomain, and browsers send them all, in an order the page that set them can
 * influence (longer paths first). The one used is the one this server signed (`verify` returns its claims) and,
 * among those, the one it issued last (`iat`): a chain's current token is always newer than its spent ones, so a
 * planted spent token never counts as reuse, and a foreign or malformed one never locks the user out. With no
 * cookie verifying, the first is used, and refused for what it is. `iat` counts whole seconds: of two valid tokens
 * issued within the same second, the first sent is used (a planted spent token would have to be stolen and planted
 * within the second of its rotation).
 *
 * @param verify the refresh token check: its claims, or `undefined` when the token does not hold.
 */
export function chooseRefreshCookie(
  values: readonly string[],
  verify: (token: string) => { iat: number } | undefined,
): string | undefined {
  if (values.length <= 1) return values[0];
  let chosen: { value: string; iat: number } | undefined;
  for (const value of values) {
    const claims = verify(value);
    if (claims !== undefined && (chosen === undefined || claims.iat > chosen.iat)) {
      chosen = { value, iat: claims.iat };
    }
  }
  return chosen?.value ?? values[0];
}
