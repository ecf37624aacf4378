import { type DynamicModule, Module } from '@nestjs/common';
import { authDataSourceProvider, checkedForFeature, storeProvider } from './data-source';
import { UserEntity } from './user.entity';
import { TypeOrmUserStore } from './typeorm-user.store';

/** The default user store: users in the `auth_users` table of the host's TypeORM data source. */
@Module({})
export class TypeOrmUserStoreModule {
  /**
   * The module with its entity. A method, not static metadata: `TypeOrmModule.forFeature` registers the entity for
   * `autoLoadEntities` as soon as it is called, so it must run only for a host that uses this store.
   */
  static register(): DynamicModule {
    return {
      module: TypeOrmUserStoreModule,
      imports: [checkedForFeature([UserEntity])],
      providers: [authDataSourceProvider(), storeProvider(TypeOrmUserStore)],
      exports: [TypeOrmUserStore],
    };
  }
}
