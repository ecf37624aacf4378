import type { ExecutionContext, HttpException, HttpServer } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { AuthUser } from '../../core/model/auth.types';
import {
  AuthError,
  type CoreAuthErrorCode,
  RevokedSessionError,
  TOKEN_REJECTION_REASONS,
  TokenRejectedError,
} from '../../core/errors/auth-error';
import {
  InsufficientScopeException,
  InvalidTokenException,
  MissingTokenException,
} from './bearer-challenge.exception';
import { refusal } from './refusal';
import { hasResponseHeaders } from './response-headers';
import { SocketRefusal, toSocketAck } from '../../contexts/socket-refusal';
import { toGraphQLRefusal } from '../../contexts/graphql-refusal';
import { toHttpException } from './to-http-exception';

const INVALID_TOKEN = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };

function unauthorizedToken(code: CoreAuthErrorCode) {
  return {
    status: 401,
    body: { statusCode: 401, message: 'Invalid or expired token', error: 'Unauthorized', code },
    headers: INVALID_TOKEN,
  };
}

function plain(code: CoreAuthErrorCode, statusCode: number, error: string, message: string) {
  return { status: statusCode, body: { statusCode, message, error, code }, headers: {} };
}

/** What the client sees for each code of the core: the messages are those clients have always read. */
const ANSWERS: [CoreAuthErrorCode, ReturnType<typeof plain>][] = [
  [
    'TOKEN_MISSING',
    {
      status: 401,
      body: {
        statusCode: 401,
        message: 'Authentication required',
        error: 'Unauthorized',
        code: 'TOKEN_MISSING',
      },
      headers: { 'WWW-Authenticate': 'Bearer' },
    },
  ],
  ['REFRESH_TOKEN_MISSING', unauthorizedToken('REFRESH_TOKEN_MISSING')],
  ['TOKEN_EXPIRED', unauthorizedToken('TOKEN_EXPIRED')],
  ['TOKEN_REVOKED', unauthorizedToken('TOKEN_REVOKED')],
  ['TOKEN_INVALID', unauthorizedToken('TOKEN_INVALID')],
  ['REFRESH_TOKEN_REUSED', unauthorizedToken('REFRESH_TOKEN_REUSED')],
  [
    'INSUFFICIENT_ROLE',
    {
      status: 403,
      body: {
        statusCode: 403,
        message: 'Insufficient role for this resource',
        error: 'Forbidden',
        code: 'INSUFFICIENT_ROLE',
      },
      headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
    },
  ],
  ['INVALID_CREDENTIALS', plain('INVALID_CREDENTIALS', 401, 'Unauthorized', 'Invalid credentials')],
  ['ACCOUNT_DISABLED', plain('ACCOUNT_DISABLED', 403, 'Forbidden', 'Account disabled')],
  ['EMAIL_NOT_VERIFIED', plain('EMAIL_NOT_VERIFIED', 403, 'Forbidden', 'Email not verified')],
  ['EMAIL_TAKEN', plain('EMAIL_TAKEN', 409, 'Conflict', 'Email already registered')],
  [
    'WRONG_CURRENT_PASSWORD',
    plain('WRONG_CURRENT_PASSWORD', 403, 'Forbidden', 'Current password is incorrect'),
  ],
  [
    'INVALID_MAIL_TOKEN',
    plain('INVALID_MAIL_TOKEN', 400, 'Bad Request', 'Invalid or expired token'),
  ],
  ['SESSION_NOT_FOUND', plain('SESSION_NOT_FOUND', 404, 'Not Found', 'Session not found')],
  ['USER_NOT_FOUND', plain('USER_NOT_FOUND', 404, 'Not Found', 'User not found')],
  [
    'CSRF_CHECK_FAILED',
    plain(
      'CSRF_CHECK_FAILED',
      403,
      'Forbidden',
      'A request carrying the refresh cookie needs an X-Requested-With header or a trusted Origin',
    ),
  ],
];

function answerTo(error: AuthError) {
  const exception = toHttpException(error);
  return {
    status: exception.getStatus(),
    body: exception.getResponse(),
    headers: hasResponseHeaders(exception) ? exception.responseHeaders : {},
  };
}

describe('toHttpException', () => {
  it.each(ANSWERS)('answers %s as clients have always read it, plus its code', (code, expected) => {
    expect(answerTo(new AuthError(code, 'why'))).toEqual(expected);
  });

  it('maps the token reasons: expired and revoked apart, every other one TOKEN_INVALID, all invalid_token', () => {
    for (const reason of TOKEN_REJECTION_REASONS) {
      const code =
        reason === 'token_expired'
          ? 'TOKEN_EXPIRED'
          : reason === 'token_revoked'
            ? 'TOKEN_REVOKED'
            : 'TOKEN_INVALID';
      const error = new TokenRejectedError('refresh', reason, 'why');
      expect(error).toMatchObject({ kind: 'refresh', reason, code, message: 'why' });
      expect(answerTo(error)).toEqual(unauthorizedToken(code));
    }
  });

  it("takes the token layer's reasons in place of a code, keeping the reason for the log", () => {
    expect(new AuthError('token_missing', 'no token')).toMatchObject({
      code: 'TOKEN_MISSING',
      message: 'no token',
    });
    expect(new AuthError('refresh_token_missing').code).toBe('REFRESH_TOKEN_MISSING');
    expect(new AuthError('token_claims', 'another session').code).toBe('TOKEN_INVALID');
  });

  it('answers a revoked session as TOKEN_REVOKED, naming neither the reason nor the user', () => {
    const user: AuthUser = { id: 'u1', email: 'a@b.c', roles: ['user'], sessionId: 's1' };
    const answer = answerTo(new RevokedSessionError(user));

    expect(answer).toEqual(unauthorizedToken('TOKEN_REVOKED'));
    expect(JSON.stringify(answer)).not.toMatch(/u1|a@b\.c|s1|its session/);
  });

  it("gives a validation's list of problems, and Retry-After from the details", () => {
    expect(
      answerTo(new AuthError('VALIDATION_FAILED', { message: ['email must be an email'] })),
    ).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        message: ['email must be an email'],
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
      },
      headers: {},
    });
    expect(answerTo(new AuthError('RATE_LIMITED', { retryAfterSeconds: 7 }))).toEqual({
      status: 429,
      body: {
        statusCode: 429,
        message: 'Too many requests; try again later',
        error: 'Too Many Requests',
        code: 'RATE_LIMITED',
      },
      headers: { 'Retry-After': '7' },
    });
  });

  it('keeps the reason out of the body', () => {
    const answer = answerTo(new AuthError('INVALID_CREDENTIALS', { reason: 'secret reason' }));
    expect(JSON.stringify(answer)).not.toMatch(/secret reason/);
  });

  it('gives a new exception on every call', () => {
    const error = new AuthError('TOKEN_MISSING', 'why');
    expect(toHttpException(error)).not.toBe(toHttpException(error));
  });

  it('keeps the public exceptions a host may throw, now with their code', () => {
    expect(new MissingTokenException().getResponse()).toMatchObject({ code: 'TOKEN_MISSING' });
    expect(new InvalidTokenException().getResponse()).toMatchObject({
      statusCode: 401,
      code: 'TOKEN_INVALID',
      message: 'Invalid or expired token',
    });
    expect(new InvalidTokenException('Session ended').getResponse()).toMatchObject({
      message: 'Session ended',
    });
    expect(new InsufficientScopeException().responseHeaders).toEqual({
      'WWW-Authenticate': 'Bearer error="insufficient_scope"',
    });
  });
});

describe('refusal', () => {
  function httpContext(type = 'http') {
    const response = { sent: 'response' };
    const setHeader = jest.fn();
    const http = { httpAdapter: { setHeader } as unknown as HttpServer } as HttpAdapterHost;
    const context = {
      getType: () => type,
      switchToHttp: () => ({ getResponse: () => response }),
    } as unknown as ExecutionContext;
    return { context, http, response, setHeader };
  }

  it('puts the challenge on the response through the HTTP adapter, and returns the exception to throw', () => {
    const { context, http, response, setHeader } = httpContext();

    const exception = refusal(context, new AuthError('INSUFFICIENT_ROLE', 'why'), http);

    expect((exception as HttpException).getStatus()).toBe(403);
    expect(setHeader.mock.calls).toEqual([
      [response, 'WWW-Authenticate', 'Bearer error="insufficient_scope"'],
    ]);
  });

  it('sets nothing outside HTTP, or without an adapter', () => {
    const rpc = httpContext('rpc');
    refusal(rpc.context, new AuthError('TOKEN_MISSING', 'why'), rpc.http);
    expect(rpc.setHeader).not.toHaveBeenCalled();

    const bare = httpContext();
    const exception = refusal(bare.context, new AuthError('TOKEN_MISSING', 'why'), undefined);
    expect((exception as HttpException).getStatus()).toBe(401);
  });

  it('answers in a GraphQL resolver with extensions.code and authCode, and sets no header', () => {
    const graphql = httpContext('graphql');

    const forbidden = refusal(
      graphql.context,
      new AuthError('INSUFFICIENT_ROLE', 'why'),
      graphql.http,
    );
    const unauthenticated = refusal(
      graphql.context,
      new AuthError('token_expired', 'why'),
      graphql.http,
    );

    expect(forbidden).toMatchObject({
      extensions: { code: 'FORBIDDEN', authCode: 'INSUFFICIENT_ROLE' },
    });
    expect(unauthenticated).toMatchObject({
      message: 'Invalid or expired token',
      extensions: { code: 'UNAUTHENTICATED', authCode: 'TOKEN_EXPIRED' },
    });
    expect(forbidden).not.toHaveProperty('statusCode');
    expect(graphql.setHeader).not.toHaveBeenCalled();
  });

  it('refuses a socket.io event with a SocketRefusal carrying the error', () => {
    const ws = httpContext('ws');
    const error = new AuthError('INSUFFICIENT_ROLE', 'why');

    const refused = refusal(ws.context, error, ws.http);

    expect(refused).toBeInstanceOf(SocketRefusal);
    expect((refused as SocketRefusal).authError).toBe(error);
    expect(ws.setHeader).not.toHaveBeenCalled();
  });
});

describe('step-up and input refusals on the faces', () => {
  const stepUp = new AuthError('INSUFFICIENT_USER_AUTHENTICATION', {
    message: 'A second factor is required for this resource',
    acrValues: 'aal2',
    maxAge: 300,
  });

  it('HTTP: the RFC 9470 challenge with error_description, acr_values and max_age, quoted', () => {
    const exception = toHttpException(stepUp);

    expect(exception.getStatus()).toBe(401);
    expect(exception.responseHeaders['WWW-Authenticate']).toBe(
      'Bearer error="insufficient_user_authentication", error_description="A second factor is required for this resource", acr_values="aal2", max_age="300"',
    );
  });

  it('HTTP: a bare insufficient_user_authentication without step-up details', () => {
    expect(
      toHttpException(new AuthError('INSUFFICIENT_USER_AUTHENTICATION')).responseHeaders[
        'WWW-Authenticate'
      ],
    ).toBe('Bearer error="insufficient_user_authentication"');
  });

  it('GraphQL and socket.io: the same code, with acrValues and maxAge', () => {
    expect(toGraphQLRefusal(stepUp).extensions).toEqual({
      code: 'UNAUTHENTICATED',
      authCode: 'INSUFFICIENT_USER_AUTHENTICATION',
      acrValues: 'aal2',
      maxAge: 300,
    });
    expect(toSocketAck(stepUp)).toEqual({
      error: {
        code: 'INSUFFICIENT_USER_AUTHENTICATION',
        message: 'A second factor is required for this resource',
        acrValues: 'aal2',
        maxAge: 300,
      },
    });
  });

  it('answers a refusal of the input as a bad request, whatever its code (a wrong code while enrolling)', () => {
    const wrongCode = new AuthError('INVALID_MFA_CODE', { invalidInput: true });

    expect(toHttpException(wrongCode).getStatus()).toBe(400);
    expect(toHttpException(wrongCode).getResponse()).toMatchObject({
      code: 'INVALID_MFA_CODE',
      error: 'Bad Request',
    });
    expect(toHttpException(new AuthError('INVALID_MFA_CODE')).getStatus()).toBe(401);
    expect(toGraphQLRefusal(wrongCode).extensions.code).toBe('BAD_USER_INPUT');
  });
});
