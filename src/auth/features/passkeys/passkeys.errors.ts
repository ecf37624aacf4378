import { HttpStatus } from '@nestjs/common';
import { defineGraphQLErrorCodes } from '../../contexts/graphql-refusal';
import { defineAuthErrorCodes } from '../../core/errors/auth-error';
import { defineHttpErrorAnswers } from '../../http/errors/to-http-exception';

/** The passkeys feature's codes (docs/errors.md). */
export const PASSKEY_ERRORS = defineAuthErrorCodes({
  PASSKEY_NOT_FOUND: {
    message: 'Passkey not found',
    when: "an id that is not one of the caller's passkeys (whoever owns it)",
  },
  PASSKEY_REGISTRATION_FAILED: {
    message: 'The passkey could not be registered',
    when: 'a registration response from an origin outside the configured ones, for another RP ID, for a spent, expired or unknown challenge, malformed, or of a passkey registered already',
  },
  PASSKEY_AUTHENTICATION_FAILED: {
    message: 'Passkey authentication failed',
    when: 'an assertion of an unknown credential, with a bad signature, for a spent, expired or unknown challenge, from a wrong origin or RP ID, or whose signature counter went backwards',
  },
});

declare module '../../core/errors/auth-error' {
  interface RegisteredAuthErrorCodes {
    PASSKEY_NOT_FOUND: true;
    PASSKEY_REGISTRATION_FAILED: true;
    PASSKEY_AUTHENTICATION_FAILED: true;
  }
}

defineHttpErrorAnswers({
  PASSKEY_NOT_FOUND: { status: HttpStatus.NOT_FOUND },
  PASSKEY_REGISTRATION_FAILED: { status: HttpStatus.BAD_REQUEST },
  PASSKEY_AUTHENTICATION_FAILED: { status: HttpStatus.UNAUTHORIZED },
});
defineGraphQLErrorCodes({
  PASSKEY_NOT_FOUND: 'NOT_FOUND',
  PASSKEY_REGISTRATION_FAILED: 'BAD_USER_INPUT',
  PASSKEY_AUTHENTICATION_FAILED: 'UNAUTHENTICATED',
});
