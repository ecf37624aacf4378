import { hookFields } from './hook-fields';
import type { AuthHooks } from './hooks';
import type { UserRecord } from '../model/user-store.port';

const USER: UserRecord = {
  id: 'user-1',
  email: 'ada@example.com',
  passwordHash: 'not-a-hash',
  roles: ['user'],
  createdAt: new Date(0),
};

class TenantClaims implements AuthHooks {
  constructor(private readonly answer: unknown) {}
  accessTokenClaims(): Record<string, unknown> {
    return this.answer as Record<string, unknown>;
  }
  publicUserFields(): Record<string, unknown> {
    return this.answer as Record<string, unknown>;
  }
}

describe('hookFields', () => {
  it('merges the answers in order, a later name winning, and answers undefined when none gives any', async () => {
    const hooks = [
      new TenantClaims({ tenant: 'a', plan: 'free' }),
      new TenantClaims({ plan: 'gold' }),
    ];
    await expect(hookFields('accessTokenClaims', hooks, USER)).resolves.toEqual({
      tenant: 'a',
      plan: 'gold',
    });
    await expect(
      hookFields('accessTokenClaims', [new TenantClaims(undefined)], USER),
    ).resolves.toBe(undefined);
  });

  it.each([
    'sub',
    'sid',
    'iss',
    'aud',
    'exp',
    'iat',
    'nbf',
    'jti',
    'typ',
    'auth_time',
    'amr',
    'acr',
    'roles',
    'gen',
    'email',
  ])('refuses the reserved claim %s, naming the hook and the claim', async (claim) => {
    await expect(
      hookFields('accessTokenClaims', [new TenantClaims({ tenant: 'a', [claim]: 'x' })], USER),
    ).rejects.toThrow(`the accessTokenClaims hook of TenantClaims gave the claim ${claim},`);
  });

  it('refuses a __proto__ key as JSON.parse makes it (an own key)', async () => {
    const answer: unknown = JSON.parse('{"__proto__": {"roles": ["admin"]}}');
    await expect(hookFields('accessTokenClaims', [new TenantClaims(answer)], USER)).rejects.toThrow(
      'gave the claim __proto__',
    );
  });

  it.each(['id', 'email', 'emailVerified', 'roles', 'createdAt', 'disabled', 'passwordHash'])(
    'refuses the public-user field %s',
    async (field) => {
      await expect(
        hookFields('publicUserFields', [new TenantClaims({ [field]: 'x' })], USER),
      ).rejects.toThrow(`the publicUserFields hook of TenantClaims gave the field ${field},`);
    },
  );

  it.each([[null], [['a']], ['text'], [new Date(0)]])(
    'refuses an answer that is no plain object: %p',
    async (answer) => {
      await expect(
        hookFields('publicUserFields', [new TenantClaims(answer)], USER),
      ).rejects.toThrow('answer a plain object or undefined');
    },
  );
});
