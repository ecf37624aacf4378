import { createHmac, type KeyObject, sign, timingSafeEqual, verify } from 'node:crypto';
import type { AsymmetricAlgorithm, JwtAlgorithm } from './jwt-algorithm';

/**
 * node:crypto's parameters for each asymmetric algorithm. Signed here rather than with jsonwebtoken, which has no
 * EdDSA (RFC 8037), and is several times slower than node:crypto for HS256: one code path for every algorithm,
 * checked against jsonwebtoken in the specs.
 */
const SIGNATURE: Record<AsymmetricAlgorithm, { hash: string | null; dsaEncoding?: 'ieee-p1363' }> =
  {
    // JWS carries R || S, 32 bytes each, not the DER that OpenSSL produces by default (RFC 7518 §3.4).
    ES256: { hash: 'sha256', dsaEncoding: 'ieee-p1363' },
    // Ed25519 hashes the message itself (RFC 8037 §3.1).
    EdDSA: { hash: null },
    // PKCS #1 v1.5, Node's default padding for an RSA key (RFC 7518 §3.3).
    RS256: { hash: 'sha256' },
  };

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * A compact JWS of `payload`, signed with `key`: the HMAC secret for HS256, else the private key. `header.alg` must
 * name the key's algorithm. Deterministic for HS256: the same header and payload give the same token, byte for byte.
 */
export function signJws(
  header: { alg: JwtAlgorithm } & Record<string, unknown>,
  payload: object,
  key: KeyObject,
): string {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${signatureOf(header.alg, input, key).toString('base64url')}`;
}

/**
 * The payload of a compact JWS whose header names exactly `algorithm` and whose signature `key` verifies (the HMAC
 * secret for HS256, else the public key); throws otherwise. The algorithm comes from the caller, never from the
 * token (no `none`, no HS/RS confusion), and the key too: `jwk`, `jku`, `x5u` and `x5c` headers are never read. A
 * `crit` header is refused, as RFC 7515 §4.1.11 asks of a verifier that understands no extension.
 */
export function verifyJws(token: string, algorithm: JwtAlgorithm, key: KeyObject): object {
  const segments = token.split('.');
  if (segments.length !== 3 || !segments.every((segment) => SEGMENT.test(segment))) {
    throw new JwsError('not a compact JWS');
  }
  const [header, payload, signature] = segments;
  const fields = decode(header);
  if (fields.alg !== algorithm) throw new JwsError('unexpected algorithm');
  if (fields.crit !== undefined) throw new JwsError('unsupported critical header');
  if (
    !signatureHolds(algorithm, `${header}.${payload}`, Buffer.from(signature, 'base64url'), key)
  ) {
    throw new JwsError('invalid signature');
  }
  return decode(payload);
}

/** A token refused by {@link verifyJws}; the message says why, for logs, never for clients. */
export class JwsError extends Error {
  override readonly name = 'JwsError';
}

function signatureOf(algorithm: JwtAlgorithm, input: string, key: KeyObject): Buffer {
  if (algorithm === 'HS256') return createHmac('sha256', key).update(input, 'ascii').digest();
  const { hash, dsaEncoding } = SIGNATURE[algorithm];
  return sign(hash, Buffer.from(input, 'ascii'), { key, dsaEncoding });
}

function signatureHolds(
  algorithm: JwtAlgorithm,
  input: string,
  signature: Buffer,
  key: KeyObject,
): boolean {
  if (algorithm === 'HS256') {
    const expected = signatureOf(algorithm, input, key);
    // timingSafeEqual throws on a length mismatch; the length of a MAC is no secret.
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
  const { hash, dsaEncoding } = SIGNATURE[algorithm];
  return verify(hash, Buffer.from(input, 'ascii'), { key, dsaEncoding }, signature);
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new JwsError('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwsError('not a JSON object');
  }
  return value as Record<string, unknown>;
}
