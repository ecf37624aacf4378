import { BadRequestException, type PipeTransform, type Type, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { AuthError } from '../../core/errors/auth-error';
import { assertInputDepth } from './nesting-depth';
import { findPrototypeKey } from '../../core/validation/prototype-keys';

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
 * refused naming the field, all as an AuthError `VALIDATION_FAILED` (at most {@link MAX_VALIDATION_MESSAGES}
 * messages), which the module's interceptor answers with 400; the result is an instance of the DTO.
 */
export class AuthInputPipe implements PipeTransform {
  private readonly validation = new RequiredFieldsValidationPipe({
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
    if (key !== undefined) {
      throw new AuthError('VALIDATION_FAILED', { message: [`property ${key} should not exist`] });
    }
    try {
      return await this.validation.transform(value, { type: this.source, metatype: this.dto });
    } catch (error) {
      throw validationFailed(error);
    }
  }
}

/**
 * Nest's ValidationPipe, with one message for a field left out: `<field> is required` (`parent.field` when nested),
 * instead of every rule of the field failing on `undefined` ("must be a string", "must be shorter than…"); and each
 * message once, since two rules may say the same ("must be a string").
 */
class RequiredFieldsValidationPipe extends ValidationPipe {
  protected override flattenValidationErrors(errors: ValidationError[]): string[] {
    return [...new Set(super.flattenValidationErrors(errors.map(requiredWhenMissing)))];
  }
}

/** `error` with the constraints of a missing field replaced by the one that says so, at any depth. */
function requiredWhenMissing(error: ValidationError): ValidationError {
  const missing = error.value === undefined && error.constraints !== undefined;
  return Object.assign(Object.create(Object.getPrototypeOf(error) as object) as ValidationError, {
    ...error,
    constraints: missing ? { isRequired: `${error.property} is required` } : error.constraints,
    children: error.children?.map(requiredWhenMissing),
  });
}

/**
 * The 400 of Nest's ValidationPipe as `VALIDATION_FAILED`, its list of messages cut to
 * {@link MAX_VALIDATION_MESSAGES}; any other error as it is.
 */
function validationFailed(error: unknown): unknown {
  if (!(error instanceof BadRequestException)) return error;
  const body = error.getResponse();
  const given = typeof body === 'object' ? (body as { message?: unknown }).message : body;
  const messages = (Array.isArray(given) ? given : [given]).map(String);
  if (messages.length <= MAX_VALIDATION_MESSAGES) {
    return new AuthError('VALIDATION_FAILED', { message: messages });
  }
  const kept = messages.slice(0, MAX_VALIDATION_MESSAGES - 1);
  return new AuthError('VALIDATION_FAILED', {
    message: [...kept, `and ${messages.length - kept.length} more problems`],
  });
}
