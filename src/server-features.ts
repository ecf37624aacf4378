import {
  accountMail,
  administration,
  type AuthFeature,
  jwks,
  mfa,
  passkeys,
  throttling,
} from './auth';
import type { AccountMailOptions } from './auth/features/account-mail';
import type { MfaOptions } from './auth/features/mfa';
import type { PasskeysOptions } from './auth/features/passkeys';
import { realtime, type RealtimeOptions } from './auth/features/realtime';
import { SERVER_FEATURE_NAMES, type AppConfig, type ServerFeatureName } from './config/app-config';

/** What the features' options come from; each defaults to the feature's own defaults. */
export interface ServerFeatureSettings {
  mail?: AccountMailOptions;
  mfa?: MfaOptions;
  /** The relying party of passkeys (`WEBAUTHN_*`). */
  passkeys?: PasskeysOptions;
  /** The budgets of long-lived connections (`SOCKET_MESSAGE_*`). */
  realtime?: RealtimeOptions;
  /** `THROTTLE_AUTH_*`; a limit of 0 leaves the throttling feature (and the per-address mail quota) out. */
  throttle?: AppConfig['throttle'];
}

/**
 * The module's features the reference server registers: those `AUTH_FEATURES` names, all of them by default. One
 * list for `AuthModule` and for the data source's entities and migrations, so the two cannot disagree.
 */
export function serverFeatures(
  names: readonly ServerFeatureName[] = SERVER_FEATURE_NAMES,
  settings: ServerFeatureSettings = {},
): AuthFeature[] {
  const limit = settings.throttle ?? { authLimit: 10, authTtl: 60 };
  const perClient =
    limit.authLimit === 0 ? undefined : { limit: limit.authLimit, ttl: limit.authTtl };
  const factories: Record<ServerFeatureName, () => AuthFeature | undefined> = {
    throttling: () => (perClient ? throttling(perClient) : undefined),
    'account-mail': () => accountMail({ ...settings.mail, mailQuota: perClient ?? false }),
    administration: () => administration(),
    jwks: () => jwks(),
    realtime: () => realtime(settings.realtime),
    mfa: () => mfa(settings.mfa),
    passkeys: () => passkeys(settings.passkeys),
  };
  return names.flatMap((name) => factories[name]() ?? []);
}
