import { loadOptional } from '../../core/optional-package';
import { InMemoryPasskeyStore } from './in-memory-passkey.store';
import { PASSKEY_STORE, type PasskeyStore } from './passkey-store.port';
import { PasskeysController } from './passkeys.controller';
import { PasskeysHooks } from './passkeys.hooks';
import { PASSKEYS_OPTIONS, type ResolvedPasskeysOptions } from './passkeys.options';
import { PasskeysService } from './passkeys.service';
import { assertWebAuthnInstalled } from './webauthn';
import type { FeatureContext, FeatureParts } from '../../core/auth-feature';

/** The TypeORM side of the feature, loaded only when it is used (TypeORM is an optional peer). */
export function typeormSide(): typeof import('./typeorm/passkeys-typeorm') {
  return loadOptional(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('./typeorm/passkeys-typeorm') as typeof import('./typeorm/passkeys-typeorm'),
    ['typeorm', '@nestjs/typeorm'],
    'passkeys on the built-in TypeORM stores',
    'give passkeys a store of your own',
  );
}

/** The passkeys feature's Nest parts: this file loads only when a host registers the feature. */
export function passkeysParts(
  resolved: ResolvedPasskeysOptions,
  { typeorm }: FeatureContext,
): FeatureParts {
  assertWebAuthnInstalled();
  const side =
    typeorm && resolved.store === undefined ? typeormSide().passkeysTypeormParts() : undefined;
  return {
    imports: side?.imports ?? [],
    providers: [
      { provide: PASSKEYS_OPTIONS, useValue: resolved },
      ...(side ? [side.store] : []),
      {
        provide: PASSKEY_STORE,
        inject: side ? [side.store] : [],
        useFactory: (store?: PasskeyStore) => resolved.store ?? store ?? new InMemoryPasskeyStore(),
      },
      PasskeysService,
      PasskeysHooks,
    ],
    controllers: [PasskeysController],
    exports: [PasskeysService, PASSKEY_STORE],
    hooks: [PasskeysHooks],
    prunables: [{ what: 'passkey challenges', store: PASSKEY_STORE }],
  };
}
