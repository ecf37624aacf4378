import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserEntity } from './user.entity';
import { UsersService } from './users.service';

/** The default user store: users in the `auth_users` table of the host's TypeORM data source. */
@Module({})
export class UsersModule {
  /**
   * The module with its entity. A method, not static metadata: `TypeOrmModule.forFeature` registers the entity for
   * `autoLoadEntities` as soon as it is called, so it must run only for a host that uses this store.
   */
  static register(): DynamicModule {
    return {
      module: UsersModule,
      imports: [TypeOrmModule.forFeature([UserEntity])],
      providers: [UsersService],
      exports: [UsersService],
    };
  }
}
