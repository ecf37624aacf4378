const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first `__proto__`, `constructor` or `prototype` key of `value`, at any depth, or undefined. class-transformer
 * skips these keys silently, so a refusal of unknown fields would never see them; no auth request has a reason to
 * send them.
 */
export function findPrototypeKey(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) return key;
    const nested = findPrototypeKey((value as Record<string, unknown>)[key]);
    if (nested !== undefined) return nested;
  }
  return undefined;
}
