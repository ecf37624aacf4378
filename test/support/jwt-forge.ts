import { createHmac, type KeyObject, sign } from 'node:crypto';

/** Builds JWTs by hand, as an attacker would: any header, any payload, any (or no) signature. */
export function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

export function forgeJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret?: string,
): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature =
    secret === undefined
      ? ''
      : createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

/** The decoded header and payload of a JWT (no verification). */
export function decodeJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >,
  };
}

/**
 * A JWT signed with an asymmetric private key by hand, with node:crypto, as any library would: ES256 (R || S, as
 * RFC 7518 §3.4 asks) for an EC key, RS256 for an RSA key. Any header, including a `kid` or `alg` the key does not
 * match: what a verifier does with it is the point of the tests.
 */
export function signJwtWith(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  privateKey: KeyObject,
): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const dsaEncoding = privateKey.asymmetricKeyType === 'ec' ? 'ieee-p1363' : undefined;
  const signature = sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding });
  return `${signingInput}.${base64url(signature)}`;
}
