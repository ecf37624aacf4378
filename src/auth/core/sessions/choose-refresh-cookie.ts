/** What the choice reads of a verified refresh token: its session, its place in the chain, its issue time. */
export interface ChainPosition {
  /** The session (chain) id. */
  sid: string;
  /** The place in the chain (0 at login, +1 per rotation); absent from tokens issued before it existed. */
  gen?: number;
  /** Seconds since the epoch. */
  iat: number;
}

/**
 * Which of several refresh cookies to use (docs/sessions.md: Browser clients, Planted cookies; CONTRACT §4.9): a cookie of the
 * same name can be set by a sibling app or a subdomain, and browsers send them all, in an order the page that set
 * them can influence (longer paths first). The one used is one this server signed (`check` returns its claims) and,
 * among those, the newest ({@link isNewer}): of two tokens of one chain the later in the chain (`gen`), never by
 * `iat`, which counts whole seconds, so a planted spent token issued within the same second as its successor never
 * counts as reuse; and a foreign or malformed one never locks the user out. With no cookie verifying, the first
 * one's rejection is the answer. It reads only the claims: no store is asked, whatever the number of cookies.
 *
 * Each value is checked exactly once, and the result is what the check gave: the chosen token is never verified
 * again.
 *
 * @param check the refresh token check: its claims, or the error it was refused with.
 * @returns the chosen token's claims, the first one's rejection when none holds, or undefined without any value.
 */
export function chooseRefreshCookie<Claims extends ChainPosition, Rejection extends Error>(
  values: readonly string[],
  check: (token: string) => Claims | Rejection,
): Claims | Rejection | undefined {
  let first: Claims | Rejection | undefined;
  let chosen: Claims | undefined;
  for (const value of values) {
    const result = check(value);
    first ??= result;
    if (!(result instanceof Error) && (chosen === undefined || isNewer(result, chosen))) {
      chosen = result;
    }
  }
  return chosen ?? first;
}

/**
 * Whether `candidate` was issued after `chosen`. Within one chain the generation decides (a token with one is newer
 * than a token from before generations, which its chain's later tokens all have); only tokens of two different
 * sessions, or two tokens from before generations, are compared by `iat`, and a tie keeps the one sent first.
 * A spent token is never chosen beside its successor: the successor beats it directly, and anything that beats the
 * successor is of another session and issued at least as late, so it beats the spent token too.
 */
function isNewer(candidate: ChainPosition, chosen: ChainPosition): boolean {
  if (candidate.sid === chosen.sid) {
    if (candidate.gen !== undefined && chosen.gen !== undefined) return candidate.gen > chosen.gen;
    if (candidate.gen !== undefined || chosen.gen !== undefined) return chosen.gen === undefined;
  }
  return candidate.iat > chosen.iat;
}
