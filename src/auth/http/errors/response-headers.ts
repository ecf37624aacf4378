import type { ArgumentsHost, HttpServer } from '@nestjs/common';

/** An HTTP exception that asks for headers on its response (`WWW-Authenticate`, `Retry-After`). */
export interface WithResponseHeaders {
  readonly responseHeaders: Readonly<Record<string, string>>;
}

/** Whether `error` asks for headers on its response. */
export function hasResponseHeaders(error: unknown): error is WithResponseHeaders {
  const headers = (error as Partial<WithResponseHeaders> | null | undefined)?.responseHeaders;
  return typeof headers === 'object' && headers !== null;
}

/**
 * Puts the headers `error` asks for (none if it asks for none) on the HTTP response of `host`, through the HTTP
 * adapter, so Express and Fastify alike. Nothing without an adapter or outside HTTP (a test's bare guard, RPC).
 */
export function setResponseHeaders(
  host: ArgumentsHost,
  error: unknown,
  adapter: HttpServer | undefined,
): void {
  if (!hasResponseHeaders(error) || host.getType() !== 'http' || adapter === undefined) return;
  const response: unknown = host.switchToHttp().getResponse();
  for (const [name, value] of Object.entries(error.responseHeaders)) {
    adapter.setHeader(response, name, value);
  }
}
