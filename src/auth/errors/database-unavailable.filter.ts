import {
  type ArgumentsHost,
  Catch,
  HttpStatus,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { LogLine } from '../logging/log-line';
import { DatabaseUnavailable, unavailabilityReason } from './database-unavailable';

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable; try again shortly';
/** Seconds a client is asked to wait before trying again: about how long a database restart or failover takes. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Answers 503 with `Retry-After` to a request that failed because the database cannot be reached (see
 * `isDatabaseUnavailable`), instead of a 500 with a stack trace in the log: the outage is the server's, transient,
 * and a client may simply try again. Logs one warning line per request. Every other error is left to the other
 * filters and to Nest's default handling. Through the HTTP adapter: Express and Fastify alike. Bound to the
 * module's own controllers only (`@AuthErrorFilters()`): a host's route that fails on a connection of its own is
 * the host's to answer.
 */
@Catch(DatabaseUnavailable)
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger(DatabaseUnavailableFilter.name);

  override catch(exception: unknown, host: ArgumentsHost): void {
    const answer = new ServiceUnavailableException({
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      message: DATABASE_UNAVAILABLE_MESSAGE,
      error: 'Service Unavailable',
    });
    const adapter = this.httpAdapterHost?.httpAdapter ?? this.applicationRef;
    if (host.getType() === 'http' && adapter) {
      const http = host.switchToHttp();
      const request: unknown = http.getRequest();
      adapter.setHeader(http.getResponse(), 'Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      const url = String(adapter.getRequestUrl?.(request) ?? '');
      this.logger.warn(
        new LogLine('Database unavailable: answered 503', {
          reason: unavailabilityReason(exception),
          method: String(adapter.getRequestMethod?.(request) ?? ''),
          // The path only: a query string is the client's to keep out of logs.
          path: url.split('?')[0],
        }),
      );
    } else {
      this.logger.warn(
        new LogLine('Database unavailable', { reason: unavailabilityReason(exception) }),
      );
    }
    super.catch(answer, host);
  }
}
