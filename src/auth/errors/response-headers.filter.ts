import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { setResponseHeaders } from './response-headers';

/**
 * Puts the headers an auth exception asks for on its response, through the HTTP adapter (Express or Fastify), then
 * answers as Nest always does. Bound to the module's own controllers only (`@AuthErrorFilters()`), for what their
 * handlers throw (AuthService's `invalid_token` and failed-login 429s); guards set their headers themselves.
 */
@Catch(HttpException)
export class ResponseHeadersFilter extends BaseExceptionFilter {
  override catch(exception: HttpException, host: ArgumentsHost): void {
    setResponseHeaders(host, exception, this.httpAdapterHost?.httpAdapter ?? this.applicationRef);
    super.catch(exception, host);
  }
}
