import { HttpException, HttpStatus } from '@nestjs/common';
import {
  type AuthError,
  type AuthErrorCode,
  type CoreAuthErrorCode,
  authErrorCodes,
} from '../../core/errors/auth-error';
import type { WithResponseHeaders } from './response-headers';

/**
 * How a code answers over HTTP: its status, and the RFC 6750 §3 challenge of `WWW-Authenticate` if any. The body's
 * `error` is the status text (as Nest's own exceptions have it) and its `message` the code's (see `AuthError`);
 * `Retry-After` comes from the error's details.
 */
export interface HttpErrorAnswer {
  readonly status: HttpStatus;
  /** The `WWW-Authenticate` value (RFC 6750 §3: bare `Bearer` when no token was sent). */
  readonly challenge?: string;
}

/** The body of every error the module answers: Nest's shape, plus the stable `code`. */
export interface AuthErrorBody {
  statusCode: number;
  message: string | readonly string[];
  error: string;
  code: AuthErrorCode;
}

const INVALID_TOKEN = 'Bearer error="invalid_token"';
const INVALID_TOKEN_ANSWER = { status: HttpStatus.UNAUTHORIZED, challenge: INVALID_TOKEN };

/**
 * The one table of the HTTP face. Every refusal of a token, a missing refresh token included, is `invalid_token`
 * (a refresh's answer, docs/sessions.md: Behaviour in detail); a missing access token gets the bare challenge. 403, not 401,
 * for a wrong current password: a client that refreshes on 401 would loop.
 */
const CORE_ANSWERS: Record<CoreAuthErrorCode, HttpErrorAnswer> = {
  TOKEN_MISSING: { status: HttpStatus.UNAUTHORIZED, challenge: 'Bearer' },
  REFRESH_TOKEN_MISSING: INVALID_TOKEN_ANSWER,
  TOKEN_EXPIRED: INVALID_TOKEN_ANSWER,
  TOKEN_REVOKED: INVALID_TOKEN_ANSWER,
  TOKEN_INVALID: INVALID_TOKEN_ANSWER,
  REFRESH_TOKEN_REUSED: INVALID_TOKEN_ANSWER,
  INSUFFICIENT_ROLE: {
    status: HttpStatus.FORBIDDEN,
    challenge: 'Bearer error="insufficient_scope"',
  },
  INVALID_CREDENTIALS: { status: HttpStatus.UNAUTHORIZED },
  ACCOUNT_DISABLED: { status: HttpStatus.FORBIDDEN },
  ACCOUNT_CANNOT_SIGN_IN: { status: HttpStatus.FORBIDDEN },
  EMAIL_NOT_VERIFIED: { status: HttpStatus.FORBIDDEN },
  EMAIL_TAKEN: { status: HttpStatus.CONFLICT },
  WRONG_CURRENT_PASSWORD: { status: HttpStatus.FORBIDDEN },
  INVALID_MAIL_TOKEN: { status: HttpStatus.BAD_REQUEST },
  SESSION_NOT_FOUND: { status: HttpStatus.NOT_FOUND },
  USER_NOT_FOUND: { status: HttpStatus.NOT_FOUND },
  LAST_ADMIN: { status: HttpStatus.CONFLICT },
  CSRF_CHECK_FAILED: { status: HttpStatus.FORBIDDEN },
  UNSUPPORTED_MEDIA_TYPE: { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE },
  VALIDATION_FAILED: { status: HttpStatus.BAD_REQUEST },
  RATE_LIMITED: { status: HttpStatus.TOO_MANY_REQUESTS },
  DATABASE_UNAVAILABLE: { status: HttpStatus.SERVICE_UNAVAILABLE },
  INVALID_MFA_CODE: { status: HttpStatus.UNAUTHORIZED },
  MFA_REQUIRED: { status: HttpStatus.FORBIDDEN },
  // RFC 9470 §3.
  INSUFFICIENT_USER_AUTHENTICATION: {
    status: HttpStatus.UNAUTHORIZED,
    challenge: 'Bearer error="insufficient_user_authentication"',
  },
};

const answers = new Map<string, HttpErrorAnswer>(Object.entries(CORE_ANSWERS));

/** A refusal of the input (`details.invalidInput`), whatever its code. */
const INVALID_INPUT_ANSWER: HttpErrorAnswer = { status: HttpStatus.BAD_REQUEST };

/**
 * The challenge with a step-up refusal's parameters (RFC 9470 §3, values quoted as in its examples):
 * `error_description`, then `acr_values` and/or `max_age`. Quotes and backslashes never reach the header: the
 * description is the module's own sentence, the values its own.
 */
function withStepUp(challenge: string, error: AuthError): string {
  const { acrValues, maxAge } = error.details;
  if (acrValues === undefined && maxAge === undefined) return challenge;
  const description = String(error.publicMessage).replace(/["\\]/g, '');
  return [
    challenge,
    `error_description="${description}"`,
    ...(acrValues === undefined ? [] : [`acr_values="${acrValues}"`]),
    ...(maxAge === undefined ? [] : [`max_age="${maxAge}"`]),
  ].join(', ');
}

/** The status texts of Nest's HTTP exceptions, for the body's `error`. */
const STATUS_TEXT: Readonly<Partial<Record<number, string>>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  423: 'Locked',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * The HTTP answers of a feature's codes (registered with `defineAuthErrorCodes`), beside the core's.
 * @throws Error for a code not registered, or answered already
 */
export function defineHttpErrorAnswers(
  table: Partial<Record<AuthErrorCode, HttpErrorAnswer>>,
): void {
  const registered = new Set<string>(authErrorCodes());
  for (const [code, answer] of Object.entries(table)) {
    if (!registered.has(code)) throw new Error(`Auth error code ${code} is not registered`);
    if (answers.has(code) && answers.get(code) !== answer) {
      throw new Error(`Auth error code ${code} has an HTTP answer already`);
    }
    answers.set(code, answer);
  }
}

/** The HTTP answer of `code`, or undefined when the face lacks one (a unit spec makes sure none does). */
export function httpErrorAnswer(code: AuthErrorCode): HttpErrorAnswer | undefined {
  return answers.get(code);
}

/**
 * An {@link AuthError} as an HTTP exception: body `{ statusCode, message, error, code }`, and the headers it asks
 * for in `responseHeaders` (`WWW-Authenticate`, `Retry-After`), which whoever answers puts on the response (the
 * module's guards and interceptor do, through the HTTP adapter). Its `cause` is the AuthError.
 */
export class AuthHttpException extends HttpException implements WithResponseHeaders {
  readonly responseHeaders: Readonly<Record<string, string>>;

  constructor(readonly authError: AuthError) {
    const coded = httpErrorAnswer(authError.code);
    if (coded === undefined) {
      throw new Error(`Auth error code ${authError.code} has no HTTP answer`);
    }
    const answer = authError.details.invalidInput === true ? INVALID_INPUT_ANSWER : coded;
    const body: AuthErrorBody = {
      statusCode: answer.status,
      message: authError.publicMessage,
      error: STATUS_TEXT[answer.status] ?? 'Error',
      code: authError.code,
    };
    super(body, answer.status, { cause: authError });
    const headers: Record<string, string> = {};
    if (answer.challenge !== undefined) {
      headers['WWW-Authenticate'] = withStepUp(answer.challenge, authError);
    }
    const { retryAfterSeconds } = authError.details;
    if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
    this.responseHeaders = headers;
  }
}

/**
 * The HTTP exception a client gets for `error`: the one mapping of the module's errors to HTTP (docs/errors.md). A
 * new exception on every call: Nest may write to it.
 */
export function toHttpException(error: AuthError): AuthHttpException {
  return new AuthHttpException(error);
}
