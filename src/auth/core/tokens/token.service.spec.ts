import { Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHmac, randomUUID } from 'node:crypto';
import { forgeJwt } from '../../../../test/support/jwt-forge';
import { ManualClock } from '../clock/manual-clock';
import { TokenRejectedError } from '../errors/auth-error';
import { MAX_TOKEN_LENGTH } from './compact-token';
import { hmacKey } from './token-keys';
import type { TokenSettings } from './token-settings';
import { CLOCK_TOLERANCE_SECONDS, TokenService } from './token.service';
import { TOKEN_TYPES } from '../model/token.types';

const ACCESS_SECRET = 'unit-access-secret-0123456789abcdefghij';
const REFRESH_SECRET = 'unit-refresh-secret-0123456789abcdefghij';
const NOW_SECONDS = 1_800_000_000;

/** HS256 settings with the given secrets, as the module builds them from its options. */
function settings(secrets: { access?: string; refresh?: string } = {}): TokenSettings {
  return {
    access: { algorithm: 'HS256', key: hmacKey(secrets.access ?? ACCESS_SECRET) },
    refreshKey: hmacKey(secrets.refresh ?? REFRESH_SECRET),
    issuer: 'nest-auth',
    audience: 'nest-auth',
    accessLifetime: 900,
    refreshLifetime: 604_800,
  };
}

function ids() {
  return { sub: randomUUID(), sid: randomUUID(), jti: randomUUID() };
}

function accessClaims(iat = NOW_SECONDS, exp = iat + 900) {
  return { ...ids(), iat, exp, email: 'ada@example.com', roles: ['user'] };
}

function refreshClaims(iat = NOW_SECONDS, exp = iat + 3600) {
  return { ...ids(), iat, exp };
}

/** A token signed by hand with `secret`, as any HS256 library would: header and payload as given. */
function handSigned(kind: 'access' | 'refresh', payload: Record<string, unknown>, secret: string) {
  return forgeJwt({ alg: 'HS256', typ: TOKEN_TYPES[kind] }, payload, secret);
}

describe('TokenService', () => {
  let clock: ManualClock;
  let tokens: TokenService;

  beforeEach(() => {
    clock = new ManualClock(NOW_SECONDS * 1000);
    tokens = new TokenService(settings(), clock, new JwtService());
  });

  describe('sign and verify', () => {
    it('verifies an access token it signed and gives back its claims, with iss and aud', () => {
      const claims = accessClaims();

      const { token, expiresAt } = tokens.signAccessToken(claims);

      expect(expiresAt).toBe(claims.exp);
      expect(tokens.verify('access', token)).toEqual({
        ...claims,
        iss: 'nest-auth',
        aud: 'nest-auth',
      });
    });

    it('verifies a refresh token it signed and gives back its claims, with iss and aud', () => {
      const claims = refreshClaims();

      const { token, expiresAt } = tokens.signRefreshToken(claims);

      expect(expiresAt).toBe(claims.exp);
      expect(tokens.verify('refresh', token)).toEqual({
        ...claims,
        iss: 'nest-auth',
        aud: 'nest-auth',
      });
    });

    it('puts the typ of each kind in the header, with the pinned algorithm', () => {
      const access = tokens.signAccessToken(accessClaims()).token;
      const refresh = tokens.signRefreshToken(refreshClaims()).token;

      const header = (token: string): unknown =>
        JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
      expect(header(access)).toEqual({ alg: 'HS256', typ: 'at+jwt' });
      expect(header(refresh)).toEqual({ alg: 'HS256', typ: 'refresh+jwt' });
    });

    it('signs the same claims into the same token, byte for byte', () => {
      const access = accessClaims();
      const refresh = refreshClaims();

      expect(tokens.signAccessToken({ ...access }).token).toBe(
        tokens.signAccessToken({ ...access }).token,
      );
      expect(tokens.signRefreshToken({ ...refresh }).token).toBe(
        tokens.signRefreshToken({ ...refresh }).token,
      );
      clock.advance(5_000);
      expect(tokens.signRefreshToken({ ...refresh }).token).toBe(
        new TokenService(settings(), clock, new JwtService()).signRefreshToken({ ...refresh })
          .token,
      );
    });

    it('signs exactly the bytes it signed before jsonwebtoken: header alg, typ; payload in claim order', () => {
      // Pinned: tokens the hand-written signer issued, before the switch to @nestjs/jwt. The reuse grace re-signs a
      // stored successor and must get the same token back, across the upgrade too.
      const claims = { sub: 'user-1', sid: 'session-1', jti: 'token-1', iat: NOW_SECONDS };

      expect(tokens.signRefreshToken({ ...claims, exp: NOW_SECONDS + 3600 }).token).toBe(
        'eyJhbGciOiJIUzI1NiIsInR5cCI6InJlZnJlc2grand0In0.eyJpc3MiOiJuZXN0LWF1dGgiLCJhdWQiOiJuZXN0LWF1dGgiLCJzdWIiOiJ1c2VyLTEiLCJzaWQiOiJzZXNzaW9uLTEiLCJqdGkiOiJ0b2tlbi0xIiwiaWF0IjoxODAwMDAwMDAwLCJleHAiOjE4MDAwMDM2MDB9.ZjzXjrjLT37-pidwEdZVbmEIVUTx8I04H-L95157k9E',
      );
      expect(
        tokens.signAccessToken({
          ...claims,
          exp: NOW_SECONDS + 900,
          email: 'ada@example.com',
          roles: ['user'],
        }).token,
      ).toBe(
        'eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJuZXN0LWF1dGgiLCJhdWQiOiJuZXN0LWF1dGgiLCJzdWIiOiJ1c2VyLTEiLCJzaWQiOiJzZXNzaW9uLTEiLCJqdGkiOiJ0b2tlbi0xIiwiaWF0IjoxODAwMDAwMDAwLCJleHAiOjE4MDAwMDA5MDAsImVtYWlsIjoiYWRhQGV4YW1wbGUuY29tIiwicm9sZXMiOlsidXNlciJdfQ.PyBGMWzq8dKRVRwM5SKE09QH5AhNMvT5NkO9yxriEQw',
      );
    });

    it('gives different claims different tokens', () => {
      const claims = refreshClaims();

      expect(tokens.signRefreshToken(claims).token).not.toBe(
        tokens.signRefreshToken({ ...claims, jti: randomUUID() }).token,
      );
    });
  });

  describe('token kinds', () => {
    it('refuses an access token where a refresh token is expected', () => {
      const token = tokens.signAccessToken(accessClaims()).token;

      expect(() => tokens.verify('refresh', token)).toThrow(TokenRejectedError);
    });

    it('refuses a refresh token where an access token is expected', () => {
      const token = tokens.signRefreshToken(refreshClaims()).token;

      expect(() => tokens.verify('access', token)).toThrow(TokenRejectedError);
    });

    it('keeps the kinds apart even when both secrets are equal', () => {
      const shared = new TokenService(
        settings({ refresh: ACCESS_SECRET }),
        clock,
        new JwtService(),
      );
      const access = shared.signAccessToken(accessClaims()).token;
      const refresh = shared.signRefreshToken(refreshClaims()).token;

      expect(() => shared.verify('refresh', access)).toThrow(TokenRejectedError);
      expect(() => shared.verify('access', refresh)).toThrow(TokenRejectedError);
      expect(shared.verify('access', access).sub).toEqual(expect.any(String));
      expect(shared.verify('refresh', refresh).sub).toEqual(expect.any(String));
    });

    it('refuses a token with the right signature but the other kind in its typ header', () => {
      const forged = forgeJwt(
        { alg: 'HS256', typ: TOKEN_TYPES.access },
        { ...refreshClaims(), iss: 'nest-auth', aud: 'nest-auth' },
        REFRESH_SECRET,
      );

      expect(() => tokens.verify('refresh', forged)).toThrow(TokenRejectedError);
    });
  });

  describe('times', () => {
    it('accepts a token up to the second before exp and refuses it at exp exactly', () => {
      const claims = accessClaims(NOW_SECONDS, NOW_SECONDS + 900);
      const { token } = tokens.signAccessToken(claims);

      clock.advance(900_000 - 1);
      expect(tokens.verify('access', token).jti).toBe(claims.jti);

      clock.advance(1);
      expect(() => tokens.verify('access', token)).toThrow(TokenRejectedError);
    });

    it('refuses an expired refresh token', () => {
      const { token } = tokens.signRefreshToken(refreshClaims(NOW_SECONDS, NOW_SECONDS + 60));

      clock.advance(61_000);

      expect(() => tokens.verify('refresh', token)).toThrow(TokenRejectedError);
    });

    it(`accepts an iat up to ${CLOCK_TOLERANCE_SECONDS} s ahead of the clock and refuses one further ahead`, () => {
      const atTolerance = accessClaims(NOW_SECONDS + CLOCK_TOLERANCE_SECONDS);
      const beyond = accessClaims(NOW_SECONDS + CLOCK_TOLERANCE_SECONDS + 1);

      expect(tokens.verify('access', tokens.signAccessToken(atTolerance).token).jti).toBe(
        atTolerance.jti,
      );
      expect(() => tokens.verify('access', tokens.signAccessToken(beyond).token)).toThrow(
        TokenRejectedError,
      );
    });

    it(`refuses an nbf more than ${CLOCK_TOLERANCE_SECONDS} s ahead of the clock`, () => {
      const payload = {
        ...refreshClaims(),
        iss: 'nest-auth',
        aud: 'nest-auth',
        nbf: NOW_SECONDS + CLOCK_TOLERANCE_SECONDS + 1,
      };

      expect(() =>
        tokens.verify('refresh', handSigned('refresh', payload, REFRESH_SECRET)),
      ).toThrow(TokenRejectedError);
    });
  });

  describe('forgeries', () => {
    const valid = () => ({ ...accessClaims(), iss: 'nest-auth', aud: 'nest-auth' });

    it('accepts a well-formed token signed by hand with the right secret (the baseline of this group)', () => {
      const payload = valid();

      expect(tokens.verify('access', handSigned('access', payload, ACCESS_SECRET)).jti).toBe(
        payload.jti,
      );
    });

    it('refuses alg none, with or without a signature', () => {
      const payload = valid();
      const unsigned = forgeJwt({ alg: 'none', typ: TOKEN_TYPES.access }, payload);
      const noneButSigned = forgeJwt(
        { alg: 'none', typ: TOKEN_TYPES.access },
        payload,
        ACCESS_SECRET,
      );

      expect(() => tokens.verify('access', unsigned)).toThrow(TokenRejectedError);
      expect(() => tokens.verify('access', noneButSigned)).toThrow(TokenRejectedError);
    });

    it('refuses a token signed with another secret', () => {
      const other = new TokenService(
        settings({
          access: 'another-access-secret-0123456789abcdefgh',
          refresh: 'another-refresh-secret-0123456789abcdefg',
        }),
        clock,
        new JwtService(),
      );

      expect(() => tokens.verify('access', other.signAccessToken(accessClaims()).token)).toThrow(
        TokenRejectedError,
      );
      expect(() => tokens.verify('refresh', other.signRefreshToken(refreshClaims()).token)).toThrow(
        TokenRejectedError,
      );
    });

    it('refuses a token signed with the refresh secret where an access token is expected', () => {
      expect(() => tokens.verify('access', handSigned('access', valid(), REFRESH_SECRET))).toThrow(
        TokenRejectedError,
      );
    });

    it('refuses a token of another issuer or audience', () => {
      expect(() =>
        tokens.verify('access', handSigned('access', { ...valid(), iss: 'evil' }, ACCESS_SECRET)),
      ).toThrow(TokenRejectedError);
      expect(() =>
        tokens.verify('access', handSigned('access', { ...valid(), aud: 'evil' }, ACCESS_SECRET)),
      ).toThrow(TokenRejectedError);
    });

    it.each(['sub', 'sid', 'jti', 'iat', 'exp', 'roles'])(
      'refuses an access token without %s',
      (claim) => {
        const payload: Record<string, unknown> = valid();
        delete payload[claim];

        expect(() => tokens.verify('access', handSigned('access', payload, ACCESS_SECRET))).toThrow(
          TokenRejectedError,
        );
      },
    );

    it.each(['sub', 'sid', 'jti', 'iat', 'exp'])('refuses a refresh token without %s', (claim) => {
      const payload: Record<string, unknown> = {
        ...refreshClaims(),
        iss: 'nest-auth',
        aud: 'nest-auth',
      };
      delete payload[claim];

      expect(() =>
        tokens.verify('refresh', handSigned('refresh', payload, REFRESH_SECRET)),
      ).toThrow(TokenRejectedError);
    });

    it('refuses claims of the wrong type', () => {
      expect(() =>
        tokens.verify('access', handSigned('access', { ...valid(), exp: 'never' }, ACCESS_SECRET)),
      ).toThrow(TokenRejectedError);
      expect(() =>
        tokens.verify(
          'access',
          handSigned('access', { ...valid(), roles: 'admin' }, ACCESS_SECRET),
        ),
      ).toThrow(TokenRejectedError);
    });

    it('refuses a crit header, even correctly signed', () => {
      const forged = forgeJwt(
        { alg: 'HS256', typ: TOKEN_TYPES.access, crit: ['exp'], exp: 0 },
        valid(),
        ACCESS_SECRET,
      );

      expect(() => tokens.verify('access', forged)).toThrow(TokenRejectedError);
    });

    it('refuses a duplicate key in the header or the payload, even correctly signed', () => {
      const encode = (json: string) => Buffer.from(json).toString('base64url');
      const signed = (header: string, payload: string) => {
        const input = `${encode(header)}.${encode(payload)}`;
        return `${input}.${createHmac('sha256', ACCESS_SECRET).update(input).digest('base64url')}`;
      };
      const header = '{"alg":"HS256","typ":"at+jwt"}';
      const payload = JSON.stringify(valid());

      expect(tokens.verify('access', signed(header, payload)).roles).toEqual(['user']);
      expect(() =>
        tokens.verify('access', signed(header.replace(/}$/, ',"typ":"JWT"}'), payload)),
      ).toThrow(TokenRejectedError);
      expect(() =>
        tokens.verify('access', signed(header, payload.replace(/}$/, ',"roles":["admin"]}'))),
      ).toThrow(TokenRejectedError);
    });

    it('refuses a token over 8 KiB, correctly signed', () => {
      const big = handSigned(
        'access',
        { ...valid(), pad: 'x'.repeat(MAX_TOKEN_LENGTH) },
        ACCESS_SECRET,
      );

      expect(() => tokens.verify('access', big)).toThrow(TokenRejectedError);
    });

    it('logs why it refused a token at debug level, in one line without the token', () => {
      const debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
      const forged = handSigned('access', valid(), REFRESH_SECRET);
      const expired = handSigned(
        'access',
        { ...valid(), iat: NOW_SECONDS - 3600, exp: NOW_SECONDS - 60 },
        ACCESS_SECRET,
      );
      try {
        for (const token of [forged, expired]) {
          expect(() => tokens.verify('access', token)).toThrow(TokenRejectedError);
        }

        expect(debug.mock.calls.map(([message]) => String(message))).toEqual([
          'access token refused: invalid signature',
          'access token refused: exp is past',
        ]);
        for (const [message] of debug.mock.calls) {
          for (const segment of [...forged.split('.'), ...expired.split('.')]) {
            expect(String(message)).not.toContain(segment);
          }
        }
      } finally {
        debug.mockRestore();
      }
    });

    it('refuses strings that are not JWTs', () => {
      for (const garbage of ['', 'abc', 'a.b.c', '..', 'Bearer x']) {
        expect(() => tokens.verify('access', garbage)).toThrow(TokenRejectedError);
      }
    });
  });
});
