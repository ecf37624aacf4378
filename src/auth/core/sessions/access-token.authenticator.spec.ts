import { JwtService } from '@nestjs/jwt';
import { ManualClock } from '../clock/manual-clock';
import { AuthError, RevokedSessionError, TokenRejectedError } from '../errors/auth-error';
import { InMemoryRevocationList } from '../revocation/in-memory-revocation-list';
import { hmacKey } from '../tokens/token-keys';
import { TokenService } from '../tokens/token.service';
import { AccessTokenAuthenticator } from './access-token.authenticator';

const NOW = 1_800_000_000;

describe('AccessTokenAuthenticator', () => {
  let clock: ManualClock;
  let jwt: JwtService;
  let tokens: TokenService;
  let revocations: InMemoryRevocationList;
  let authenticator: AccessTokenAuthenticator;

  beforeEach(() => {
    clock = new ManualClock(NOW * 1000);
    jwt = new JwtService();
    tokens = new TokenService(
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
    revocations = new InMemoryRevocationList(clock);
    authenticator = new AccessTokenAuthenticator(tokens, revocations, clock);
  });

  afterEach(() => revocations.onModuleDestroy());

  function accessToken(iat = NOW, sid = 'session-1'): string {
    return tokens.signAccessToken({
      sub: 'user-1',
      sid,
      jti: `jti-${iat}-${sid}`,
      iat,
      exp: iat + 900,
      email: 'ada@example.com',
      roles: ['user'],
      email_verified: true,
    }).token;
  }

  it('gives the caller the token names, as @CurrentUser() shows it', () => {
    expect(authenticator.authenticate(accessToken())).toStrictEqual({
      id: 'user-1',
      email: 'ada@example.com',
      roles: ['user'],
      emailVerified: true,
      sessionId: 'session-1',
      // A token without the claims of how its session authenticated: read as its login by password.
      authTime: NOW,
      amr: ['pwd'],
      acr: 'aal1',
      // No claim of the host's: none.
      claims: undefined,
    });
  });

  it('gives the caller how its session authenticated: auth_time, amr, acr', () => {
    const token = tokens.signAccessToken({
      ...{ sub: 'user-1', sid: 'session-1', jti: 'mfa', iat: NOW, exp: NOW + 900 },
      ...{ email: 'ada@example.com', roles: ['user'], email_verified: true },
      ...{ auth_time: NOW - 60, amr: ['pwd', 'otp', 'mfa'], acr: 'aal2' },
    }).token;

    expect(authenticator.authenticate(token)).toMatchObject({
      authTime: NOW - 60,
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'aal2',
    });
  });

  it("gives the host's claims back in claims, frozen: no request changes what a later one reads", () => {
    const token = tokens.signAccessToken(
      {
        ...{ sub: 'user-1', sid: 'session-1', jti: 'custom', iat: NOW, exp: NOW + 900 },
        ...{ email: 'ada@example.com', roles: ['user'] },
      },
      { tenant: 'acme', plan: { tier: 'gold' } },
    ).token;

    const { claims } = authenticator.authenticate(token);

    expect(claims).toEqual({ tenant: 'acme', plan: { tier: 'gold' } });
    expect(Object.isFrozen(claims)).toBe(true);
    expect(Object.isFrozen(claims?.plan)).toBe(true);
    expect(Object.isFrozen(authenticator.claimsOf(token).roles)).toBe(true);
    expect(authenticator.authenticate(token).claims).toBe(claims);
    expect(JSON.stringify(authenticator.claimsOf(token))).not.toContain('HostClaims');
  });

  it('signs the caller in when the token holds, and no one otherwise, without throwing (a @Public() route)', async () => {
    expect(authenticator.callerIfValid(accessToken())?.id).toBe('user-1');
    for (const none of [undefined, null, '', 'garbage', `${accessToken()}x`]) {
      expect(authenticator.callerIfValid(none)).toBeUndefined();
    }
    const expiring = accessToken(NOW, 'session-expiring');
    clock.advanceSeconds(900);
    expect(authenticator.callerIfValid(expiring)).toBeUndefined();
    const revoked = accessToken(NOW + 900, 'session-revoked');
    await revocations.revoke('session-revoked', (NOW + 1800) * 1000);
    expect(authenticator.callerIfValid(revoked)).toBeUndefined();
  });

  it('refuses a token whose acr is not a level it knows', () => {
    const token = tokens.signAccessToken({
      ...{ sub: 'user-1', sid: 'session-1', jti: 'odd', iat: NOW, exp: NOW + 900 },
      ...{ email: 'ada@example.com', roles: ['user'], acr: 'aal9' },
    }).token;

    expect(() => authenticator.authenticate(token)).toThrow(TokenRejectedError);
  });

  it('verifies a token the first time only: a cache hit does not verify again', () => {
    const token = accessToken();
    const verify = jest.spyOn(jwt, 'verify');

    authenticator.authenticate(token);
    authenticator.authenticate(token);
    authenticator.claimsOf(token);

    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('hands every use its own caller: changing one changes no later one', () => {
    const token = accessToken();
    const first = authenticator.authenticate(token);
    first.roles.push('admin');

    expect(authenticator.authenticate(token).roles).toEqual(['user']);
  });

  it('refuses a cached token once it has expired, verifying it again', () => {
    const token = accessToken();
    authenticator.authenticate(token);
    const verify = jest.spyOn(jwt, 'verify');
    clock.advanceSeconds(900);

    expect(() => authenticator.authenticate(token)).toThrow(
      expect.objectContaining({ reason: 'token_expired' }) as Error,
    );
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('refuses a cached token of a revoked session, naming the caller (for @AllowRevokedSession)', async () => {
    const token = accessToken();
    authenticator.authenticate(token);
    await revocations.revoke('session-1', (NOW + 900) * 1000);

    let refusal: unknown;
    try {
      authenticator.authenticate(token);
    } catch (error) {
      refusal = error;
    }

    expect(refusal).toBeInstanceOf(RevokedSessionError);
    expect(refusal).toMatchObject({
      reason: 'token_revoked',
      user: { id: 'user-1', sessionId: 'session-1' },
    });
    // Another session is not touched.
    expect(authenticator.authenticate(accessToken(NOW, 'session-2')).sessionId).toBe('session-2');
  });

  it('refuses the tokens issued up to a cut-off (a role change), and takes those issued after it', async () => {
    const before = accessToken(NOW - 60);
    const atCutOff = accessToken(NOW);
    const after = accessToken(NOW + 1);
    await revocations.revokeMany([
      { sessionId: 'session-1', until: (NOW + 900) * 1000, issuedUpTo: NOW },
    ]);

    expect(() => authenticator.authenticate(before)).toThrow(RevokedSessionError);
    expect(() => authenticator.authenticate(atCutOff)).toThrow(RevokedSessionError);
    expect(authenticator.authenticate(after).id).toBe('user-1');
  });

  it('refuses a missing token as missing, and a bad one with its reason', () => {
    for (const missing of [undefined, null, '']) {
      expect(() => authenticator.authenticate(missing)).toThrow(
        expect.objectContaining({ code: 'TOKEN_MISSING' }) as Error,
      );
    }
    expect(() => authenticator.authenticate(`${accessToken()}x`)).toThrow(TokenRejectedError);
    expect(() => authenticator.authenticate('garbage')).toThrow(AuthError);
  });

  it('never caches a refusal: a bad token is verified (and refused) every time', () => {
    const verify = jest.spyOn(jwt, 'verify');
    const forged = `${accessToken().slice(0, -2)}AA`;

    expect(() => authenticator.authenticate(forged)).toThrow(TokenRejectedError);
    expect(() => authenticator.authenticate(forged)).toThrow(TokenRejectedError);
    expect(verify).toHaveBeenCalledTimes(2);
  });
});
