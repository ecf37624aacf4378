import { Inject, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { AUTH_PRUNABLES, type ResolvedPrunable } from './model/prunable-store.port';
import { SESSION_STORE, type SessionStore } from './model/session-store.port';
import { USER_STORE, type UserAdministrationStore, type UserStore } from './model/user-store.port';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from './options/auth.options';

/**
 * What a store must do that TypeScript does not check, checked once at boot (docs/stores.md), each failure
 * one line naming the store and the method:
 * - `UserStore.setRoles(id, roles, keep)` and `setDisabled(id, disabled, keep)` take `keep` and refuse, in the same
 *   write, to leave no active holder of `keep.role` (the last admin). A class may declare a method with fewer
 *   parameters than its interface's, so a store written before `keep` compiles and silently lets the last admin go:
 *   a method declared with exactly two parameters is refused (one taking `...args` is trusted).
 * - With pruning on (`pruneInterval` > 0), the session store and every feature's store listed for pruning
 *   (`FeatureParts.prunables`) have `pruneExpired(now, limit)`; without it their dead records would pile up for
 *   ever. `pruneInterval: 0` says the host prunes them itself.
 * @throws Error at boot, one line per the first store that falls short.
 */
@Injectable()
export class StoreContract implements OnModuleInit {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(USER_STORE) private readonly users: UserStore,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
    @Optional()
    @Inject(AUTH_PRUNABLES)
    private readonly prunables: readonly ResolvedPrunable[] = [],
  ) {}

  onModuleInit(): void {
    for (const method of ['setRoles', 'setDisabled'] as const) {
      // A store without the administration methods is checked by the features that need them, at boot too.
      const write = (this.users as Partial<UserAdministrationStore>)[method];
      if (write !== undefined && write.length === 2) {
        throw new Error(
          `AuthModule: ${nameOf(this.users)}.${method} takes no keep: declare ${method}(id, ${method === 'setRoles' ? 'roles' : 'disabled'}, keep?: KeepActiveHolder) and refuse, in the same write, to leave no active user holding keep.role (docs/stores.md)`,
        );
      }
    }
    if (this.options.pruneInterval === 0) return;
    const stores = [{ what: 'sessions', store: this.sessions }, ...this.prunables];
    for (const { what, store } of stores) {
      if (typeof store.pruneExpired !== 'function') {
        throw new Error(
          `AuthModule: ${nameOf(store)} (the store of ${what}) has no pruneExpired(now, limit): implement it (docs/stores.md), or set pruneInterval: 0 and prune them yourself`,
        );
      }
    }
  }
}

function nameOf(store: object): string {
  return store.constructor?.name && store.constructor.name !== 'Object'
    ? store.constructor.name
    : 'the store';
}
