import { JwtService } from '@nestjs/jwt';
import { AuthService } from './auth.service';
import { resolveAuthOptions } from './options/resolve-auth-options';
import { tokenSettingsFrom } from './options/resolve-token-settings';
import type { AuthUser, ClientInfo, TokenPair } from './model/auth.types';
import { ManualClock } from './clock/manual-clock';
import { HookRunner } from './hooks/hook-runner';
import { AuthError } from './errors/auth-error';
import type { AuthHooks, SignInChallenge } from './hooks/hooks';
import { AuthEvents } from './events/auth-events';
import { PasswordService } from './passwords/password.service';
import { InMemoryRevocationList } from './revocation/in-memory-revocation-list';
import { InMemorySessionStore } from '../testing/in-memory-session.store';
import { InMemoryUserStore } from '../testing/in-memory-user.store';
import { accountKeyHasher } from './throttling/account-key';
import { FailedLogins } from './throttling/failed-logins';
import { InMemoryFailedLoginStore } from './throttling/in-memory-failed-login.store';
import { TokenService } from './tokens/token.service';

const GRACE_SECONDS = 10;
const PASSWORD = 'a quiet unit-test passphrase';
const TAB: ClientInfo = { ip: '203.0.113.7', userAgent: 'Firefox' };
const THIEF: ClientInfo = { ip: '198.51.100.9', userAgent: 'curl' };

/** AuthService on the in-memory stores, the in-process revocation list and a clock that moves when told. */
describe('AuthService (in-memory stores)', () => {
  let clock: ManualClock;
  let sessions: InMemorySessionStore;
  let revocations: InMemoryRevocationList;
  let tokens: TokenService;
  let events: AuthEvents;
  let auth: AuthService;
  /** An AuthService on the same stores whose features registered `hooks`. */
  let withHooks: (hooks: AuthHooks[] | (() => AuthHooks[])) => AuthService;

  beforeEach(() => {
    const options = resolveAuthOptions({
      jwtSecret: 'unit-access-secret-0123456789abcdefghij',
      jwtRefreshSecret: 'unit-refresh-secret-0123456789abcdefghij',
      refreshReuseGrace: GRACE_SECONDS,
      bcryptRounds: 4,
      allowWeakSettings: true,
    });
    clock = new ManualClock(1_800_000_000_000);
    sessions = new InMemorySessionStore();
    revocations = new InMemoryRevocationList(clock);
    tokens = new TokenService(tokenSettingsFrom(options), clock, new JwtService());
    events = new AuthEvents();
    const failedLogins = new FailedLogins(
      clock,
      new InMemoryFailedLoginStore(),
      accountKeyHasher(options.jwtRefreshSecret),
    );
    const users = new InMemoryUserStore();
    withHooks = (hooks) =>
      new AuthService(
        options,
        users,
        sessions,
        revocations,
        clock,
        new PasswordService(options),
        tokens,
        events,
        failedLogins,
        new HookRunner(hooks),
      );
    auth = withHooks([]);
  });

  afterEach(() => revocations.onModuleDestroy());

  async function signUp(email = 'ada@example.com'): Promise<TokenPair> {
    await auth.register(email, PASSWORD);
    return auth.login(email, PASSWORD, TAB).then(tokensOf);
  }

  const refresh = (pair: TokenPair, client = TAB) =>
    auth.refresh(tokens.verify('refresh', pair.refreshToken), client);

  function callerOf(pair: TokenPair): AuthUser {
    const { sub, sid, email, roles } = tokens.verify('access', pair.accessToken);
    return { id: sub, sessionId: sid, email, roles };
  }

  const sessionOf = (pair: TokenPair) => tokens.verify('access', pair.accessToken).sid;
  const jtiOf = (pair: TokenPair) => tokens.verify('refresh', pair.refreshToken).jti;

  describe('the seams of a sign-in', () => {
    it('opens no session when a sessionOpening hook answers a challenge, and answers the challenge', async () => {
      const challenge = { challenge: { mfaRequired: true, methods: ['totp'] } };
      const seen: string[][] = [];
      const guarded = withHooks([
        { sessionOpening: (_user, attempt) => (seen.push([...attempt.methods]), challenge) },
      ]);
      const user = await guarded.register('ada@example.com', PASSWORD);
      await expect(guarded.login('ada@example.com', PASSWORD, TAB)).resolves.toBe(challenge);
      expect(seen).toEqual([['pwd']]);
      expect(await sessions.listLiveSessions(user.id, clock.now(), 10)).toEqual([]);
    });

    it('opens the session as a sessionOpening hook assures it, and hands it the deviceToken of the login', async () => {
      const tokensSeen: (string | undefined)[] = [];
      const assured = withHooks([
        {
          sessionOpening: (_user, attempt) => {
            tokensSeen.push(attempt.deviceToken);
            return { authentication: { methods: ['pwd', 'mfa'], level: 'aal2' } };
          },
        },
      ]);
      await assured.register('ada@example.com', PASSWORD);

      const pair = tokensOf(await assured.login('ada@example.com', PASSWORD, TAB, 'device-1'));

      expect(tokensSeen).toEqual(['device-1']);
      expect(tokens.verify('access', pair.accessToken)).toMatchObject({
        amr: ['pwd', 'mfa'],
        acr: 'aal2',
      });
    });

    it("adds the accessTokenClaims hooks' claims at every issue: login, refresh, re-authentication, startSession", async () => {
      let plan = 'free';
      const claiming = withHooks([
        { accessTokenClaims: (user) => ({ plan, initial: user.email[0] }) },
      ]);
      const { id } = await claiming.register('ada@example.com', PASSWORD);
      const pair = tokensOf(await claiming.login('ada@example.com', PASSWORD, TAB));
      expect(tokens.verify('access', pair.accessToken)).toMatchObject({
        plan: 'free',
        initial: 'a',
      });

      plan = 'gold';
      const rotated = await claiming.refresh(tokens.verify('refresh', pair.refreshToken), TAB);
      const again = await claiming.reauthenticate(callerOf(rotated), {
        methods: ['otp', 'mfa'],
        level: 'aal2',
      });
      const started = await claiming.startSession(id, TAB);
      for (const issued of [rotated, again, started]) {
        expect(tokens.verify('access', issued.accessToken)).toMatchObject({ plan: 'gold' });
        expect(tokens.verify('refresh', issued.refreshToken)).not.toHaveProperty('plan');
      }
    });

    it("shows the publicUserFields hooks' fields in register and me, the module's own fields kept", async () => {
      const showing = withHooks([{ publicUserFields: () => ({ displayName: 'Ada' }) }]);
      const user = await showing.register<{ displayName: string }>('ada@example.com', PASSWORD);
      expect(user.displayName).toBe('Ada');
      const pair = tokensOf(await showing.login('ada@example.com', PASSWORD, TAB));
      await expect(showing.me(callerOf(pair))).resolves.toMatchObject({
        id: user.id,
        displayName: 'Ada',
      });
    });

    it('tells signInsForgotten at every end of the credential epoch (password change, logout of others or all), not at a local logout', async () => {
      const reasons: string[] = [];
      const forgetting = withHooks([
        { signInsForgotten: (_userId, reason) => void reasons.push(reason) },
      ]);
      await forgetting.register('ada@example.com', PASSWORD);
      const login = () => forgetting.login('ada@example.com', PASSWORD, TAB).then(tokensOf);

      await forgetting.logout(callerOf(await login()), 'local');
      await forgetting.logout(callerOf(await login()), 'others');
      await forgetting.changePassword(callerOf(await login()), PASSWORD, `${PASSWORD} anew`);
      const again = await forgetting
        .login('ada@example.com', `${PASSWORD} anew`, TAB)
        .then(tokensOf);
      await forgetting.logout(callerOf(again), 'global');

      expect(reasons).toEqual(['logout_others', 'password_change', 'logout_global']);
    });

    it('reads the hooks at the first sign-in when given a function (a hook may need AuthService)', async () => {
      let resolved = 0;
      const lazy = withHooks(() => ((resolved += 1), []));
      expect(resolved).toBe(0);
      await lazy.register('ada@example.com', PASSWORD);
      await lazy.login('ada@example.com', PASSWORD, TAB);
      expect(resolved).toBe(1);
    });

    it('asks no hook when the password is wrong, and refuses what identityVerified refuses', async () => {
      const calls: string[] = [];
      const refusing = withHooks([
        {
          identityVerified: () => {
            calls.push('identityVerified');
            throw new AuthError('EMAIL_NOT_VERIFIED');
          },
          sessionOpening: () => void calls.push('sessionOpening'),
        },
      ]);
      const user = await refusing.register('ada@example.com', PASSWORD);
      await expect(
        refusing.login('ada@example.com', 'not the password', TAB),
      ).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
      expect(calls).toEqual([]);
      await expect(refusing.login('ada@example.com', PASSWORD, TAB)).rejects.toMatchObject({
        code: 'EMAIL_NOT_VERIFIED',
      });
      expect(calls).toEqual(['identityVerified']);
      expect(await sessions.listLiveSessions(user.id, clock.now(), 10)).toEqual([]);
    });

    it('tells userRegistered of a new account and userDeleting of a deleted one, in order', async () => {
      const calls: string[] = [];
      const hook = (name: string) => (user: { id: string } | string) =>
        void calls.push(`${name} ${typeof user === 'string' ? user : user.id}`);
      const watched = withHooks([
        { userRegistered: hook('registered:a') },
        { userRegistered: hook('registered:b'), userDeleting: hook('deleting:b') },
      ]);
      const user = await watched.register('ada@example.com', PASSWORD);
      await watched.deleteUser(user.id);
      expect(calls).toEqual([
        `registered:a ${user.id}`,
        `registered:b ${user.id}`,
        `deleting:b ${user.id}`,
      ]);
    });
  });

  describe('how a session authenticated (auth_time, amr, acr)', () => {
    const claimsOf = (pair: TokenPair) => tokens.verify('access', pair.accessToken);

    it('carries the login by password: auth_time of the login, amr pwd, acr aal1', async () => {
      const pair = await signUp();

      expect(claimsOf(pair)).toMatchObject({
        auth_time: Math.floor(clock.now() / 1000),
        amr: ['pwd'],
        acr: 'aal1',
      });
    });

    it('keeps them through a refresh, however late', async () => {
      const pair = await signUp();
      const loggedInAt = Math.floor(clock.now() / 1000);
      clock.advance(600_000);

      const next = await refresh(pair);

      expect(claimsOf(next)).toMatchObject({ auth_time: loggedInAt, amr: ['pwd'], acr: 'aal1' });
      expect(claimsOf(next).iat).toBe(loggedInAt + 600);
    });

    it('opens a session with the authentication a feature verified (a second factor)', async () => {
      const user = await auth.register('ada@example.com', PASSWORD);
      const methods = ['pwd', 'otp', 'mfa'];

      const pair = await auth.startSession(user.id, TAB, { methods, level: 'aal2' });

      expect(claimsOf(pair)).toMatchObject({ amr: methods, acr: 'aal2' });
    });

    it('re-authenticates the same session: fresh auth_time, the current refresh token, kept by the next refresh', async () => {
      const pair = await signUp();
      const caller = callerOf(pair);
      clock.advance(600_000);

      const again = await auth.reauthenticate(caller, {
        methods: ['otp', 'mfa'],
        level: 'aal2',
      });

      const now = Math.floor(clock.now() / 1000);
      expect(claimsOf(again)).toMatchObject({ sid: sessionOf(pair), auth_time: now, acr: 'aal2' });
      expect(again.refreshToken).toBe(pair.refreshToken);
      clock.advance(1_000);
      expect(claimsOf(await refresh(again))).toMatchObject({ auth_time: now, amr: ['otp', 'mfa'] });
    });

    it('re-authenticates with the password, keeping the acr; a wrong one is INVALID_CREDENTIALS', async () => {
      const pair = await signUp();
      const caller = { ...callerOf(pair), acr: 'aal1' as const };
      clock.advance(600_000);

      await expect(auth.reauthenticateWithPassword(caller, 'wrong', TAB)).rejects.toMatchObject({
        code: 'INVALID_CREDENTIALS',
      });
      const again = await auth.reauthenticateWithPassword(caller, PASSWORD, TAB);
      expect(claimsOf(again).auth_time).toBe(Math.floor(clock.now() / 1000));
    });

    it('refuses to re-authenticate a revoked session', async () => {
      const pair = await signUp();
      await auth.logout(callerOf(pair));

      await expect(
        auth.reauthenticate(callerOf(pair), { methods: ['otp'], level: 'aal2' }),
      ).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    });
  });

  describe('refresh', () => {
    it('spends the token and issues its successor, which rotates in turn', async () => {
      const first = await signUp();
      clock.advance(1_000);

      const second = await refresh(first);
      const third = await refresh(second);

      expect(new Set([jtiOf(first), jtiOf(second), jtiOf(third)]).size).toBe(3);
      const chain = sessions.refreshTokensOf(sessionOf(first));
      expect(chain.find((token) => token.id === jtiOf(first))).toMatchObject({
        successorId: jtiOf(second),
        spentAt: clock.now(),
      });
      expect(chain.filter((token) => token.spentAt === null).map((token) => token.id)).toEqual([
        jtiOf(third),
      ]);
    });

    it('gives the same successor again within the grace, to the client that spent the token', async () => {
      const first = await signUp();
      const second = await refresh(first);
      clock.advanceSeconds(GRACE_SECONDS);

      const again = await refresh(first);

      expect(jtiOf(again)).toBe(jtiOf(second));
      expect(revocations.isRevoked(sessionOf(first))).toBe(false);
    });

    it('refuses the grace to another client, and takes it as theft', async () => {
      const first = await signUp();
      await refresh(first);

      await expect(refresh(first, THIEF)).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });

      expect(revocations.isRevoked(sessionOf(first))).toBe(true);
    });

    it('revokes the whole session when a spent token comes back after the grace', async () => {
      const reused: string[] = [];
      events.on('refresh_token.reused', ({ sessionId }) => void reused.push(sessionId));
      const first = await signUp();
      const second = await refresh(first);
      clock.advanceSeconds(GRACE_SECONDS + 1);

      await expect(refresh(first)).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });

      expect(reused).toEqual([sessionOf(first)]);
      // The session's access tokens are refused from now on, and its current refresh token is dead too.
      expect(revocations.isRevoked(sessionOf(first))).toBe(true);
      await expect(refresh(second)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    });

    it('lets exactly one of two racing refreshes of one token rotate; the other gets its successor', async () => {
      const first = await signUp();
      const rotate = jest.spyOn(sessions, 'rotate');

      const [a, b] = await Promise.all([refresh(first), refresh(first)]);

      // Both read the token unspent and tried to rotate it: the store decided.
      expect(rotate).toHaveBeenCalledTimes(2);
      expect(jtiOf(a)).toBe(jtiOf(b));
      expect(sessions.refreshTokensOf(sessionOf(first))).toHaveLength(2);
      expect(revocations.isRevoked(sessionOf(first))).toBe(false);
    });
  });

  describe('logout', () => {
    async function threeSessions(): Promise<TokenPair[]> {
      const first = await signUp();
      return [
        first,
        ...(await Promise.all(
          [1, 2].map(() => auth.login('ada@example.com', PASSWORD, TAB).then(tokensOf)),
        )),
      ];
    }

    const revokedOf = (pairs: TokenPair[]) =>
      pairs.map((pair) => revocations.isRevoked(sessionOf(pair)));

    it('local: revokes the caller’s session only', async () => {
      const pairs = await threeSessions();

      await auth.logout(callerOf(pairs[0]), 'local');

      expect(revokedOf(pairs)).toEqual([true, false, false]);
    });

    it('global: revokes every session of the user', async () => {
      const pairs = await threeSessions();

      await auth.logout(callerOf(pairs[0]), 'global');

      expect(revokedOf(pairs)).toEqual([true, true, true]);
      await expect(auth.listSessions(callerOf(pairs[0]))).resolves.toEqual([]);
    });

    it('others: revokes every session but the caller’s', async () => {
      const pairs = await threeSessions();

      await auth.logout(callerOf(pairs[1]), 'others');

      expect(revokedOf(pairs)).toEqual([true, false, true]);
      const listed = await auth.listSessions(callerOf(pairs[1]));
      expect(listed.map(({ id, current }) => ({ id, current }))).toEqual([
        { id: sessionOf(pairs[1]), current: true },
      ]);
    });
  });

  describe('changePassword', () => {
    it('revokes the other sessions, keeps the caller’s, and takes the new password from then on', async () => {
      const mine = await signUp();
      const other = tokensOf(await auth.login('ada@example.com', PASSWORD, THIEF));
      const newPassword = 'another quiet unit-test passphrase';

      await auth.changePassword(callerOf(mine), PASSWORD, newPassword);

      expect(revocations.isRevoked(sessionOf(other))).toBe(true);
      expect(revocations.isRevoked(sessionOf(mine))).toBe(false);
      await expect(refresh(other, THIEF)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
      await expect(refresh(mine)).resolves.toBeDefined();
      await expect(auth.login('ada@example.com', PASSWORD, TAB)).rejects.toMatchObject({
        code: 'INVALID_CREDENTIALS',
      });
      await expect(auth.login('ada@example.com', newPassword, TAB)).resolves.toBeDefined();
    });

    it('refuses a wrong current password with 403, revoking nothing', async () => {
      const mine = await signUp();
      const other = tokensOf(await auth.login('ada@example.com', PASSWORD, TAB));

      await expect(
        auth.changePassword(callerOf(mine), 'not the password at all', 'whatever new passphrase'),
      ).rejects.toMatchObject({ code: 'WRONG_CURRENT_PASSWORD' });

      expect(revocations.isRevoked(sessionOf(other))).toBe(false);
    });
  });
});

/** The token pair of a login that asked for no challenge (no hook is registered here). */
function tokensOf(result: TokenPair | SignInChallenge): TokenPair {
  if ('challenge' in result) throw new Error('a challenge where a token pair was expected');
  return result;
}
