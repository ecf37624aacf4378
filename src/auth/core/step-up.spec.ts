import type { AuthUser } from './model/auth.types';
import { authenticationShortfall } from './step-up';

const NOW = 1_800_000_000;
const caller = (overrides: Partial<AuthUser> = {}): AuthUser => ({
  ...{ id: 'user-1', email: 'ada@example.com', roles: ['user'], sessionId: 'session-1' },
  ...{ authTime: NOW - 30, amr: ['pwd'], acr: 'aal1' as const },
  ...overrides,
});

describe('authenticationShortfall (RFC 9470 step-up)', () => {
  it('lets through a caller that meets the requirement', () => {
    expect(authenticationShortfall(caller({ acr: 'aal2' }), { acr: 'aal2' }, NOW)).toBeUndefined();
    expect(authenticationShortfall(caller(), { acr: 'aal1', maxAge: 30 }, NOW)).toBeUndefined();
  });

  it('refuses a one-factor caller where aal2 is asked, naming acr_values', () => {
    const error = authenticationShortfall(caller(), { acr: 'aal2' }, NOW);

    expect(error?.code).toBe('INSUFFICIENT_USER_AUTHENTICATION');
    expect(error?.details).toMatchObject({ acrValues: 'aal2' });
    expect(error?.details.maxAge).toBeUndefined();
  });

  it('refuses an authentication older than maxAge, naming max_age (and acr_values when asked too)', () => {
    expect(authenticationShortfall(caller(), { maxAge: 29 }, NOW)?.details).toMatchObject({
      maxAge: 29,
    });
    expect(
      authenticationShortfall(caller({ acr: 'aal2' }), { acr: 'aal2', maxAge: 10 }, NOW)?.details,
    ).toEqual(expect.objectContaining({ maxAge: 10 }));
    expect(
      authenticationShortfall(caller(), { acr: 'aal2', maxAge: 10 }, NOW)?.details,
    ).toMatchObject({ acrValues: 'aal2', maxAge: 10 });
  });

  it('takes a caller made by hand, without the claims, as one factor of unknown age', () => {
    const bare = caller({ authTime: undefined, acr: undefined });

    expect(authenticationShortfall(bare, { acr: 'aal2' }, NOW)).toBeDefined();
    expect(authenticationShortfall(bare, { maxAge: 300 }, NOW)).toBeDefined();
  });
});
