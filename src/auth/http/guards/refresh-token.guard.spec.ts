import { JwtService } from '@nestjs/jwt';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { ResolvedAuthOptions } from '../../core/options/auth.options';
import { ManualClock } from '../../core/clock/manual-clock';
import { RefreshTokenStrategy } from '../strategies/refresh-token.strategy';
import { hmacKey } from '../../core/tokens/token-keys';
import { TokenService } from '../../core/tokens/token.service';
import type { RefreshTokenClaims } from '../../core/model/token.types';
import { RefreshTokenGuard } from './refresh-token.guard';

const NOW = 1_800_000_000;

interface Request {
  body?: unknown;
  headers: Record<string, string | undefined>;
  user?: RefreshTokenClaims;
}

/**
 * `POST /auth/refresh`'s guard with the real strategy `jwt-refresh` behind it, through passport: the refresh token of
 * a request is verified once, wherever it comes from, even when it is picked among several cookies.
 */
describe('RefreshTokenGuard', () => {
  const clock = new ManualClock(NOW * 1000);
  const jwt = new JwtService();
  const tokens = new TokenService(
    {
      access: { algorithm: 'HS256', key: hmacKey('unit-access-secret-0123456789abcdefghij') },
      refreshKey: hmacKey('unit-refresh-secret-0123456789abcdefghij'),
      issuer: 'nest-auth',
      audience: 'nest-auth',
      accessLifetime: 900,
      refreshLifetime: 3600,
    },
    clock,
    jwt,
  );
  // Registers `jwt-refresh` with passport, as the module does at boot.
  new RefreshTokenStrategy(tokens, { refreshTransport: 'both' } as ResolvedAuthOptions);
  const guard = new RefreshTokenGuard();

  function refreshToken(jti: string, iat = NOW): string {
    return tokens.signRefreshToken({ sub: 'user-1', sid: 'session-1', jti, iat, exp: iat + 3600 })
      .token;
  }

  /** The verifications each token got while the guard let `request` through. */
  async function verificationsOf(request: Request): Promise<Map<string, number>> {
    const verify = jest.spyOn(jwt, 'verify');
    try {
      await expect(guard.canActivate(new ExecutionContextHost([request, {}]))).resolves.toBe(true);
      const counts = new Map<string, number>();
      for (const [token] of verify.mock.calls) counts.set(token, (counts.get(token) ?? 0) + 1);
      return counts;
    } finally {
      verify.mockRestore();
    }
  }

  it('verifies a body token once', async () => {
    const token = refreshToken('body');
    const request: Request = { body: { refreshToken: token }, headers: {} };

    expect(await verificationsOf(request)).toEqual(new Map([[token, 1]]));
    expect(request.user?.jti).toBe('body');
  });

  it('verifies a bearer token once', async () => {
    const token = refreshToken('bearer');
    const request: Request = { headers: { authorization: `Bearer ${token}` } };

    expect(await verificationsOf(request)).toEqual(new Map([[token, 1]]));
    expect(request.user?.jti).toBe('bearer');
  });

  it('verifies the one refresh cookie once', async () => {
    const token = refreshToken('cookie');
    const request: Request = { headers: { cookie: `theme=dark; refresh_token=${token}` } };

    expect(await verificationsOf(request)).toEqual(new Map([[token, 1]]));
    expect(request.user?.jti).toBe('cookie');
  });

  it('verifies each of several cookies once, the chosen one included (it was verified twice before)', async () => {
    const spent = refreshToken('spent', NOW - 60);
    const current = refreshToken('current');
    const planted = 'planted.not.valid';
    const request: Request = {
      headers: {
        cookie: `refresh_token=${planted}; refresh_token=${spent}; refresh_token=${current}`,
      },
    };

    expect(await verificationsOf(request)).toEqual(
      new Map([
        [spent, 1],
        [current, 1],
      ]),
    );
    // The planted value is refused before the library is called (not a compact JWS); the newest valid one is used.
    expect(request.user?.jti).toBe('current');
  });

  it('refuses, with 401, a request whose cookies all fail, verifying each once', async () => {
    const other = new JwtService();
    const foreign = other.sign(
      { sub: 'x' },
      {
        secret: 'another-secret-0123456789abcdefghijklmnop',
        header: { alg: 'HS256', typ: 'refresh+jwt' },
      },
    );
    const verify = jest.spyOn(jwt, 'verify');
    const request: Request = {
      headers: { cookie: `refresh_token=${foreign}; refresh_token=${foreign}x` },
    };

    await expect(guard.canActivate(new ExecutionContextHost([request, {}]))).rejects.toMatchObject({
      status: 401,
    });
    expect(verify.mock.calls.map(([token]) => token)).toEqual([foreign, `${foreign}x`]);
    verify.mockRestore();
  });
});
