import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { ILL_FORMED_TEXT, isWellFormedText } from '../../core/validation/well-formed-text';

/**
 * class-validator rule: a string of well-formed Unicode (no lone surrogate, docs/sessions.md: Behaviour in detail, Passwords);
 * `IsString` with one more refusal, whose message names the field.
 */
export function IsText(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isText',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isWellFormedText(value),
        defaultMessage: ({ property, value }: ValidationArguments) =>
          typeof value === 'string'
            ? `${property} ${ILL_FORMED_TEXT}`
            : `${property} must be a string`,
      },
    });
}
