import { JsonWebTokenError, JwtService } from '@nestjs/jwt';
import { createHmac, createPrivateKey } from 'node:crypto';
import { base64url, forgeJwt, signJwtWith } from '../../../../test/support/jwt-forge';
import { pemKeyPair } from '../../../../test/key-pairs';
import { ManualClock } from '../clock/manual-clock';
import type { TokenRejectionReason } from '../errors/auth-error';
import { loadAccessKeys } from './access-keys';
import { hmacKey } from './token-keys';
import type { TokenSettings } from './token-settings';
import { TokenService } from './token.service';
import { TOKEN_TYPES, type TokenKind } from '../model/token.types';

/**
 * One test per reason a token is refused for: each comes from a check of the module's own or from the class of the
 * library's error, never from the wording of a message.
 */

const ACCESS_SECRET = 'unit-access-secret-0123456789abcdefghij';
const REFRESH_SECRET = 'unit-refresh-secret-0123456789abcdefghij';
const NOW = 1_800_000_000;
const NAMES = {
  issuer: 'nest-auth',
  audience: 'nest-auth',
  accessLifetime: 900,
  refreshLifetime: 3600,
};

const hs256: TokenSettings = {
  access: { algorithm: 'HS256', key: hmacKey(ACCESS_SECRET) },
  refreshKey: hmacKey(REFRESH_SECRET),
  ...NAMES,
};

function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: 'nest-auth',
    aud: 'nest-auth',
    sub: 'user-1',
    sid: 'session-1',
    jti: 'jti-1',
    iat: NOW,
    exp: NOW + 900,
    email: 'ada@example.com',
    roles: ['user'],
    ...overrides,
  };
}

function signed(
  overrides: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  secret = ACCESS_SECRET,
): string {
  return forgeJwt({ alg: 'HS256', typ: TOKEN_TYPES.access, ...header }, payload(overrides), secret);
}

function reasonOf(
  tokens: TokenService,
  token: string,
  kind: TokenKind = 'access',
): TokenRejectionReason {
  try {
    if (kind === 'access') tokens.verify('access', token);
    else tokens.verify('refresh', token);
  } catch (error) {
    return (error as { reason: TokenRejectionReason }).reason;
  }
  throw new Error('the token was accepted');
}

describe('TokenService: why a token is refused', () => {
  const tokens = new TokenService(hs256, new ManualClock(NOW * 1000), new JwtService());

  it('accepts the baseline token every case below changes one thing of', () => {
    expect(tokens.verify('access', signed()).sub).toBe('user-1');
  });

  it.each<[string, () => string, TokenRejectionReason]>([
    ['not three base64url segments', () => 'not.a.jwt!', 'token_malformed'],
    [
      'a header that is no JSON object',
      () => `${base64url('[1]')}.${base64url('{}')}.c2ln`,
      'token_malformed',
    ],
    ['a crit header, correctly signed', () => signed({}, { crit: ['exp'] }), 'token_malformed'],
    ['the typ of refresh tokens', () => signed({}, { typ: TOKEN_TYPES.refresh }), 'token_type'],
    ['no typ', () => signed({}, { typ: undefined }), 'token_type'],
    [
      'alg none',
      () => forgeJwt({ alg: 'none', typ: TOKEN_TYPES.access }, payload()) + 'x',
      'token_algorithm',
    ],
    ['alg HS512', () => signed({}, { alg: 'HS512' }), 'token_algorithm'],
    [
      'another secret',
      () => signed({}, {}, 'another-secret-0123456789abcdefghijklmn'),
      'token_signature',
    ],
    ['the refresh secret', () => signed({}, {}, REFRESH_SECRET), 'token_signature'],
    ['a signature cut short', () => signed().slice(0, -4), 'token_signature'],
    ['exp reached', () => signed({ exp: NOW }), 'token_expired'],
    ['another issuer', () => signed({ iss: 'evil' }), 'token_claims'],
    ['another audience', () => signed({ aud: ['a', 'b'] }), 'token_claims'],
    ['no sid', () => signed({ sid: undefined }), 'token_claims'],
    ['exp as a string', () => signed({ exp: String(NOW + 900) }), 'token_claims'],
    ['iat 31 s ahead', () => signed({ iat: NOW + 31 }), 'token_claims'],
    ['nbf 31 s ahead', () => signed({ nbf: NOW + 31 }), 'token_claims'],
  ])('%s: %s', (_case, token, code) => {
    expect(reasonOf(tokens, token())).toBe(code);
  });

  it('refuses a correctly signed payload that repeats a key as malformed', () => {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: TOKEN_TYPES.access }));
    const json = JSON.stringify(payload()).replace(
      '"sub":"user-1"',
      '"sub":"user-1","sub":"admin"',
    );
    const input = `${header}.${base64url(json)}`;
    const token = `${input}.${createHmac('sha256', ACCESS_SECRET).update(input).digest('base64url')}`;

    expect(reasonOf(tokens, token)).toBe('token_malformed');
  });

  it('refuses an access token where a refresh token is expected by its typ, before any signature', () => {
    expect(reasonOf(tokens, signed(), 'refresh')).toBe('token_type');
  });

  it("takes the reason from the library error's class, whatever its message says", () => {
    // A JwtService whose jsonwebtoken words its errors otherwise (or throws one the module never expected).
    class RewordedJwt extends JwtService {
      constructor(private readonly error: Error) {
        super();
      }
      override verify<T extends object>(): T {
        throw this.error;
      }
    }
    const reworded = (error: Error) =>
      new TokenService(hs256, new ManualClock(NOW * 1000), new RewordedJwt(error));

    expect(reasonOf(reworded(new JsonWebTokenError('jwt expired')), signed())).toBe(
      'token_signature',
    );
    expect(reasonOf(reworded(new JsonWebTokenError('a sentence of v10')), signed())).toBe(
      'token_signature',
    );
    expect(reasonOf(reworded(new RangeError('unexpected')), signed())).toBe('token_signature');
  });
});

describe('TokenService with ES256: why a token is refused', () => {
  const pair = pemKeyPair('ES256');
  const { keys } = loadAccessKeys(
    { algorithm: 'ES256', ...pair },
    { privateKey: 'p', publicKey: 'q', previousPublicKeys: 'r' },
  );
  const tokens = new TokenService(
    { ...hs256, access: keys! },
    new ManualClock(NOW * 1000),
    new JwtService(),
  );
  const privateKey = createPrivateKey(pair.privateKey);
  const header = { alg: 'ES256', typ: TOKEN_TYPES.access, kid: keys!.kid };

  it('accepts the baseline token', () => {
    expect(tokens.verify('access', signJwtWith(header, payload(), privateKey)).sub).toBe('user-1');
  });

  it('refuses an unknown or missing kid', () => {
    expect(reasonOf(tokens, signJwtWith({ ...header, kid: 'other' }, payload(), privateKey))).toBe(
      'token_kid',
    );
    expect(
      reasonOf(tokens, signJwtWith({ ...header, kid: undefined }, payload(), privateKey)),
    ).toBe('token_kid');
  });

  it('refuses a signature of the wrong length (the library throws a TypeError there) as a bad signature', () => {
    const token = signJwtWith(header, payload(), privateKey);

    expect(
      reasonOf(tokens, `${token.slice(0, token.lastIndexOf('.'))}.${base64url('short')}`),
    ).toBe('token_signature');
  });

  it("refuses another key's signature", () => {
    const other = createPrivateKey(pemKeyPair('ES256').privateKey);
    expect(reasonOf(tokens, signJwtWith(header, payload(), other))).toBe('token_signature');
  });
});
