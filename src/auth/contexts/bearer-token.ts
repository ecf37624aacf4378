/** The scheme and the value of an `Authorization` header: its first two words, as passport-jwt reads them. */
const AUTHORIZATION = /(\S+)\s+(\S+)/;

/**
 * The access token of `Authorization: Bearer <token>` (scheme in any case, RFC 7235 §2.1), or null: the same reading
 * as passport-jwt's `ExtractJwt.fromAuthHeaderAsBearerToken()`, which the module's strategies used. Never a query
 * string or a body.
 */
export function bearerTokenOf(headers: {
  authorization?: string | string[] | undefined;
}): string | null {
  const header = headers.authorization;
  if (typeof header !== 'string') return null;
  const match = AUTHORIZATION.exec(header);
  return match !== null && match[1].toLowerCase() === 'bearer' ? match[2] : null;
}
