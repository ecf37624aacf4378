import type { NextFunction, Request, Response } from 'express';

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses a JSON body with a `__proto__`, `constructor` or `prototype` key at any depth. class-transformer skips
 * these keys silently, so the ValidationPipe's refusal of unknown fields would never see them; and no auth request
 * has a reason to send them.
 */
export function forbidPrototypeKeys(
  request: Request,
  response: Response,
  next: NextFunction,
): void {
  const key = findPrototypeKey(request.body as unknown);
  if (key === undefined) {
    next();
    return;
  }
  response
    .status(400)
    .json({ statusCode: 400, message: [`property ${key} should not exist`], error: 'Bad Request' });
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
