import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuthError,
  CORE_AUTH_ERROR_CODES,
  type CoreAuthErrorCode,
  type AuthErrorCode,
  authErrorCodes,
  authErrorDefinition,
  defineAuthErrorCodes,
} from '../../core/errors/auth-error';
import {
  defineGraphQLErrorCodes,
  graphqlRefusalCode,
  toGraphQLRefusal,
} from '../../contexts/graphql-refusal';
import { toSocketAck } from '../../contexts/socket-refusal';
import { defineHttpErrorAnswers, httpErrorAnswer, toHttpException } from './to-http-exception';

// How a feature tells the type checker about its codes (see defineAuthErrorCodes).
declare module '../../core/errors/auth-error' {
  interface RegisteredAuthErrorCodes {
    SPEC_FEATURE_LOCKED: true;
  }
}

/** The faces of `code` that have no answer for it. */
function facesLacking(code: AuthErrorCode): string[] {
  const lacking: string[] = [];
  if (httpErrorAnswer(code) === undefined) lacking.push('HTTP');
  if (graphqlRefusalCode(code) === undefined) lacking.push('GraphQL');
  return lacking;
}

/** The codes CONTRACT.md §4 fixes: renaming one breaks every client. */
const CONTRACT_CODES = [
  'TOKEN_EXPIRED',
  'TOKEN_REVOKED',
  'REFRESH_TOKEN_REUSED',
  'RATE_LIMITED',
  'VALIDATION_FAILED',
  'ACCOUNT_DISABLED',
  'EMAIL_NOT_VERIFIED',
  'EMAIL_TAKEN',
  'INVALID_CREDENTIALS',
  'INVALID_MFA_CODE',
  'MFA_REQUIRED',
  'INSUFFICIENT_USER_AUTHENTICATION',
];

describe('the faces of the error codes', () => {
  it('has every code the contract fixes', () => {
    expect(authErrorCodes()).toEqual(expect.arrayContaining(CONTRACT_CODES));
  });

  it('answers every registered code on every face, each code UPPER_SNAKE with a message', () => {
    const codes = authErrorCodes();
    expect(codes.length).toBeGreaterThan(CONTRACT_CODES.length);
    for (const code of codes) {
      expect({ code, lacking: facesLacking(code) }).toEqual({ code, lacking: [] });
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      const error = new AuthError(code);
      const http = toHttpException(error);
      expect(http.getStatus()).toBeGreaterThanOrEqual(400);
      expect(http.getResponse()).toMatchObject({
        code,
        message: authErrorDefinition(code).message,
      });
      // GraphQL and sockets: never a status, the same code and message.
      expect(toGraphQLRefusal(error)).toMatchObject({
        message: authErrorDefinition(code).message,
        extensions: { authCode: code },
      });
      expect(toGraphQLRefusal(error)).not.toHaveProperty('statusCode');
      expect(toSocketAck(error)).toEqual({
        error: { code, message: authErrorDefinition(code).message },
      });
    }
  });

  it('lists every code of the core in docs/errors.md, with its HTTP status and GraphQL code', () => {
    const docs = readFileSync(join(__dirname, '../../../../docs/errors.md'), 'utf8');
    for (const code of Object.keys(CORE_AUTH_ERROR_CODES) as CoreAuthErrorCode[]) {
      // Cells as a Markdown formatter may pad them: split on the pipes, trim each.
      const cells = docs
        .split('\n')
        .map((line) => line.split('|').map((cell) => cell.trim()))
        .find((row) => row[1] === `\`${code}\``);
      expect({ code, row: cells }).toEqual({ code, row: expect.any(Array) });
      const [, , status, graphql] = cells!;
      expect(status).toMatch(new RegExp(`^${httpErrorAnswer(code)!.status}\\b`));
      expect(graphql).toBe(`\`${graphqlRefusalCode(code)}\``);
    }
  });

  it("counts a feature's registered code, and tells which face lacks an answer for it", () => {
    const codes = defineAuthErrorCodes({
      SPEC_FEATURE_LOCKED: { message: 'Locked for now', when: 'a spec feature locks' },
    });
    expect(codes).toEqual({ SPEC_FEATURE_LOCKED: 'SPEC_FEATURE_LOCKED' });
    expect(authErrorCodes()).toContain('SPEC_FEATURE_LOCKED');
    expect(facesLacking('SPEC_FEATURE_LOCKED')).toEqual(['HTTP', 'GraphQL']);
    expect(() => toHttpException(new AuthError('SPEC_FEATURE_LOCKED'))).toThrow(/no HTTP answer/);

    defineHttpErrorAnswers({ SPEC_FEATURE_LOCKED: { status: 423 } });
    defineGraphQLErrorCodes({ SPEC_FEATURE_LOCKED: 'FORBIDDEN' });

    expect(facesLacking('SPEC_FEATURE_LOCKED')).toEqual([]);
    expect(toHttpException(new AuthError('SPEC_FEATURE_LOCKED')).getResponse()).toEqual({
      statusCode: 423,
      message: 'Locked for now',
      error: 'Locked',
      code: 'SPEC_FEATURE_LOCKED',
    });
    expect(toGraphQLRefusal(new AuthError('SPEC_FEATURE_LOCKED')).extensions).toEqual({
      code: 'FORBIDDEN',
      authCode: 'SPEC_FEATURE_LOCKED',
    });
  });

  it("refuses a code that is not UPPER_SNAKE, and a feature's redefinition of a core code", () => {
    expect(() => defineAuthErrorCodes({ otpLocked: { message: 'x', when: 'y' } })).toThrow(
      /UPPER_SNAKE/,
    );
    expect(() => defineAuthErrorCodes({ TOKEN_EXPIRED: { message: 'x', when: 'y' } })).toThrow(
      /registered already/,
    );
    expect(() =>
      defineHttpErrorAnswers({ ['NOT_A_CODE' as AuthErrorCode]: { status: 400 } }),
    ).toThrow(/not registered/);
    expect(() => defineHttpErrorAnswers({ TOKEN_EXPIRED: { status: 400 } })).toThrow(
      /has an HTTP answer already/,
    );
  });
});
