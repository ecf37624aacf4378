/** Whether `value` is a whole number above 0 (a lifetime, a limit). */
export function isPositiveInteger(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) > 0;
}

/** `value` without its keys set to `undefined`, so that spreading it over defaults keeps them. */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
