import { createHmac } from 'node:crypto';

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
