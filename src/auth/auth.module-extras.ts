import { type DynamicModule, type Type } from '@nestjs/common';
import { GUARDS_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { APP_GUARD, ModuleRef } from '@nestjs/core';
import { AccountController } from './http/controllers/account.controller';
import { AccountDeletionController } from './http/controllers/account-deletion.controller';
import { AuthController } from './http/controllers/auth.controller';
import { RegistrationController } from './http/controllers/registration.controller';
import { SessionsController } from './http/controllers/sessions.controller';
import { AccessTokenGuard } from './http/guards/access-token.guard';
import { JsonBodyGuard } from './http/guards/json-body.guard';
import { RefreshCookieCsrfGuard } from './http/guards/refresh-cookie-csrf.guard';
import { RolesGuard } from './http/guards/roles.guard';
import { typeormStores } from './auth.adapters';
import { AUTH_GLOBAL_GUARD } from './http/guards/global-guard.token';
import { openApiTagsOf, setOpenApiTags } from './http/openapi';
import {
  AUTH_PRUNABLES,
  type AuthFeature,
  assertUniqueFeatures,
  type FeatureParts,
  type PrunableStore,
  type ResolvedPrunable,
} from './core/auth-feature';
import { AUTH_HOOKS, type AuthHooks } from './core/hooks/hooks';
import {
  CORE_USER_STORE_METHODS,
  USER_ADMINISTRATION_METHODS,
  USER_STORE,
  type UserStore,
  type UserStoreNeed,
  userStoreProblems,
} from './core/model/user-store.port';
import { REGISTRATION_PROFILE } from './http/dto/register-profile';
import { accountMail } from './features/account-mail/account-mail.feature';
import { administration } from './features/administration';
import { jwks } from './features/jwks';
import { throttling } from './features/throttling/throttling.feature';

/** Which optional groups of routes to mount; each defaults to true. Login, refresh and logout are always there. */
export interface AuthRoutes {
  /** `POST /register`. Turn off when users are created by other means (invitations, an admin, SSO). */
  registration?: boolean;
  /** `GET /me` and `POST /password`. */
  account?: boolean;
  /**
   * `DELETE /account` (the caller deletes their own account). Default: as `account`. It needs a user store with the
   * administration methods (`setRoles`, `setDisabled`, `delete`): a host store without them turns it off.
   */
  accountDeletion?: boolean;
  /** `GET /sessions` and `DELETE /sessions/:id`. */
  sessions?: boolean;
}

/** Which built-in TypeORM stores to register; each defaults to true in this object form. */
export interface TypeOrmStores {
  /** The user store: `TypeOrmUserStoreModule` and the `auth_users` entity. False when the options bring a `userStore`. */
  users?: boolean;
  /**
   * The session store: the `auth_sessions` and `auth_refresh_tokens` entities. False when the options bring a
   * `sessionStore`.
   */
  sessions?: boolean;
}

/** Which built-in TypeORM stores the module registers, as the `typeorm` extra decided. */
export const BUILT_IN_STORES = Symbol('BuiltInStores');
export type BuiltInStores = Required<TypeOrmStores>;

/** The stores a `typeorm` extra asks for: `true` (or unset) both, `false` none, an object each as it says. */
export function builtInStores(typeorm: AuthModuleExtras['typeorm']): BuiltInStores {
  if (typeof typeorm === 'object') {
    return { users: typeorm.users !== false, sessions: typeorm.sessions !== false };
  }
  return { users: typeorm !== false, sessions: typeorm !== false };
}

/**
 * Settings of `AuthModule.forRoot` / `forRootAsync` that shape the module itself (routes, providers), so they are
 * given directly, never through `useFactory`.
 * @example `AuthModule.forRootAsync({ routePrefix: 'identity', globalGuard: false, inject: [...], useFactory })`
 */
export interface AuthModuleExtras {
  /** Register the module globally, so feature modules can inject `AuthService` without importing it. Default false. */
  isGlobal?: boolean;
  /** Path prefix of the module's routes. Default `auth`. */
  routePrefix?: string;
  /** Which optional route groups to mount. Default: all. */
  routes?: AuthRoutes;
  /**
   * Protect every route of the app with the access-token guard (and `@Roles` checks) unless marked `@Public()`.
   * Default true. When false, the module's own routes stay protected, and the host applies `AccessTokenGuard` and
   * `RolesGuard` where it wants them.
   */
  globalGuard?: boolean;
  /**
   * Which built-in TypeORM stores to register on the host's data source (which must load their entities, e.g.
   * `autoLoadEntities: true`, and the schema: see `authMigrations`): `true` both, `false` none, or
   * `{ users?: boolean; sessions?: boolean }`. Only what is registered brings its module and entities: with
   * `{ users: false }` there is no `TypeOrmUserStoreModule` and no `auth_users` entity.
   *
   * Default with `forRoot`: the built-in store for each store the options leave out (`userStore`, `sessionStore`).
   * Default with `forRootAsync`: true, since the options come later from `useFactory`; a host whose factory returns
   * a `userStore` or `sessionStore` says so here (e.g. `typeorm: { users: false }`), else the boot fails naming it.
   * @example `AuthModule.forRootAsync({ typeorm: { users: false }, inject: [MyUsers], useFactory })`
   */
  typeorm?: boolean | TypeOrmStores;
  /**
   * The capabilities beyond sessions, each one entry: `accountMail({...})`, `administration()`, `jwks()`. A feature
   * left out adds no route, table, provider or background work. Default (the key left out): all three with their
   * defaults, as {@link defaultFeatures}; `[]` for sessions alone.
   * @example `features: [accountMail({ smtpUrl: process.env.SMTP_URL }), jwks()]`
   */
  features?: readonly AuthFeature[];
  /**
   * The OpenAPI tag of the module's routes (with @nestjs/swagger). A feature's own tag is put after it, so that it
   * cannot meet a tag of the host's: with the default, the administration routes are tagged `auth admin`, not
   * `admin`. Default `auth`.
   */
  openApiTag?: string;
  /**
   * The host's implementations of {@link AuthHooks} (custom access-token claims, public-user fields, a second factor
   * decided at login, ...): classes the host provides in its own modules (they may inject the host's services), run
   * after the features' hooks, in this order. A class no module provides stops the boot naming it.
   * @example `hooks: [TenantClaims]` with `providers: [TenantClaims]` in the host's module
   */
  hooks?: readonly Type<AuthHooks>[];
  /**
   * A class-validator class of the profile `POST /register` accepts under `profile` (`{ email, password, profile:
   * { displayName } }`): validated with the module's rules (unknown fields refused, a missing required field named),
   * then handed, as an instance of the class, to the `userRegistered` hooks, which keep it. Without it, `profile`
   * is refused as any unknown field.
   */
  registrationProfile?: Type;
}

/**
 * The features a registration gets when it names none: the per-client limit, account mail, administration and JWKS,
 * with their defaults.
 */
export function defaultFeatures(): AuthFeature[] {
  return [throttling(), accountMail(), administration(), jwks()];
}

/** Adds to the module what its extras ask for: controllers under the prefix, guards, the stores, the features. */
export function applyExtras(definition: DynamicModule, extras: AuthModuleExtras): DynamicModule {
  const { routePrefix = 'auth', routes = {}, globalGuard = true, openApiTag = 'auth' } = extras;
  const builtIn = builtInStores(extras.typeorm);
  // Loaded only when a built-in store is asked for: a host with stores of its own installs no TypeORM.
  const stores = builtIn.users || builtIn.sessions ? typeormStores()(builtIn) : undefined;
  const features = extras.features ?? defaultFeatures();
  assertUniqueFeatures(features);
  // A feature with tables puts them on the data source a built-in store uses, if any.
  const parts = features.map((feature) =>
    feature.parts({
      typeorm: builtIn.users || builtIn.sessions,
      routePrefix: routePrefix.replace(/^\/+|\/+$/g, ''),
    }),
  );
  const all = <K extends keyof FeatureParts>(key: K) =>
    parts.flatMap((part) => (part[key] ?? []) as NonNullable<FeatureParts[K]>[number][]);
  const hookClasses = all('hooks');
  const hostHooks = extras.hooks ?? [];
  const prunables = all('prunables');
  const deletion = routes.accountDeletion ?? routes.account !== false;
  const userStoreNeeds: UserStoreNeed[] = [
    { who: 'the module', methods: CORE_USER_STORE_METHODS },
    ...(deletion
      ? [
          {
            who: 'DELETE /account',
            methods: USER_ADMINISTRATION_METHODS,
            otherwise: 'turn the route off (routes: { accountDeletion: false })',
          },
        ]
      : []),
    ...features.map((feature, index) => ({
      who: `the ${feature.id} feature`,
      methods: parts[index].userStoreMethods ?? [],
      otherwise: 'leave the feature out',
    })),
  ];
  const controllers: Type[] = [
    AuthController,
    ...(routes.registration === false ? [] : [RegistrationController]),
    ...(routes.account === false ? [] : [AccountController]),
    ...(deletion ? [AccountDeletionController] : []),
    ...(routes.sessions === false ? [] : [SessionsController]),
    ...all('controllers'),
  ].map((controller) => mounted(controller, routePrefix, !globalGuard, openApiTag));
  return {
    ...definition,
    global: extras.isGlobal,
    imports: [...(definition.imports ?? []), ...(stores?.imports ?? []), ...all('imports')],
    // Root controllers (RFC 8615 well-known URIs) stay where verifiers look, outside the prefix.
    controllers: [
      ...(definition.controllers ?? []),
      ...controllers,
      ...all('rootControllers').map((controller) => retagged(controller, openApiTag)),
    ],
    providers: [
      ...(definition.providers ?? []),
      { provide: BUILT_IN_STORES, useValue: builtIn },
      { provide: AUTH_GLOBAL_GUARD, useValue: globalGuard },
      ...(stores?.providers ?? []),
      ...all('providers'),
      {
        // A function, read once every provider exists: a hook class may depend on what runs the hooks
        // (AuthService). The host's classes live in its own modules: looked up app-wide.
        provide: AUTH_HOOKS,
        inject: [ModuleRef],
        useFactory: (moduleRef: ModuleRef) => (): AuthHooks[] => [
          ...hookClasses.map((type) => moduleRef.get<AuthHooks>(type)),
          ...hostHooks.map((type) => hostHook(moduleRef, type)),
        ],
      },
      {
        // Checked at boot: a store lacking what the registration calls stops it in one line, not at a request.
        provide: USER_STORE_CHECK,
        inject: [USER_STORE],
        useFactory: (users: UserStore) => {
          const problems = userStoreProblems(users, userStoreNeeds);
          if (problems.length > 0) throw new Error(`AuthModule: ${problems.join('; ')}`);
          return true;
        },
      },
      ...(extras.registrationProfile === undefined
        ? []
        : [{ provide: REGISTRATION_PROFILE, useValue: extras.registrationProfile }]),
      {
        provide: AUTH_PRUNABLES,
        inject: prunables.map((prunable) => prunable.store),
        useFactory: (...stores: PrunableStore[]): ResolvedPrunable[] =>
          stores.map((store, index) => ({ what: prunables[index].what, store })),
      },
      // useExisting, so a test can replace the guard with `overrideProvider(AccessTokenGuard)`.
      ...(globalGuard
        ? [
            { provide: APP_GUARD, useExisting: AccessTokenGuard },
            { provide: APP_GUARD, useExisting: RolesGuard },
          ]
        : []),
    ],
    exports: [...(definition.exports ?? []), ...all('exports')],
  };
}

/** Whether the user store has what the registration calls (checked when the module is built). */
const USER_STORE_CHECK = Symbol('UserStoreCheck');

/**
 * The instance of a host's hook class, wherever the host provides it.
 * @throws Error naming the class when no module provides it.
 */
function hostHook(moduleRef: ModuleRef, type: Type<AuthHooks>): AuthHooks {
  try {
    return moduleRef.get<AuthHooks>(type, { strict: false });
  } catch {
    throw new Error(
      `AuthModule: the hooks extra names ${type.name}, which no module provides: list it in your module's providers`,
    );
  }
}

/**
 * A subclass of `controller` mounted at `prefix`, guarded by the module's own guards when no global guard does it,
 * by the CSRF check of cookie transport, and by the JSON-only rule of bodies (whatever the host's body parsers).
 * Route metadata lives on the inherited methods, so the subclass serves the same routes.
 */
function mounted(controller: Type, prefix: string, guardItself: boolean, tag: string): Type {
  const subclass = retagged(controller, tag);
  Reflect.defineMetadata(PATH_METADATA, prefix, subclass);
  // The CSRF check of cookie transport comes after the access guard when that one is global.
  const guards = guardItself ? [AccessTokenGuard, RolesGuard] : [];
  Reflect.defineMetadata(
    GUARDS_METADATA,
    [...guards, RefreshCookieCsrfGuard, JsonBodyGuard],
    subclass,
  );
  return subclass;
}

/**
 * A subclass of `controller` whose OpenAPI tags are the module's `tag`, a feature's own tag put after it (`auth` ->
 * `tag`, `admin` -> `tag admin`). Route metadata lives on the inherited methods, so the subclass serves the same routes.
 */
function retagged(controller: Type, tag: string): Type {
  const subclass = class extends controller {};
  Object.defineProperty(subclass, 'name', { value: controller.name });
  const tags = openApiTagsOf(controller).map((own) => (own === 'auth' ? tag : `${tag} ${own}`));
  setOpenApiTags(subclass, [...new Set(tags)]);
  return subclass;
}
