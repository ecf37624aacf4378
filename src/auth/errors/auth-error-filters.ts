import { UseFilters } from '@nestjs/common';
import { DatabaseUnavailableFilter } from './database-unavailable.filter';
import { ResponseHeadersFilter } from './response-headers.filter';

/**
 * The module's exception filters, for its own controllers only: `WWW-Authenticate` and `Retry-After` on what their
 * handlers throw, and 503 with `Retry-After` while the module's database cannot be reached (README: Outages). Never
 * installed globally, so a host's own routes keep their own errors (README: Use it in your Nest app, Errors).
 * Disjoint (a database outage is never an `HttpException`), so their order does not matter.
 */
export function AuthErrorFilters(): ClassDecorator & MethodDecorator {
  return UseFilters(ResponseHeadersFilter, DatabaseUnavailableFilter);
}
