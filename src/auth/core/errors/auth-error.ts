import type { AuthUser } from '../model/auth.types';
import type { TokenKind } from '../model/token.types';

/**
 * What a code is: the message a client reads when the refusal gives none of its own (the same on every face: HTTP,
 * GraphQL, socket.io), and when it happens, for docs/errors.md.
 */
export interface AuthErrorCodeDefinition {
  /** The client's message: a fixed sentence, never naming a user, a token or the implementation. */
  readonly message: string;
  /** When it is answered, for the reader of the docs. */
  readonly when: string;
}

/**
 * The core's codes (docs/errors.md): stable UPPER_SNAKE identifiers a client branches on, never on the message.
 * The first twelve are fixed by the contract; the rest name today's other refusals in the field's terms.
 */
export const CORE_AUTH_ERROR_CODES = {
  TOKEN_MISSING: {
    message: 'Authentication required',
    when: 'no access token (`Authorization: Bearer`) on a route that needs one',
  },
  REFRESH_TOKEN_MISSING: {
    message: 'Invalid or expired token',
    when: 'no refresh token (body, `Authorization: Bearer` or cookie) on a refresh',
  },
  TOKEN_EXPIRED: { message: 'Invalid or expired token', when: 'the token is past its `exp`' },
  TOKEN_REVOKED: {
    message: 'Invalid or expired token',
    when: "a token of a revoked session (logout, theft, password change, disabling, deletion), or issued before its user's roles changed",
  },
  TOKEN_INVALID: {
    message: 'Invalid or expired token',
    when: 'any other refused token: malformed, wrong `typ`, `alg` or `kid`, bad signature, foreign `iss`/`aud`, a session past its lifetime or of another user, a deleted user',
  },
  REFRESH_TOKEN_REUSED: {
    message: 'Invalid or expired token',
    when: 'a spent refresh token presented outside its grace, or an older one: the session is revoked',
  },
  INSUFFICIENT_ROLE: {
    message: 'Insufficient role for this resource',
    when: 'signed in without any of the roles of `@Roles(...)`',
  },
  INVALID_CREDENTIALS: {
    message: 'Invalid credentials',
    when: 'a login with an unknown email or a wrong password (alike)',
  },
  ACCOUNT_DISABLED: {
    message: 'Account disabled',
    when: 'the right password of a disabled account, or a session started for one',
  },
  ACCOUNT_CANNOT_SIGN_IN: {
    message: 'Account cannot sign in: its user id is too long',
    when: "a host's user store made an id longer than the session store keeps",
  },
  EMAIL_NOT_VERIFIED: {
    message: 'Email not verified',
    when: "the right password of an unverified account, with `emailVerification: 'required'`",
  },
  EMAIL_TAKEN: {
    message: 'Email already registered',
    when: 'registering, or changing to, an address another account has',
  },
  WRONG_CURRENT_PASSWORD: {
    message: 'Current password is incorrect',
    when: "`currentPassword` is wrong (password change, email change, deleting one's account): 403, so that refresh-on-401 does not loop",
  },
  INVALID_MAIL_TOKEN: {
    message: 'Invalid or expired token',
    when: "a mail link's token that is unknown, spent, expired or of another purpose",
  },
  SESSION_NOT_FOUND: {
    message: 'Session not found',
    when: 'an id that is not a live session of the caller (whoever owns it)',
  },
  USER_NOT_FOUND: {
    message: 'User not found',
    when: 'an unknown user id (administration, `startSession`)',
  },
  LAST_ADMIN: {
    message: 'The last active admin cannot be demoted, disabled or deleted',
    when: "a change of roles, a disabling or a deletion (one's own account included) that would leave no active user with the role `admin`; checked in the write, under a lock",
  },
  CSRF_CHECK_FAILED: {
    message:
      'A request carrying the refresh cookie needs an X-Requested-With header or a trusted Origin',
    when: 'cookie transport: the refresh cookie without `X-Requested-With` or a trusted `Origin`',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    message: 'Unsupported Media Type: send JSON (Content-Type: application/json)',
    when: "a body on the module's routes that is not `application/json` (a form post, text): 415",
  },
  VALIDATION_FAILED: {
    message: 'Bad Request',
    when: 'any refused body or query: unknown fields, wrong types, nesting too deep, a password outside the policy, a malformed JSON body, …; `message` lists the problems',
  },
  RATE_LIMITED: {
    message: 'Too many requests; try again later',
    when: 'any 429: the per-client limit, the per-address limit of mail routes, the per-account slowdown after failed logins; `Retry-After` says when',
  },
  DATABASE_UNAVAILABLE: {
    message: 'The database is unavailable; try again shortly',
    when: 'the database cannot be reached; `Retry-After` says when to try again',
  },
  INVALID_MFA_CODE: {
    message: 'Invalid code',
    when: 'a wrong or spent second-factor code (TOTP, recovery code)',
  },
  MFA_REQUIRED: {
    message: 'Second factor required',
    when: 'the first factor held; the sign-in needs a second one',
  },
  INSUFFICIENT_USER_AUTHENTICATION: {
    message: 'A stronger or more recent authentication is required',
    when: "step-up (RFC 9470): the token's `acr` or `auth_time` is not enough for the route",
  },
} as const satisfies Record<string, AuthErrorCodeDefinition>;

/** A code of the core. */
export type CoreAuthErrorCode = keyof typeof CORE_AUTH_ERROR_CODES;

/**
 * The codes features add, for the type checker: a feature that calls {@link defineAuthErrorCodes} augments this
 * interface with the same names (`declare module` on this file, or on `nest-session-auth/errors`), one property per code.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RegisteredAuthErrorCodes {}

/** Every code an {@link AuthError} may carry: the core's, and those features registered. */
export type AuthErrorCode = CoreAuthErrorCode | Extract<keyof RegisteredAuthErrorCodes, string>;

const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
const definitions = new Map<string, AuthErrorCodeDefinition>(Object.entries(CORE_AUTH_ERROR_CODES));

/**
 * Registers a feature's own codes beside the core's, without editing the core's list; each face then needs an
 * answer for them (`defineHttpErrorAnswers`, `defineGraphQLErrorCodes`: a unit spec fails on a code a face lacks).
 * Call it once, when the feature's file loads.
 * @returns the codes as constants (`{ OTP_LOCKED: 'OTP_LOCKED' }`)
 * @throws Error for a name that is not UPPER_SNAKE, or one registered already with another definition
 * @example
 * ```ts
 * export const MFA_ERRORS = defineAuthErrorCodes({
 *   OTP_LOCKED: { message: 'Too many wrong codes', when: 'five wrong TOTP codes in a row' },
 * });
 * declare module 'nest-session-auth/errors' {
 *   interface RegisteredAuthErrorCodes { OTP_LOCKED: true }
 * }
 * ```
 */
export function defineAuthErrorCodes<const D extends Record<string, AuthErrorCodeDefinition>>(
  codes: D,
): { readonly [K in keyof D]: K } {
  const constants: Record<string, string> = {};
  for (const [code, definition] of Object.entries(codes)) {
    if (!UPPER_SNAKE.test(code)) throw new Error(`Auth error code ${code} is not UPPER_SNAKE`);
    const existing = definitions.get(code);
    if (existing !== undefined && existing !== definition) {
      throw new Error(`Auth error code ${code} is registered already`);
    }
    definitions.set(code, definition);
    constants[code] = code;
  }
  return constants as { readonly [K in keyof D]: K };
}

/** Every registered code, the core's first: what each face's table must answer. */
export function authErrorCodes(): AuthErrorCode[] {
  return [...definitions.keys()] as AuthErrorCode[];
}

/** The definition of `code`. @throws Error for a code nobody registered (a bug: the type checker prevents it). */
export function authErrorDefinition(code: AuthErrorCode): AuthErrorCodeDefinition {
  const definition = definitions.get(code);
  if (definition === undefined) throw new Error(`Unregistered auth error code ${code}`);
  return definition;
}

/** What an {@link AuthError} carries besides its code. */
export interface AuthErrorDetails {
  /** What the client reads instead of the code's message: a sentence, or the list of a validation's problems. */
  readonly message?: string | readonly string[];
  /** Seconds after which trying again may succeed: the `Retry-After` of a 429 or 503. */
  readonly retryAfterSeconds?: number;
  /** Why, for the server's log only: never sent to a client, never quoting a token or a password. */
  readonly reason?: string;
  /**
   * A step-up refusal (`INSUFFICIENT_USER_AUTHENTICATION`, RFC 9470 §3): the `acr` values that would do, space
   * separated (`aal2`), and/or the longest age in seconds an authentication may have. Faces pass them on: HTTP as
   * `acr_values` / `max_age` in `WWW-Authenticate`, GraphQL and socket.io as `acrValues` / `maxAge`.
   */
  readonly acrValues?: string;
  readonly maxAge?: number;
  /**
   * The refusal is of the request's input rather than of the caller's identity (a wrong code while enrolling a
   * factor, by a caller who is signed in): faces answer it as a bad request (HTTP 400, GraphQL `BAD_USER_INPUT`)
   * whatever the code's own answer.
   */
  readonly invalidInput?: true;
}

/**
 * Why a token was refused, one per check that can fail. The client never sees it: it reads the public code
 * ({@link tokenRejectionCode}); the reason goes to the debug log.
 */
export const TOKEN_REJECTION_REASONS = [
  /** Not a compact JWS of at most 8 KiB, a header or payload that is no JSON object, a `crit` header, a key twice. */
  'token_malformed',
  /** `typ` is not the one of the token kind (an access token presented as a refresh token, or back). */
  'token_type',
  /** `alg` is not the one pinned for the token kind. */
  'token_algorithm',
  /** Asymmetric access tokens: no `kid`, or one that names no configured public key. */
  'token_kid',
  /** The signature does not hold, or is missing. */
  'token_signature',
  /** `exp` is past (no tolerance). */
  'token_expired',
  /** `iss` or `aud` not ours, a claim missing or mistyped, or `iat`/`nbf` too far ahead. */
  'token_claims',
  /** A valid access token whose session is revoked. */
  'token_revoked',
  /** Refused on another error (a library's, a store's), which gives no reason of its own: its class is the reason. */
  'token_invalid',
] as const;
export type TokenRejectionReason = (typeof TOKEN_REJECTION_REASONS)[number];

/** The token layer's reasons that {@link AuthError} also takes in place of a code: a rejection, or a missing token. */
export type TokenRefusalReason = TokenRejectionReason | 'token_missing' | 'refresh_token_missing';

/** The public code of a token refusal's reason: expired and revoked are told apart, the rest is `TOKEN_INVALID`. */
export function tokenRejectionCode(reason: TokenRefusalReason): CoreAuthErrorCode {
  switch (reason) {
    case 'token_missing':
      return 'TOKEN_MISSING';
    case 'refresh_token_missing':
      return 'REFRESH_TOKEN_MISSING';
    case 'token_expired':
      return 'TOKEN_EXPIRED';
    case 'token_revoked':
      return 'TOKEN_REVOKED';
    default:
      return 'TOKEN_INVALID';
  }
}

function isTokenRefusalReason(value: string): value is TokenRefusalReason {
  return (
    value === 'token_missing' ||
    value === 'refresh_token_missing' ||
    (TOKEN_REJECTION_REASONS as readonly string[]).includes(value)
  );
}

function textOf(message: string | readonly string[]): string {
  return typeof message === 'string' ? message : message.join('; ');
}

/**
 * A refusal of the module, free of any transport: a registered `code` and its details. Each face answers it from
 * its one table: HTTP (`toHttpException`, in the guards and the interceptor of the module's routes), GraphQL
 * (`toGraphQLRefusal`), socket.io (`AuthSocketErrorsFilter`). The error's own `message` is the reason, for the
 * server's log, or the public message when none is given; what a client reads is {@link AuthError.publicMessage}.
 *
 * The token layer may give one of its reasons (`'token_missing'`, `'token_claims'`, …) in place of the code, and its
 * reason as a string in place of the details: the code is then the reason's public code.
 */
export class AuthError extends Error {
  override readonly name: string = 'AuthError';
  readonly code: AuthErrorCode;
  readonly details: AuthErrorDetails;

  constructor(code: AuthErrorCode | TokenRefusalReason, details: AuthErrorDetails | string = {}) {
    const given = typeof details === 'string' ? { reason: details } : details;
    const publicCode = isTokenRefusalReason(code) ? tokenRejectionCode(code) : code;
    super(given.reason ?? textOf(given.message ?? authErrorDefinition(publicCode).message));
    this.code = publicCode;
    this.details = given;
  }

  /** What the client reads: the details' message, or the code's own. */
  get publicMessage(): string | readonly string[] {
    return this.details.message ?? authErrorDefinition(this.code).message;
  }
}

/** A token of `kind` refused by verification (TokenService) or by the strategy after it; `reason` says why. */
export class TokenRejectedError extends AuthError {
  override readonly name: string = 'TokenRejectedError';

  constructor(
    readonly kind: TokenKind,
    readonly reason: TokenRejectionReason,
    message: string,
  ) {
    super(tokenRejectionCode(reason), { reason: message });
  }
}

/**
 * A valid access token whose session is revoked: refused (`TOKEN_REVOKED`), but it says whose it was, for the
 * routes that accept it (see `@AllowRevokedSession`).
 */
export class RevokedSessionError extends TokenRejectedError {
  override readonly name: string = 'RevokedSessionError';

  constructor(readonly user: AuthUser) {
    super('access', 'token_revoked', 'its session is revoked');
  }
}
