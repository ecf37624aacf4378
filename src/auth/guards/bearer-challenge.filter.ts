import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { type BearerChallenge, hasBearerChallenge } from './bearer-challenge.exception';

/**
 * Adds `WWW-Authenticate` to the responses of auth failures, through the HTTP adapter (Express or Fastify),
 * then answers as Nest always does.
 */
@Catch(HttpException)
export class BearerChallengeFilter extends BaseExceptionFilter {
  override catch(exception: HttpException, host: ArgumentsHost): void {
    if (hasBearerChallenge(exception) && host.getType() === 'http') {
      const adapter = this.httpAdapterHost?.httpAdapter ?? this.applicationRef;
      adapter?.setHeader(
        host.switchToHttp().getResponse(),
        'WWW-Authenticate',
        (exception as BearerChallenge).challenge,
      );
    }
    super.catch(exception, host);
  }
}
