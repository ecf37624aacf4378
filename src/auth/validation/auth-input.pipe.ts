import { BadRequestException, type PipeTransform, type Type, ValidationPipe } from '@nestjs/common';
import { findPrototypeKey } from './prototype-keys';

/** Where a request input comes from; as Nest's `ArgumentMetadata.type` names it. */
export type InputSource = 'body' | 'query';

/**
 * Validates one request input against a DTO by the module's own rules, whatever pipes the host has (or has not)
 * set up: a `__proto__`, `constructor` or `prototype` key is refused, unknown fields are refused, wrong types are
 * refused naming the field, all with 400 in Nest's error shape; the result is an instance of the DTO.
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

  transform(value: unknown): Promise<unknown> {
    const key = findPrototypeKey(value);
    if (key !== undefined) throw new BadRequestException([`property ${key} should not exist`]);
    return this.validation.transform(value, { type: this.source, metatype: this.dto });
  }
}
