import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import { SecretSeal } from './secret-seal';
import {
  RECENT_AUTHENTICATION,
  ROLE_AUTH_REQUIREMENTS,
  type RoleAuthRequirements,
} from '../../core/step-up';
import { InMemoryMfaStore } from './in-memory-mfa.store';
import { MfaChallengeTokens } from './mfa-challenge.tokens';
import { MfaController } from './mfa.controller';
import { MfaHooks } from './mfa.hooks';
import { MFA_OPTIONS, type ResolvedMfaOptions } from './mfa.options';
import { MfaService } from './mfa.service';
import { loadOptional } from '../../core/optional-package';
import { MFA_STORE, type MfaStore } from './mfa-store.port';
import type { FeatureContext, FeatureParts } from '../../core/auth-feature';

/** The TypeORM side of the feature, loaded only when it is used (TypeORM is an optional peer). */
export function typeormSide(): typeof import('./typeorm/mfa-typeorm') {
  return loadOptional(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('./typeorm/mfa-typeorm') as typeof import('./typeorm/mfa-typeorm'),
    ['typeorm', '@nestjs/typeorm'],
    'mfa on the built-in TypeORM stores',
    'give mfa a store of your own',
  );
}

/** The the second factor feature's Nest parts: this file loads only when a host registers the feature. */
export function mfaParts(resolved: ResolvedMfaOptions, { typeorm }: FeatureContext): FeatureParts {
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
}
