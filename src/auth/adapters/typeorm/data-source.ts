import type { DynamicModule, FactoryProvider, Provider, Type } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The host's default data source, checked: where the module's built-in TypeORM parts take it from. */
export const AUTH_DATA_SOURCE = Symbol('AuthDataSource');

/** Why the boot stops when the host registered no data source for the built-in stores. */
export const MISSING_DATA_SOURCE =
  "AuthModule: the built-in TypeORM stores need the app's data source: add TypeOrmModule.forRoot({ ... }) (or forRootAsync) to your app module's imports, or give userStore and sessionStore of your own with the typeorm extra set to false";

/** The data source, or the boot's one-line error instead of Nest's dependency error naming a store. */
function checked(dataSource: DataSource | undefined): DataSource {
  if (dataSource === undefined) throw new Error(MISSING_DATA_SOURCE);
  return dataSource;
}

/** {@link AUTH_DATA_SOURCE}, for the module that holds a built-in store. */
export function authDataSourceProvider(): Provider {
  return {
    provide: AUTH_DATA_SOURCE,
    inject: [{ token: getDataSourceToken(), optional: true }],
    useFactory: checked,
  };
}

/** `store` made from the checked data source (its constructor takes the DataSource). */
export function storeProvider<T>(store: Type<T> & (new (dataSource: DataSource) => T)): Provider {
  return {
    provide: store,
    inject: [AUTH_DATA_SOURCE],
    useFactory: (dataSource: DataSource) => new store(dataSource),
  };
}

/**
 * `TypeOrmModule.forFeature(entities)` (which also registers them for `autoLoadEntities`), its repositories taking
 * the data source through the same check, so that a missing one gives the same line whichever part Nest builds first.
 */
export function checkedForFeature(entities: Type[]): DynamicModule {
  const feature = TypeOrmModule.forFeature(entities);
  const providers = (feature.providers ?? []).map((provider) => {
    const factory = provider as FactoryProvider<unknown>;
    return {
      ...factory,
      inject: [{ token: getDataSourceToken(), optional: true }],
      useFactory: (dataSource?: DataSource) => factory.useFactory(checked(dataSource)),
    };
  });
  return { ...feature, providers };
}
