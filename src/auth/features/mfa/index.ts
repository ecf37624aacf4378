import { TypeOrmModule } from '@nestjs/typeorm';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/auth.options';
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
import { MFA_STORE } from './mfa-store.port';
import { CreateMfaTables1765200000000 } from './typeorm/1765200000000-create-mfa-tables';
import { MFA_ENTITIES } from './typeorm/mfa.entities';
import { TypeOrmMfaStore } from './typeorm/typeorm-mfa.store';

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
    entities: MFA_ENTITIES,
    migrations: [CreateMfaTables1765200000000],
    parts: ({ typeorm }) => {
      if (resolved.mode === 'off') return {};
      const onDataSource = typeorm && resolved.store === undefined;
      return {
        imports: onDataSource ? [TypeOrmModule.forFeature(MFA_ENTITIES)] : [],
        providers: [
          { provide: MFA_OPTIONS, useValue: resolved },
          ...(onDataSource ? [TypeOrmMfaStore] : []),
          {
            provide: MFA_STORE,
            inject: onDataSource ? [TypeOrmMfaStore] : [],
            useFactory: (store?: TypeOrmMfaStore) =>
              resolved.store ?? store ?? new InMemoryMfaStore(),
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
        hooks: [MfaHooks],
      };
    },
  };
}

export type { MfaMode, MfaOptions, ResolvedMfaOptions } from './mfa.options';
export { MFA_OPTIONS };
