import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { AuthError } from '../../core/errors/auth-error';
import { toHttpException } from '../errors/to-http-exception';

/** How many levels of objects and arrays a request body or query may nest: `{"a":[1]}` is 2. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Whether `value` nests objects and arrays more than `maxDepth` levels deep. Walks with a stack of its own, not by
 * recursion, so that no input, however deep, can overflow the call stack here; stops at the first level too deep.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (typeof current.value !== 'object' || current.value === null) continue;
    const depth = current.depth + 1;
    if (depth > maxDepth) return true;
    for (const child of Object.values(current.value)) pending.push({ value: child, depth });
  }
  return false;
}

/**
 * Refuses, with 400 `VALIDATION_FAILED` in Nest's error shape, a request body or query nested more than {@link MAX_INPUT_DEPTH} levels
 * deep, before anything walks it: validation and transformation recurse over their input, and a few kilobytes of
 * `[[[[...]]]]` would otherwise overflow the call stack and answer 500 (docs/sessions.md: Behaviour in detail, Abuse limits).
 * Other parameters pass untouched. The module's own routes check this themselves; a host may put this pipe in front
 * of its own global `ValidationPipe` (`app.useGlobalPipes(new InputDepthPipe(), new ValidationPipe(...))`).
 *
 * @throws the HTTP exception of `VALIDATION_FAILED`, `Request body is nested more than 32 levels deep` (or
 * `Query string is ...`): a pipe of a host's routes, where no interceptor of the module translates an AuthError.
 */
@Injectable()
export class InputDepthPipe implements PipeTransform {
  transform(value: unknown, metadata: Pick<ArgumentMetadata, 'type'>): unknown {
    if (metadata.type === 'body' || metadata.type === 'query') {
      try {
        assertInputDepth(value, metadata.type);
      } catch (error) {
        throw error instanceof AuthError ? toHttpException(error) : error;
      }
    }
    return value;
  }
}

/** Throws an AuthError `VALIDATION_FAILED` (the 400 of {@link InputDepthPipe}) when `value` nests too deep. */
export function assertInputDepth(value: unknown, source: 'body' | 'query'): void {
  if (nestsDeeperThan(value, MAX_INPUT_DEPTH)) {
    const what = source === 'body' ? 'Request body' : 'Query string';
    throw new AuthError('VALIDATION_FAILED', {
      message: `${what} is nested more than ${MAX_INPUT_DEPTH} levels deep`,
    });
  }
}
