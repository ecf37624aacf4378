import { createParamDecorator, type ExecutionContext, type Type } from '@nestjs/common';
import { AuthInputPipe } from './auth-input.pipe';

interface RequestInputs {
  body?: unknown;
  query?: unknown;
}

/**
 * The raw request body or query, as the HTTP adapter parsed it. A custom parameter, not `@Body()` / `@Query()`:
 * a host's global `ValidationPipe` leaves custom parameters alone (unless `validateCustomDecorators`), so a host
 * pipe with other settings (say `whitelist` without `forbidNonWhitelisted`) cannot strip or transform the input
 * before the module's own pipe has judged it.
 */
const RawInput = createParamDecorator(
  (source: keyof RequestInputs, context: ExecutionContext): unknown =>
    context.switchToHttp().getRequest<RequestInputs>()[source],
);

/** The request body, validated against `dto` by the module's own rules ({@link AuthInputPipe}). */
export function ValidatedBody(dto: Type): ParameterDecorator {
  return RawInput('body', new AuthInputPipe(dto, 'body'));
}

/** The query string, validated against `dto` by the module's own rules ({@link AuthInputPipe}). */
export function ValidatedQuery(dto: Type): ParameterDecorator {
  return RawInput('query', new AuthInputPipe(dto, 'query'));
}

/**
 * The raw request body, for a handler that validates it against a DTO chosen at registration (the host's
 * `registrationProfile`) with its own {@link AuthInputPipe}.
 */
export function RawBody(): ParameterDecorator {
  return RawInput('body');
}
