import type { AuthFeature } from '../../core/auth-feature';
import { loadOptional } from '../../core/optional-package';
import { InMemoryPasskeyStore } from './in-memory-passkey.store';
import { PASSKEY_STORE, type PasskeyStore } from './passkey-store.port';
import { PasskeysController } from './passkeys.controller';
import './passkeys.errors';
import { PasskeysHooks } from './passkeys.hooks';
import { type PasskeysOptions, PASSKEYS_OPTIONS, resolvePasskeysOptions } from './passkeys.options';
import { PasskeysService } from './passkeys.service';
import { assertWebAuthnInstalled } from './webauthn';

/** The TypeORM side of the feature, loaded only when it is used (TypeORM is an optional peer). */
function typeormSide(): typeof import('./typeorm/passkeys-typeorm') {
  return loadOptional(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('./typeorm/passkeys-typeorm') as typeof import('./typeorm/passkeys-typeorm'),
    ['typeorm', '@nestjs/typeorm'],
    'passkeys on the built-in TypeORM stores',
    'give passkeys a store of your own',
  );
}

/**
 * Passkeys (CONTRACT 4.16, WebAuthn Level 3): registration behind a recent authentication, list, rename and delete
 * under `<prefix>/passkeys`, passwordless login with a discoverable credential, and a passkey as the second factor of
 * a login's challenge and of `POST <prefix>/reauthenticate` (those routes are the `mfa()` feature's: register it too
 * for that; a user holding a passkey then has a second factor).
 *
 * Passkeys and ceremony challenges live in the tables `auth_passkeys` and `auth_passkey_challenges` on the host's
 * data source when a built-in TypeORM store is registered (a ceremony started on one instance finishes on another),
 * else in process, or in `store`. `@simplewebauthn/server` (an optional peer: install it with the feature; Node.js 22+)
 * is loaded at the first ceremony; missing, the boot stops with one line saying so.
 * @throws Error at once, naming each bad or unknown option (an RP ID that is not a registrable suffix of every
 * origin's host among them).
 * @example `features: [mfa(), passkeys({ rpId: 'example.com', origins: ['https://app.example.com'] })]`
 */
export function passkeys(options: PasskeysOptions = {}): AuthFeature {
  const resolved = resolvePasskeysOptions(options);
  return {
    id: 'passkeys',
    typeormSchema: () => typeormSide().passkeysSchema,
    parts: ({ typeorm }) => {
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
            useFactory: (store?: PasskeyStore) =>
              resolved.store ?? store ?? new InMemoryPasskeyStore(),
          },
          PasskeysService,
          PasskeysHooks,
        ],
        controllers: [PasskeysController],
        exports: [PasskeysService, PASSKEY_STORE],
        hooks: [PasskeysHooks],
        prunables: [{ what: 'passkey challenges', store: PASSKEY_STORE }],
      };
    },
  };
}
