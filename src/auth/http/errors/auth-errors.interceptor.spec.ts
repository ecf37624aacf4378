import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  type HttpServer,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { lastValueFrom, throwError } from 'rxjs';
import { QueryFailedError } from 'typeorm';
import { AuthErrorsInterceptor } from './auth-errors.interceptor';
import { AuthError } from '../../core/errors/auth-error';
import { InvalidTokenException } from './bearer-challenge.exception';

/** An HTTP request context whose adapter records the headers set on the response. */
function httpContext(headers: Record<string, string>): {
  context: ExecutionContext;
  adapterHost: HttpAdapterHost;
} {
  const request = { method: 'POST', url: '/auth/login?next=%2Fsecret' };
  const adapter = {
    setHeader: (_response: unknown, name: string, value: string) => {
      headers[name] = value;
    },
    getRequestUrl: (req: typeof request) => req.url,
    getRequestMethod: (req: typeof request) => req.method,
  } as unknown as HttpServer;
  const context = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
  return { context, adapterHost: { httpAdapter: adapter } as HttpAdapterHost };
}

/** What the interceptor rethrows when the handler throws `error`. */
async function rethrown(error: unknown, headers: Record<string, string>): Promise<unknown> {
  const { context, adapterHost } = httpContext(headers);
  const handler: CallHandler = { handle: () => throwError(() => error) };
  return lastValueFrom(new AuthErrorsInterceptor(adapterHost).intercept(context, handler)).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
}

describe('AuthErrorsInterceptor', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('turns an unreachable database into a 503 with Retry-After, and logs one line without query or parameters', async () => {
    const headers: Record<string, string> = {};
    const driver = Object.assign(new Error('Connection terminated unexpectedly'), {});
    const error = new QueryFailedError(
      'SELECT * FROM "users" WHERE "email" = $1',
      ['a@b.c'],
      driver,
    );

    const thrown = await rethrown(error, headers);

    expect(thrown).toBeInstanceOf(HttpException);
    expect((thrown as HttpException).getResponse()).toEqual({
      statusCode: 503,
      message: 'The database is unavailable; try again shortly',
      error: 'Service Unavailable',
      code: 'DATABASE_UNAVAILABLE',
    });
    expect(headers).toEqual({ 'Retry-After': '5' });
    expect(warn.mock.calls).toEqual([
      [
        {
          msg: 'Database unavailable: answered 503',
          reason: 'Connection terminated unexpectedly',
          method: 'POST',
          path: '/auth/login',
        },
      ],
    ]);
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/SELECT|a@b\.c/);
  });

  it('rethrows an exception that asks for headers as it is, with its headers on the response', async () => {
    const headers: Record<string, string> = {};
    const error = new InvalidTokenException();

    expect(await rethrown(error, headers)).toBe(error);
    expect(headers['WWW-Authenticate']).toMatch(/^Bearer error="invalid_token"/);
  });

  it("turns the module's AuthError into its HTTP answer, with its headers on the response", async () => {
    const headers: Record<string, string> = {};

    const thrown = await rethrown(
      new AuthError('RATE_LIMITED', { retryAfterSeconds: 3, reason: 'failed logins' }),
      headers,
    );

    expect((thrown as HttpException).getStatus()).toBe(429);
    expect((thrown as HttpException).getResponse()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(headers).toEqual({ 'Retry-After': '3' });
  });

  it('leaves every other error untouched, for the host filters to answer', async () => {
    const headers: Record<string, string> = {};
    for (const error of [
      new UnauthorizedException(),
      new TypeError('bug'),
      new ServiceUnavailableException(),
    ]) {
      expect(await rethrown(error, headers)).toBe(error);
    }
    expect(headers).toEqual({});
    expect(warn).not.toHaveBeenCalled();
  });
});
