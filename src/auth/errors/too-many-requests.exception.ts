import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * 429 in Nest's error shape, `{ statusCode: 429, message, error: "Too Many Requests" }`: what every limit of the
 * module answers, instead of @nestjs/throttler's own body, which names its exception class and has no `error`.
 * `Retry-After` is set by whoever throws it.
 */
export class TooManyRequestsException extends HttpException {
  constructor(message: string) {
    super(
      HttpException.createBody(message, 'Too Many Requests', HttpStatus.TOO_MANY_REQUESTS),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
