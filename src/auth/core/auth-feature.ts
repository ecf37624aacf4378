import type {
  DynamicModule,
  ForwardReference,
  InjectionToken,
  Provider,
  Type,
} from '@nestjs/common';
import type { AuthHooks } from './hooks/hooks';
import type { OptionalUserStoreMethod } from './model/user-store.port';

export {
  AUTH_PRUNABLES,
  type PrunableStore,
  type ResolvedPrunable,
} from './model/prunable-store.port';

/** What a feature may import: a module class, a dynamic module (e.g. `TypeOrmModule.forFeature([...])`). */
export type FeatureImport = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

/**
 * What the module tells a feature when it is registered: the choices the feature's parts depend on.
 * - `typeorm`: whether a built-in TypeORM store is registered, i.e. whether the host's data source is the module's
 *   (a feature with tables of its own puts them there, else keeps its state in process or in a store the host gives).
 */
export interface FeatureContext {
  readonly typeorm: boolean;
  /** The module's route prefix (the `routePrefix` extra), without slashes at its ends. */
  readonly routePrefix: string;
}

/** A feature's tables: entity classes and migration classes (TypeORM's), see {@link AuthFeature.typeormSchema}. */
export interface FeatureSchema {
  readonly entities: readonly Type[];
  readonly migrations: readonly Type[];
}

/** The Nest parts a feature adds to `AuthModule`. Every list may be empty; nothing is added for a left-out feature. */
export interface FeatureParts {
  /** Modules the feature's providers need (its TypeORM entities' `forFeature`, ...). */
  readonly imports?: readonly FeatureImport[];
  /** Its providers: its options (checked), services, stores, workers, guards, hook classes. */
  readonly providers?: readonly Provider[];
  /**
   * Controllers mounted under the module's route prefix and guarded as the core's are (the access guard, `@Roles`,
   * the CSRF rule of cookie transport).
   */
  readonly controllers?: readonly Type[];
  /** Controllers served at their own absolute paths (RFC 8615 well-known URIs), never under the prefix. */
  readonly rootControllers?: readonly Type[];
  /** What a host may inject from `AuthModule` (a service of the feature, its ports). */
  readonly exports?: readonly InjectionToken[];
  /** Provider classes (listed in `providers` too) whose instances implement some of {@link AuthHooks}. */
  readonly hooks?: readonly Type<AuthHooks>[];
  /**
   * What the feature keeps that dies (spent or expired tokens, ...): each a provider (listed in `providers`, or
   * one the feature imports) the module's pruner runs after the sessions, on the same schedule (`pruneInterval`) and
   * in `SessionPruner.pruneNow()`. The core names no feature: it only calls {@link PrunableStore.pruneExpired}.
   */
  readonly prunables?: readonly FeaturePrunable[];
  /**
   * The methods of the user store beyond the core's ({@link UserStore}) that the feature calls. The module checks
   * the store at boot: one without them stops the boot in one line naming the feature and the methods.
   */
  readonly userStoreMethods?: readonly OptionalUserStoreMethod[];
}

/** One entry of {@link FeatureParts.prunables}: what the store keeps, for the log, and its provider. */
export interface FeaturePrunable {
  /** Plural noun for the log (`mail tokens`). */
  readonly what: string;
  readonly store: InjectionToken;
}

/**
 * A capability beyond sessions (account mail, administration, JWKS, ...): one folder under `features/`, plugged into
 * `AuthModule` by one entry of its `features` list, editing no core file. Built by the feature's factory
 * (`accountMail({...})`, `administration()`, `jwks()`), which checks the feature's options at once.
 * @example `AuthModule.forRoot({ ...options, features: [accountMail({ smtpUrl }), administration(), jwks()] })`
 */
export interface AuthFeature {
  /** Unique among the registered features (kebab-case); the module refuses two features of one id. */
  readonly id: string;
  /**
   * The feature's tables as TypeORM entities and the migrations creating them, for a host's data source
   * (`authEntities(features)` / `authMigrations(features)` of `nest-session-auth/typeorm`). A function, called only
   * there, so that building the feature loads no TypeORM.
   */
  typeormSchema?(): FeatureSchema;
  /** The Nest parts of the feature, given the registration's {@link FeatureContext}. */
  parts(context: FeatureContext): FeatureParts;
}

/**
 * Refuses a feature list that names one feature twice (the second would silently shadow the first's providers).
 * @throws Error naming the duplicated ids.
 */
export function assertUniqueFeatures(features: readonly AuthFeature[]): void {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const { id } of features) (seen.has(id) ? twice : seen).add(id);
  if (twice.size > 0) {
    throw new Error(
      `AuthModule: the features list names ${[...twice].join(', ')} more than once: list each feature once`,
    );
  }
}
