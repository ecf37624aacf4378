import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * HOTP (RFC 4226) and TOTP (RFC 6238) with node:crypto, as authenticator apps use them: HMAC-SHA-1, 6 digits, 30 s
 * steps from the Unix epoch. Kept to this one file so that a library (otplib) can replace it whole; pinned by the
 * RFCs' test vectors (totp.spec.ts).
 */

/** Seconds per TOTP step (RFC 6238 §4.1 `X`). */
export const TOTP_STEP_SECONDS = 30;
/** Digits of a code. */
export const TOTP_DIGITS = 6;
/** Bytes of a new secret: 160 bits, RFC 4226 §4's recommendation (R6). */
export const TOTP_SECRET_BYTES = 20;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4226 §5.3: the HOTP value of `counter` (a whole number up to 2^53), `digits` long, zero-padded. */
export function hotp(secret: Buffer, counter: number, digits = TOTP_DIGITS, hash = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(hash, secret).update(message).digest();
  // Dynamic truncation (§5.4): 31 bits from the offset the last nibble names.
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 §4.2: the step of a time, in seconds since the epoch. */
export function totpStep(timeSeconds: number): number {
  return Math.floor(timeSeconds / TOTP_STEP_SECONDS);
}

/** The TOTP code of `step`. */
export function totpAt(secret: Buffer, step: number, digits = TOTP_DIGITS, hash = 'sha1'): string {
  return hotp(secret, step, digits, hash);
}

/**
 * The step whose code `code` is, among the current one and `drift` steps either side (RFC 6238 §5.2: ±1 step of
 * clock drift and network delay), newest first; undefined when none. Every candidate is compared in constant time.
 */
export function matchingStep(
  secret: Buffer,
  code: string,
  nowSeconds: number,
  drift = 1,
): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const current = totpStep(nowSeconds);
  let found: number | undefined;
  for (let step = current + drift; step >= current - drift; step -= 1) {
    if (step < 0) continue;
    const expected = Buffer.from(totpAt(secret, step));
    if (timingSafeEqual(expected, Buffer.from(code)) && found === undefined) found = step;
  }
  return found;
}

/** A new random secret of {@link TOTP_SECRET_BYTES}. */
export function newTotpSecret(): Buffer {
  return randomBytes(TOTP_SECRET_BYTES);
}

/** RFC 4648 §6 base32, unpadded (as authenticator apps take it). */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** RFC 4648 §6 base32 back to bytes; case and padding ignored. @throws Error on a character outside the alphabet. */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/=+$/, '');
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('Not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/**
 * The `otpauth://totp/` URI an authenticator app reads from a QR code (Google Authenticator's Key Uri Format):
 * label `issuer:account`, the secret in base32, and the parameters spelled out.
 */
export function otpauthUrl(secret: Buffer, account: string, issuer: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({
    secret: base32Encode(secret),
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}
