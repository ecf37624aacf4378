import { BadRequestException, type PipeTransform, type Type, ValidationPipe } from '@nestjs/common';
import { assertInputDepth } from './nesting-depth';
import { findPrototypeKey } from './prototype-keys';

/**
 * At most this many messages in a 400: a body of 1,700 unknown fields must not answer 56 KB of them. The last one
 * then says how many more there were.
 */
export const MAX_VALIDATION_MESSAGES = 20;

/** Where a request input comes from; as Nest's `ArgumentMetadata.type` names it. */
export type InputSource = 'body' | 'query';

/**
 * Validates one request input against a DTO by the module's own rules, whatever pipes the host has (or has not)
 * set up: input nested too deep is refused (see `InputDepthPipe`), a `__proto__`, `constructor` or `prototype` key is refused, unknown fields are refused, wrong types are
 * refused naming the field, all with 400 in Nest's error shape (at most {@link MAX_VALIDATION_MESSAGES} messages);
 * the result is an instance of the DTO.
 */
export class AuthInputPipe implements PipeTransform {
  private readonly validation = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
  });

  constructor(
    private readonly dto: Type,
    private readonly source: InputSource,
  ) {}

  async transform(value: unknown): Promise<unknown> {
    // First: everything after this walks the input recursively.
    assertInputDepth(value, this.source);
    const key = findPrototypeKey(value);
    if (key !== undefined) throw new BadRequestException([`property ${key} should not exist`]);
    try {
      return await this.validation.transform(value, { type: this.source, metatype: this.dto });
    } catch (error) {
      throw withCappedMessages(error);
    }
  }
}

/** `error`, or the same 400 with its list of messages cut to {@link MAX_VALIDATION_MESSAGES}. */
function withCappedMessages(error: unknown): unknown {
  if (!(error instanceof BadRequestException)) return error;
  const body = error.getResponse();
  const messages = typeof body === 'object' ? (body as { message?: unknown }).message : undefined;
  if (!Array.isArray(messages) || messages.length <= MAX_VALIDATION_MESSAGES) return error;
  const kept: unknown[] = messages.slice(0, MAX_VALIDATION_MESSAGES - 1);
  return new BadRequestException([...kept, `and ${messages.length - kept.length} more problems`]);
}
