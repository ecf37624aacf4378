import { HttpStatus } from '@nestjs/common';
import { defineGraphQLErrorCodes } from '../../contexts/graphql-refusal';
import { defineAuthErrorCodes } from '../../core/errors/auth-error';
import { defineHttpErrorAnswers } from '../../http/errors/to-http-exception';

/** The second factor's own codes, beside the core's `INVALID_MFA_CODE`, `MFA_REQUIRED` (docs/errors.md). */
export const MFA_ERRORS = defineAuthErrorCodes({
  MFA_ALREADY_ENABLED: {
    message: 'A second factor of this kind is enabled already',
    when: 'TOTP setup while TOTP is enabled: remove it first',
  },
  MFA_NOT_ENABLED: {
    message: 'No second factor of this kind is enabled',
    when: 'enabling TOTP without a pending setup, renewing recovery codes or removing TOTP without it',
  },
});

declare module '../../core/errors/auth-error' {
  interface RegisteredAuthErrorCodes {
    MFA_ALREADY_ENABLED: true;
    MFA_NOT_ENABLED: true;
  }
}

defineHttpErrorAnswers({
  MFA_ALREADY_ENABLED: { status: HttpStatus.CONFLICT },
  MFA_NOT_ENABLED: { status: HttpStatus.CONFLICT },
});
defineGraphQLErrorCodes({ MFA_ALREADY_ENABLED: 'CONFLICT', MFA_NOT_ENABLED: 'CONFLICT' });
