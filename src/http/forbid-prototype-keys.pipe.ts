import {
  type ArgumentMetadata,
  BadRequestException,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses a body with a `__proto__`, `constructor` or `prototype` key at any depth. class-transformer skips these
 * keys silently, so the ValidationPipe's refusal of unknown fields would never see them; no auth request has a
 * reason to send them. A pipe, not a middleware: on Fastify, middleware runs before the body is parsed.
 */
@Injectable()
export class ForbidPrototypeKeysPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') return value;
    const key = findPrototypeKey(value);
    if (key !== undefined) throw new BadRequestException([`property ${key} should not exist`]);
    return value;
  }
}

function findPrototypeKey(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) return key;
    const nested = findPrototypeKey((value as Record<string, unknown>)[key]);
    if (nested !== undefined) return nested;
  }
  return undefined;
}
