import type { KeyObject } from 'node:crypto';

/** The algorithms access tokens may be signed with (`JWT_ALGORITHM`). Refresh tokens are always HS256. */
export const JWT_ALGORITHMS = ['HS256', 'ES256', 'RS256'] as const;

export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** The algorithms signed with a private key and verified with a public one, published as JWKS. */
export type AsymmetricAlgorithm = Exclude<JwtAlgorithm, 'HS256'>;

/** RSA keys under 2048 bits are refused: RFC 7518 §3.3 requires at least that for RS256. */
export const MIN_RSA_BITS = 2048;

/**
 * The refusal of an algorithm this module signed with before it used jsonwebtoken (through @nestjs/jwt), which has
 * no EdDSA (RFC 8037), as one line naming the setting (`jwtAlgorithm` or `JWT_ALGORITHM`); undefined for any other
 * value, which the usual "must be one of" check handles.
 */
export function droppedAlgorithmProblem(setting: string, value: unknown): string | undefined {
  return value === 'EdDSA'
    ? `${setting} EdDSA is not supported (the JWT library has no EdDSA): use ES256`
    : undefined;
}

/** Whether `algorithm` signs with a private key (ES256, RS256), so that it needs a key pair rather than a secret. */
export function isAsymmetric(algorithm: JwtAlgorithm): algorithm is AsymmetricAlgorithm {
  return algorithm !== 'HS256';
}

/**
 * Why `key` cannot sign or verify with `algorithm`, as the end of a sentence that starts with the key's name; or
 * undefined when it can. Each algorithm takes exactly one key type, so a key never decides its own algorithm.
 */
export function keyTypeProblem(algorithm: AsymmetricAlgorithm, key: KeyObject): string | undefined {
  const details = key.asymmetricKeyDetails;
  switch (algorithm) {
    case 'ES256':
      return key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1'
        ? undefined
        : 'must be an EC P-256 key for ES256';
    case 'RS256':
      // rsa-pss keys are another algorithm (PS256); RS256 is PKCS #1 v1.5 on a plain RSA key.
      if (key.asymmetricKeyType !== 'rsa') return 'must be an RSA key for RS256';
      return (details?.modulusLength ?? 0) >= MIN_RSA_BITS
        ? undefined
        : `must be an RSA key of at least ${MIN_RSA_BITS} bits for RS256 (got ${details?.modulusLength} bits)`;
  }
}
