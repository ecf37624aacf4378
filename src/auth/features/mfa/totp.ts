import { randomBytes } from 'node:crypto';

/**
 * HOTP (RFC 4226) and TOTP (RFC 6238) as authenticator apps use them (HMAC-SHA-1, 6 digits, 30 s steps from the
 * Unix epoch), through otplib: this file only names the module's choices and keeps the library behind one seam.
 * Pinned by the RFCs' test vectors (totp.spec.ts).
 *
 * otplib is loaded on first use, not with the package's entry: its base32 and hash helpers are ESM-only, which a
 * CommonJS host's stock Jest cannot load, and a host that does not use the second factor should not pay for them.
 */
type Otplib = typeof import('otplib');
let loaded: Otplib | undefined;
function otplib(): Otplib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('otplib') as Otplib;
  return loaded;
}

/** Seconds per TOTP step (RFC 6238 §4.1 `X`). */
export const TOTP_STEP_SECONDS = 30;
/** Digits of a code. */
export const TOTP_DIGITS = 6;
/** Bytes of a new secret: 160 bits, RFC 4226 §4's recommendation (R6). */
export const TOTP_SECRET_BYTES = 20;

/** RFC 4226 §5.3: the HOTP value of `counter`, `digits` long, zero-padded. */
export function hotp(secret: Buffer, counter: number, digits = TOTP_DIGITS): string {
  return otplib().generateSync({ strategy: 'hotp', secret, counter, digits });
}

/** RFC 6238 §4.2: the step of a time, in seconds since the epoch. */
export function totpStep(timeSeconds: number): number {
  return Math.floor(timeSeconds / TOTP_STEP_SECONDS);
}

/** The TOTP code of `step`. */
export function totpAt(secret: Buffer, step: number, digits = TOTP_DIGITS): string {
  return otplib().generateSync({ secret, epoch: step * TOTP_STEP_SECONDS, digits });
}

/**
 * The step whose code `code` is, among the current one and one step either side (RFC 6238 §5.2: clock drift and
 * network delay); undefined when none, or when `code` is not six digits. otplib compares in constant time.
 */
export function matchingStep(secret: Buffer, code: string, nowSeconds: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = otplib().verifySync({
    secret,
    token: code,
    epoch: nowSeconds,
    // The periods overlapping [now - 30 s, now + 30 s]: the current step and one either side.
    epochTolerance: TOTP_STEP_SECONDS,
  });
  // `delta`: how many steps from the current one the code matched.
  return result.valid ? totpStep(nowSeconds) + result.delta : undefined;
}

/** A new random secret of {@link TOTP_SECRET_BYTES}. */
export function newTotpSecret(): Buffer {
  return randomBytes(TOTP_SECRET_BYTES);
}

/** RFC 4648 §6 base32, unpadded (as authenticator apps take it). */
export function base32Encode(bytes: Buffer): string {
  return new (otplib().ScureBase32Plugin)().encode(bytes, { padding: false });
}

/** RFC 4648 §6 base32 back to bytes; case and padding ignored. @throws Error `Not base32` on a character outside it. */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/=+$/, '');
  // Checked here, so that the library's message (which quotes the input, a secret) never reaches a log.
  if (!/^[A-Z2-7]*$/.test(clean)) throw new Error('Not base32');
  return Buffer.from(new (otplib().ScureBase32Plugin)().decode(clean));
}

/**
 * The `otpauth://totp/` URI an authenticator app reads from a QR code (Google Authenticator's Key Uri Format):
 * label `issuer:account`, the secret in base32, SHA-1, 6 digits, 30 s.
 */
export function otpauthUrl(secret: Buffer, account: string, issuer: string): string {
  return otplib().generateURI({ issuer, label: account, secret: base32Encode(secret) });
}
