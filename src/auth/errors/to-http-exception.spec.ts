import type { ExecutionContext, HttpException, HttpServer } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { AuthUser } from '../auth.types';
import {
  AuthError,
  type AuthErrorCode,
  RevokedSessionError,
  TOKEN_REJECTION_CODES,
  TokenRejectedError,
} from './auth-error';
import { refusal } from './refusal';
import { hasResponseHeaders } from './response-headers';
import { toHttpException } from './to-http-exception';

const MISSING = {
  status: 401,
  body: { statusCode: 401, message: 'Authentication required', error: 'Unauthorized' },
  headers: { 'WWW-Authenticate': 'Bearer' },
};
const INVALID = {
  status: 401,
  body: { statusCode: 401, message: 'Invalid or expired token', error: 'Unauthorized' },
  headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
};
const INSUFFICIENT = {
  status: 403,
  body: { statusCode: 403, message: 'Insufficient role for this resource', error: 'Forbidden' },
  headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
};

/** What the client sees for each code: README, Use it in your Nest app, Errors. */
const ANSWERS: [AuthErrorCode, typeof INVALID][] = [
  ['token_missing', MISSING],
  ['refresh_token_missing', INVALID],
  ['token_malformed', INVALID],
  ['token_type', INVALID],
  ['token_algorithm', INVALID],
  ['token_kid', INVALID],
  ['token_signature', INVALID],
  ['token_expired', INVALID],
  ['token_claims', INVALID],
  ['token_revoked', INVALID],
  ['token_invalid', INVALID],
  ['insufficient_role', INSUFFICIENT],
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
  it.each(ANSWERS)('answers %s as the client has always seen it', (code, expected) => {
    expect(answerTo(new AuthError(code, 'why'))).toEqual(expected);
  });

  it('has an answer for every token rejection code, the same 401 invalid_token', () => {
    for (const code of TOKEN_REJECTION_CODES) {
      expect(answerTo(new TokenRejectedError('access', code, 'why'))).toEqual(INVALID);
      expect(answerTo(new TokenRejectedError('refresh', code, 'why'))).toEqual(INVALID);
    }
    expect(ANSWERS.map(([code]) => code)).toEqual(
      expect.arrayContaining([...TOKEN_REJECTION_CODES]),
    );
  });

  it('answers a revoked session as invalid_token, naming neither the reason nor the user', () => {
    const user: AuthUser = { id: 'u1', email: 'a@b.c', roles: ['user'], sessionId: 's1' };
    const answer = answerTo(new RevokedSessionError(user));

    expect(answer).toEqual(INVALID);
    expect(JSON.stringify(answer)).not.toMatch(/u1|a@b\.c|s1|revoked/);
  });

  it('gives a new exception on every call', () => {
    const error = new AuthError('token_missing', 'why');
    expect(toHttpException(error)).not.toBe(toHttpException(error));
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

    const exception = refusal(context, new AuthError('insufficient_role', 'why'), http);

    expect((exception as HttpException).getStatus()).toBe(403);
    expect(setHeader.mock.calls).toEqual([
      [response, 'WWW-Authenticate', 'Bearer error="insufficient_scope"'],
    ]);
  });

  it('sets nothing outside HTTP, or without an adapter', () => {
    const rpc = httpContext('rpc');
    refusal(rpc.context, new AuthError('token_missing', 'why'), rpc.http);
    expect(rpc.setHeader).not.toHaveBeenCalled();

    const bare = httpContext();
    const exception = refusal(bare.context, new AuthError('token_missing', 'why'), undefined);
    expect((exception as HttpException).getStatus()).toBe(401);
  });

  it('answers in a GraphQL resolver with extensions.code, and sets no header', () => {
    const graphql = httpContext('graphql');

    const forbidden = refusal(
      graphql.context,
      new AuthError('insufficient_role', 'why'),
      graphql.http,
    );
    const unauthenticated = refusal(
      graphql.context,
      new AuthError('token_expired', 'why'),
      graphql.http,
    );

    expect(forbidden).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(unauthenticated).toMatchObject({
      message: 'Invalid or expired token',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(forbidden).not.toHaveProperty('statusCode');
    expect(graphql.setHeader).not.toHaveBeenCalled();
  });
});
