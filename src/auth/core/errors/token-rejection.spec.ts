import { JsonWebTokenError, NotBeforeError, TokenExpiredError } from '@nestjs/jwt';
import { TokenRejectedError } from './auth-error';
import { signatureRejection, tokenRejection } from './token-rejection';

describe('signatureRejection', () => {
  it('passes a rejection through as it is', () => {
    const rejection = new TokenRejectedError(
      'access',
      'token_kid',
      'kid names no configured public key',
    );
    expect(signatureRejection('access', rejection)).toBe(rejection);
  });

  it.each([
    [new JsonWebTokenError('invalid signature'), 'token_signature'],
    [new TokenExpiredError('jwt expired', new Date(0)), 'token_expired'],
    [new NotBeforeError('jwt not active', new Date(0)), 'token_claims'],
  ])(
    "gives jsonwebtoken's %s the reason of its class, and keeps its fixed message",
    (error, reason) => {
      expect(signatureRejection('refresh', error)).toMatchObject({
        kind: 'refresh',
        reason,
        message: error.message,
      });
    },
  );

  it('reads the class, not the message: a wording the library may adopt tomorrow changes nothing', () => {
    // Each message once meant another reason when reasons were read from messages.
    expect(signatureRejection('access', new JsonWebTokenError('jwt expired')).reason).toBe(
      'token_signature',
    );
    expect(signatureRejection('access', new JsonWebTokenError('jwt malformed')).reason).toBe(
      'token_signature',
    );
    expect(
      signatureRejection('access', new TokenExpiredError('signature is fine', new Date(0))).reason,
    ).toBe('token_expired');
    expect(
      signatureRejection('access', new NotBeforeError('invalid signature', new Date(0))).reason,
    ).toBe('token_claims');
  });

  it('counts any other error of the signature check as a bad signature, named by its class only', () => {
    const error = new TypeError('"ES256" signatures must be "64" bytes, saw "eyJhbGciOi"');

    expect(signatureRejection('access', error)).toMatchObject({
      reason: 'token_signature',
      message: 'TypeError',
    });
  });
});

describe('tokenRejection', () => {
  it('passes a rejection through as it is', () => {
    const rejection = new TokenRejectedError('refresh', 'token_expired', 'exp is past');
    expect(tokenRejection('refresh', rejection)).toBe(rejection);
  });

  it('names any other error by its class only: its message may quote the token', () => {
    const error = new SyntaxError('Unexpected token } in JSON at position 3: {"sub":"eyJhbGciOi"}');

    expect(tokenRejection('access', error)).toMatchObject({
      kind: 'access',
      reason: 'token_invalid',
      message: 'SyntaxError',
    });
    expect(tokenRejection('access', 'eyJhbGciOi')).toMatchObject({
      reason: 'token_invalid',
      message: 'string',
    });
  });
});
