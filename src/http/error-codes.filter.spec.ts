import {
  type ArgumentsHost,
  BadRequestException,
  type HttpServer,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { AuthError } from '../auth';
import { toHttpException } from '../auth/errors';
import { ErrorCodesFilter } from './error-codes.filter';

/** What the filter answers to `exception` in a context of `type`: the status and body it replies with. */
function answerTo(exception: unknown, type = 'http') {
  const replies: { body: unknown; status: number }[] = [];
  const adapter = {
    isHeadersSent: () => false,
    reply: (_response: unknown, body: unknown, status: number) => replies.push({ body, status }),
  } as unknown as HttpServer;
  const host = {
    getType: () => type,
    getArgByIndex: (index: number) => [{}, {}][index],
  } as unknown as ArgumentsHost;
  const returned = new ErrorCodesFilter(adapter).catch(exception, host);
  return { replies, returned };
}

describe('ErrorCodesFilter', () => {
  let error: jest.SpyInstance;
  beforeEach(() => {
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => error.mockRestore());

  it('answers a server fault 500 INTERNAL_ERROR naming nothing of it, and logs it', () => {
    const fault = new TypeError("Cannot read properties of undefined (reading 'secret')");

    expect(answerTo(fault).replies).toEqual([
      {
        status: 500,
        body: {
          statusCode: 500,
          message: 'Internal server error',
          error: 'Internal Server Error',
          code: 'INTERNAL_ERROR',
        },
      },
    ]);
    expect(error).toHaveBeenCalledWith(fault);
  });

  it('adds the code of its status to an HTTP exception without one, its body otherwise unchanged', () => {
    expect(answerTo(new NotFoundException('Cannot GET /nowhere')).replies).toEqual([
      {
        status: 404,
        body: {
          statusCode: 404,
          message: 'Cannot GET /nowhere',
          error: 'Not Found',
          code: 'NOT_FOUND',
        },
      },
    ]);
    expect(answerTo(new BadRequestException(['name must be a string'])).replies).toEqual([
      {
        status: 400,
        body: {
          statusCode: 400,
          message: ['name must be a string'],
          error: 'Bad Request',
          code: 'VALIDATION_FAILED',
        },
      },
    ]);
    expect(error).not.toHaveBeenCalled();
  });

  it("keeps the auth module's code", () => {
    const { replies } = answerTo(toHttpException(new AuthError('TOKEN_EXPIRED')));
    expect(replies).toEqual([
      {
        status: 401,
        body: expect.objectContaining({ code: 'TOKEN_EXPIRED' }),
      },
    ]);
  });

  it("answers a library's client error in Nest's shape with its status text, unlogged", () => {
    const parserError = Object.assign(new Error('unexpected end of zlib stream'), { status: 400 });
    expect(answerTo(parserError).replies).toEqual([
      {
        status: 400,
        body: {
          statusCode: 400,
          message: 'Bad Request',
          error: 'Bad Request',
          code: 'VALIDATION_FAILED',
        },
      },
    ]);
    expect(error).not.toHaveBeenCalled();
  });

  it('hands a GraphQL error back to GraphQL untouched', () => {
    const refusal = new Error('refused');
    expect(answerTo(refusal, 'graphql')).toEqual({ replies: [], returned: refusal });
  });
});
