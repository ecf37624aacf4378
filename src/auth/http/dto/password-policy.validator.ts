import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { passwordPolicyViolation } from '../../core/passwords/password-policy';

/** class-validator rule for the password policy (docs/sessions.md: Behaviour in detail, Passwords); the message says which part was broken. */
export function IsAcceptablePassword(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isAcceptablePassword',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && passwordPolicyViolation(value) === undefined,
        defaultMessage: ({ property, value }: ValidationArguments) =>
          typeof value === 'string'
            ? `${property} ${passwordPolicyViolation(value)}`
            : `${property} must be a string`,
      },
    });
}
