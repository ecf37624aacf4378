import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/** An HTTP exception that asks for headers on its response (`WWW-Authenticate`, `Retry-After`). */
export interface WithResponseHeaders {
  readonly responseHeaders: Readonly<Record<string, string>>;
}

function hasResponseHeaders(error: HttpException): error is HttpException & WithResponseHeaders {
  const headers = (error as Partial<WithResponseHeaders>).responseHeaders;
  return typeof headers === 'object' && headers !== null;
}

/**
 * Puts the headers an auth exception asks for on its response, through the HTTP adapter (Express or Fastify), then
 * answers as Nest always does. Guards and services stay free of HTTP adapter details.
 */
@Catch(HttpException)
export class ResponseHeadersFilter extends BaseExceptionFilter {
  override catch(exception: HttpException, host: ArgumentsHost): void {
    if (hasResponseHeaders(exception) && host.getType() === 'http') {
      const adapter = this.httpAdapterHost?.httpAdapter ?? this.applicationRef;
      const response: unknown = host.switchToHttp().getResponse();
      for (const [name, value] of Object.entries(exception.responseHeaders)) {
        adapter?.setHeader(response, name, value);
      }
    }
    super.catch(exception, host);
  }
}
