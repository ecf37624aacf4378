import {
  isEmail,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { ILL_FORMED_TEXT, isWellFormedText } from '../validation/well-formed-text';

/**
 * class-validator rule: an email address, given as well-formed Unicode text. One rule with one message, not
 * `IsText` beside `IsEmail`: class-validator runs every rule of a field, and validator.js's `isEmail` throws a
 * `URIError` (a 500) on a lone surrogate, so it must never see one.
 */
export function IsEmailAddress(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isEmailAddress',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && isWellFormedText(value) && isEmail(value),
        defaultMessage: ({ property, value }: ValidationArguments) => {
          if (typeof value !== 'string') return `${property} must be a string`;
          if (!isWellFormedText(value)) return `${property} ${ILL_FORMED_TEXT}`;
          return `${property} must be an email address`;
        },
      },
    });
}
