import type { DynamicModule, Provider } from '@nestjs/common';
import { authDataSourceProvider, checkedForFeature, storeProvider } from './data-source';
import { BUILT_IN_SESSION_STORE, BUILT_IN_USER_STORE } from '../../core/built-in-stores';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SessionEntity } from './session.entity';
import { TypeOrmSessionStore } from './typeorm-session.store';
import { TypeOrmUserStoreModule } from './typeorm-user-store.module';
import { TypeOrmUserStore } from './typeorm-user.store';

/**
 * The Nest parts of the built-in TypeORM stores the module registers: the entities' `forFeature` and the stores,
 * bound to the core's built-in store tokens. Loaded by the composition root only when a built-in store is asked
 * for, so that a host with stores of its own needs neither `typeorm` nor `@nestjs/typeorm`.
 */
export function typeormStoreParts(stores: { users: boolean; sessions: boolean }): {
  imports: DynamicModule[];
  providers: Provider[];
} {
  return {
    imports: [
      ...(stores.sessions ? [checkedForFeature([SessionEntity, RefreshTokenEntity])] : []),
      ...(stores.users ? [TypeOrmUserStoreModule.register()] : []),
    ],
    providers: [
      ...(stores.sessions
        ? [
            authDataSourceProvider(),
            storeProvider(TypeOrmSessionStore),
            { provide: BUILT_IN_SESSION_STORE, useExisting: TypeOrmSessionStore },
          ]
        : []),
      ...(stores.users ? [{ provide: BUILT_IN_USER_STORE, useExisting: TypeOrmUserStore }] : []),
    ],
  };
}
