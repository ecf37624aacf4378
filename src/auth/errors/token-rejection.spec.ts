import { JsonWebTokenError, NotBeforeError, TokenExpiredError } from 'jsonwebtoken';
import { TokenRejectedError } from './auth-error';
import { tokenRejection } from './token-rejection';

describe('tokenRejection', () => {
  it('passes a rejection through as it is', () => {
    const rejection = new TokenRejectedError(
      'access',
      'token_kid',
      'kid names no configured public key',
    );
    expect(tokenRejection('access', rejection)).toBe(rejection);
  });

  it.each([
    [new JsonWebTokenError('invalid signature'), 'token_signature'],
    [new JsonWebTokenError('jwt signature is required'), 'token_signature'],
    [new JsonWebTokenError('invalid algorithm'), 'token_algorithm'],
    [new TokenExpiredError('jwt expired', new Date(0)), 'token_expired'],
    [new NotBeforeError('jwt not active', new Date(0)), 'token_claims'],
    [new JsonWebTokenError('invalid exp value'), 'token_claims'],
    [new JsonWebTokenError('jwt audience invalid. expected: nest-auth'), 'token_claims'],
    [new JsonWebTokenError('jwt issuer invalid. expected: nest-auth'), 'token_claims'],
    [new JsonWebTokenError('jwt malformed'), 'token_malformed'],
    [new JsonWebTokenError('invalid token'), 'token_malformed'],
  ])("gives jsonwebtoken's %s its code, and keeps its fixed message", (error, code) => {
    const rejection = tokenRejection('refresh', error);

    expect(rejection).toBeInstanceOf(TokenRejectedError);
    expect(rejection).toMatchObject({ kind: 'refresh', reason: code, message: error.message });
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
