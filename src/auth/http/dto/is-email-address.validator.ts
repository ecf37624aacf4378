import {
  isEmail,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { emailCharacterProblem } from '../../core/users/email-address';
import { ILL_FORMED_TEXT, isWellFormedText } from '../../core/validation/well-formed-text';

/**
 * class-validator rule: an email address, given as well-formed Unicode text, with no space, control or invisible
 * character in it (docs/sessions.md: Behaviour in detail, Addresses). One rule with one message, not
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
        validate: (value: unknown) => problemOf(value) === undefined,
        defaultMessage: ({ property, value }: ValidationArguments) =>
          `${property} ${problemOf(value)}`,
      },
    });
}

function problemOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (!isWellFormedText(value)) return ILL_FORMED_TEXT;
  const characters = emailCharacterProblem(value);
  if (characters !== undefined) return characters;
  return isEmail(value) ? undefined : 'must be an email address';
}
