import { createHash, type JsonWebKey } from 'node:crypto';

/** The members RFC 7638 §3.2 hashes for each key type, already in lexicographic order. */
const REQUIRED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
};

/**
 * The RFC 7638 thumbprint of a public JWK: base64url of the SHA-256 of its required members, sorted, without
 * whitespace. It is what access tokens carry as `kid`: derived from the key itself, so it needs no bookkeeping and
 * any verifier can recompute it.
 */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const members = REQUIRED_MEMBERS[String(jwk.kty)];
  if (members === undefined)
    throw new Error(`No RFC 7638 thumbprint for key type ${String(jwk.kty)}`);
  const canonical = members.map((name) => {
    const value = jwk[name];
    if (typeof value !== 'string') throw new Error(`JWK member ${name} is missing`);
    // The values are base64url or plain ASCII names: JSON.stringify writes them exactly as §3.3 asks.
    return `${JSON.stringify(name)}:${JSON.stringify(value)}`;
  });
  return createHash('sha256')
    .update(`{${canonical.join(',')}}`, 'utf8')
    .digest('base64url');
}
