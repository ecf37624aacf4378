import type { ResolvedAuthOptions } from './options/auth.options';
import { LastActiveHolderError, type UserStore } from './model/user-store.port';
import { StoreContract } from './store-contract';
import { InMemorySessionStore } from '../testing/in-memory-session.store';
import { InMemoryUserStore } from '../testing/in-memory-user.store';

/** A host's user store written before `keep`: TypeScript accepts it, the last admin would not be kept. */
class KeeplessUserStore extends InMemoryUserStore {
  override setRoles(id: string, roles: string[]): Promise<void> {
    return super.setRoles(id, roles);
  }
}

describe('StoreContract (what a host store must do, checked at boot)', () => {
  const options = (pruneInterval: number) => ({ pruneInterval }) as ResolvedAuthOptions;
  const sessions = () => new InMemorySessionStore();
  const check = (users: UserStore, pruneInterval = 3600, prunables = [] as never[]) =>
    new StoreContract(options(pruneInterval), users, sessions(), prunables).onModuleInit();

  it('accepts the in-memory stores of nest-session-auth/testing', () => {
    expect(() => check(new InMemoryUserStore())).not.toThrow();
  });

  it('refuses, in one line naming it, a user store whose setRoles takes no keep', () => {
    expect(() => check(new KeeplessUserStore())).toThrow(
      /^AuthModule: KeeplessUserStore\.setRoles takes no keep: declare setRoles\(id, roles, keep\?: KeepActiveHolder\)[^\n]*$/,
    );
  });

  it('refuses a store listed for pruning without pruneExpired while pruning is on, and not when it is off', () => {
    const mailStore = { find: () => undefined };
    const prunables = [{ what: 'mail tokens', store: mailStore }] as never[];

    expect(() => check(new InMemoryUserStore(), 3600, prunables)).toThrow(
      /^AuthModule: the store \(the store of mail tokens\) has no pruneExpired\(now, limit\)[^\n]*$/,
    );
    expect(() => check(new InMemoryUserStore(), 0, prunables)).not.toThrow();
  });

  it('the in-memory user store honours keep: the last active admin is neither demoted nor disabled', async () => {
    const users = new InMemoryUserStore();
    const admin = await users.create({
      email: 'admin@example.com',
      passwordHash: 'x',
      roles: ['admin'],
      createdAt: new Date(),
    });
    const keep = { role: 'admin' };

    await expect(users.setRoles(admin.id, ['user'], keep)).rejects.toBeInstanceOf(
      LastActiveHolderError,
    );
    await expect(users.setDisabled(admin.id, true, keep)).rejects.toBeInstanceOf(
      LastActiveHolderError,
    );
    expect(await users.findById(admin.id)).toMatchObject({ roles: ['admin'] });
    expect((await users.findById(admin.id))?.disabled ?? false).toBe(false);
  });
});
