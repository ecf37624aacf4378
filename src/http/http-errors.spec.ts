import { BadRequestException } from '@nestjs/common';
import { ForeignClientError } from './error-codes.filter';
import { unreadableBody } from './http-errors';

describe('unreadableBody', () => {
  it.each([
    [{}],
    [{ 'content-type': 'application/json' }],
    [{ 'content-type': 'application/json; charset=utf-8' }],
    [{ 'content-type': 'application/json; charset="UTF8"' }],
    [{ 'content-type': 'application/json', 'content-encoding': 'identity' }],
    [{ 'content-type': 'application/json', 'content-length': '12' }],
    [{ 'content-type': 'Application/JSON ; charset=utf-8', 'transfer-encoding': 'chunked' }],
    // No body: nothing to read, whatever it is said to be.
    [{ 'content-type': 'text/plain', 'content-length': '0' }],
    [{ 'content-length': '0' }],
  ])('lets %j through', (headers) => {
    expect(unreadableBody(headers)).toBeUndefined();
  });

  it.each(['gzip', 'deflate', 'br', 'x-made-up', 'gzip, identity'])(
    'refuses Content-Encoding %s with 415',
    (encoding) => {
      expect(unreadableBody({ 'content-encoding': encoding })).toEqual({
        statusCode: 415,
        message: 'Unsupported content encoding: send the body uncompressed',
        error: 'Unsupported Media Type',
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
    },
  );

  it.each([
    [{ 'content-length': '5' }],
    [{ 'content-type': 'text/plain', 'content-length': '5' }],
    [{ 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' }],
    [{ 'content-type': 'application/vnd.api+json', 'content-length': '2' }],
    [{ 'content-type': 'application/jsonx', 'content-length': '2' }],
  ])('refuses a body that is not declared application/json with 415: %j', (headers) => {
    expect(unreadableBody(headers)).toEqual({
      statusCode: 415,
      message: 'Unsupported Media Type: send JSON (Content-Type: application/json)',
      error: 'Unsupported Media Type',
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  });

  it.each(['utf-16', 'utf-16le', 'iso-8859-1', 'latin1'])(
    'refuses charset=%s with 415',
    (charset) => {
      expect(
        unreadableBody({ 'content-type': `application/json; charset=${charset}` }),
      ).toMatchObject({
        statusCode: 415,
        message: 'Unsupported charset: JSON bodies must be UTF-8',
      });
    },
  );
});

describe('ForeignClientError', () => {
  it('matches a 4xx error that is not a Nest HttpException (body-parser, Fastify)', () => {
    expect(Object.assign(new Error('incorrect header check'), { status: 400 })).toBeInstanceOf(
      ForeignClientError,
    );
    expect(
      Object.assign(new Error('bad url'), { statusCode: 400, code: 'FST_ERR_BAD_URL' }),
    ).toBeInstanceOf(ForeignClientError);
  });

  it('leaves Nest HttpExceptions, server faults and plain errors to the other filters', () => {
    expect(new BadRequestException('x')).not.toBeInstanceOf(ForeignClientError);
    expect(Object.assign(new Error('EACCES'), { status: 500 })).not.toBeInstanceOf(
      ForeignClientError,
    );
    expect(new Error('boom')).not.toBeInstanceOf(ForeignClientError);
  });
});
