import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import { SecretSeal } from './secret-seal';
import {
  RECENT_AUTHENTICATION,
  ROLE_AUTH_REQUIREMENTS,
  type RoleAuthRequirements,
} from '../../core/step-up';
import type { AuthFeature } from '../../core/auth-feature';
import { InMemoryMfaStore } from './in-memory-mfa.store';
import { MfaChallengeTokens } from './mfa-challenge.tokens';
import { MfaController } from './mfa.controller';
import './mfa.errors';
import { MfaHooks } from './mfa.hooks';
import { type MfaOptions, MFA_OPTIONS, resolveMfaOptions } from './mfa.options';
import { MfaService } from './mfa.service';
import { loadOptional } from '../../core/optional-package';
import { MFA_STORE, type MfaStore } from './mfa-store.port';

/** The TypeORM side of the feature, loaded only when it is used (TypeORM is an optional peer). */
function typeormSide(): typeof import('./typeorm/mfa-typeorm') {
  return loadOptional(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('./typeorm/mfa-typeorm') as typeof import('./typeorm/mfa-typeorm'),
    ['typeorm', '@nestjs/typeorm'],
    'mfa on the built-in TypeORM stores',
    'give mfa a store of your own',
  );
}

/**
 * The second factor and step-up (CONTRACT 4.15): TOTP (RFC 6238) with recovery codes, a login's challenge
 * (`{ mfaRequired, mfaToken, methods }`) met at `POST <prefix>/mfa/verify`, re-authentication at
 * `POST <prefix>/reauthenticate`, and an admin's `DELETE <prefix>/admin/users/:id/mfa`. Access tokens then carry
 * `acr` `aal2`, which `@RequireAuth({ acr: 'aal2' })` asks for.
 *
 * Its state lives in the tables `auth_mfa_totp`, `auth_mfa_recovery_codes`, `auth_mfa_challenges` and
 * `auth_mfa_devices` (on the host's data source when a built-in TypeORM store is registered; else in process, or in
 * `store`). With `mode: 'off'` it adds no route and asks no login for a second factor.
 * @throws Error at once, naming each bad or unknown option.
 * @example `features: [mfa({ encryptionKey: process.env.MFA_ENCRYPTION_KEY })]`
 */
export function mfa(options: MfaOptions = {}): AuthFeature {
  const resolved = resolveMfaOptions(options);
  return {
    id: 'mfa',
    typeormSchema: () => typeormSide().mfaSchema,
    parts: ({ typeorm }) => {
      if (resolved.mode === 'off') return {};
      const side =
        typeorm && resolved.store === undefined ? typeormSide().mfaTypeormParts() : undefined;
      return {
        imports: side?.imports ?? [],
        providers: [
          { provide: MFA_OPTIONS, useValue: resolved },
          ...(side ? [side.store] : []),
          {
            provide: MFA_STORE,
            inject: side ? [side.store] : [],
            useFactory: (store?: MfaStore) => resolved.store ?? store ?? new InMemoryMfaStore(),
          },
          {
            provide: SecretSeal,
            inject: [AUTH_OPTIONS],
            // Without a key of its own (development), one derived from a secret every instance shares.
            useFactory: (auth: ResolvedAuthOptions) =>
              new SecretSeal(resolved.encryptionKey ?? `mfa:${auth.jwtRefreshSecret}`),
          },
          {
            provide: ROLE_AUTH_REQUIREMENTS,
            useValue: Object.fromEntries(
              resolved.requiredRoles.map((role) => [role, { acr: 'aal2' }]),
            ) satisfies RoleAuthRequirements,
          },
          { provide: RECENT_AUTHENTICATION, useValue: { maxAge: resolved.stepUpMaxAge } },
          MfaChallengeTokens,
          MfaService,
          MfaHooks,
        ],
        controllers: [MfaController],
        exports: [MfaService, MFA_STORE, MFA_OPTIONS],
        // Expired challenges and devices, spent recovery codes: deleted with the sessions, on the same schedule.
        prunables: [{ what: 'second-factor records', store: MFA_STORE }],
        hooks: [MfaHooks],
      };
    },
  };
}
