import { generateKeyPairSync } from 'node:crypto';

/** A PEM key pair, as an operator would put it into JWT_PRIVATE_KEY / JWT_PUBLIC_KEY. */
export interface PemKeyPair {
  privateKey: string;
  publicKey: string;
}

const PRIVATE = { type: 'pkcs8', format: 'pem' } as const;
const PUBLIC = { type: 'spki', format: 'pem' } as const;

export type KeyKind = 'ES256' | 'RS256' | 'P-384' | 'RSA-1024' | 'Ed25519';

/** A fresh key pair of `kind`: the key type of an algorithm, or one that no algorithm accepts. */
export function pemKeyPair(kind: KeyKind): PemKeyPair {
  switch (kind) {
    case 'ES256':
      return generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        privateKeyEncoding: PRIVATE,
        publicKeyEncoding: PUBLIC,
      });
    case 'P-384':
      return generateKeyPairSync('ec', {
        namedCurve: 'P-384',
        privateKeyEncoding: PRIVATE,
        publicKeyEncoding: PUBLIC,
      });
    case 'Ed25519':
      return generateKeyPairSync('ed25519', {
        privateKeyEncoding: PRIVATE,
        publicKeyEncoding: PUBLIC,
      });
    case 'RS256':
      return generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: PRIVATE,
        publicKeyEncoding: PUBLIC,
      });
    case 'RSA-1024':
      return generateKeyPairSync('rsa', {
        modulusLength: 1024,
        privateKeyEncoding: PRIVATE,
        publicKeyEncoding: PUBLIC,
      });
  }
}

/** A PEM on one line with literal `\n` sequences, as environment variables often carry it. */
export function escapedNewlines(pem: string): string {
  return pem.replace(/\n/g, '\\n');
}
