import type { Provider } from '@nestjs/common';
import { UsersService } from '../users/users.service';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from './auth.options';
import { CLOCK, type Clock } from './clock/clock';
import { InMemoryRevocationList } from './revocation/in-memory-revocation-list';
import { REVOCATION_LIST } from './revocation/revocation-list.port';
import { SESSION_STORE } from './sessions/session-store.port';
import { TypeOrmSessionStore } from './sessions/typeorm-session.store';
import { USER_STORE } from './user-store.port';

/**
 * The ports, each bound to the store the options name, or else to the default: the TypeORM stores (registered
 * unless the `typeorm` extra is false) and the in-process revocation list.
 */
export const storeProviders: Provider[] = [
  {
    provide: USER_STORE,
    inject: [AUTH_OPTIONS, { token: UsersService, optional: true }],
    useFactory: (options: ResolvedAuthOptions, typeorm?: UsersService) =>
      options.userStore ?? typeorm ?? missingStore('userStore'),
  },
  {
    provide: SESSION_STORE,
    inject: [AUTH_OPTIONS, { token: TypeOrmSessionStore, optional: true }],
    useFactory: (options: ResolvedAuthOptions, typeorm?: TypeOrmSessionStore) =>
      options.sessionStore ?? typeorm ?? missingStore('sessionStore'),
  },
  {
    provide: REVOCATION_LIST,
    inject: [AUTH_OPTIONS, CLOCK],
    useFactory: (options: ResolvedAuthOptions, clock: Clock) =>
      options.revocationList ?? new InMemoryRevocationList(clock),
  },
];

function missingStore(name: string): never {
  throw new Error(`AuthModule: the option ${name} is required when the typeorm extra is false`);
}
