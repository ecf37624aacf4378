import { SERVER_FEATURE_NAMES, type ServerFeatureName } from './config/app-config';
import {
  accountMail,
  type AccountMailOptions,
  administration,
  type AuthFeature,
  jwks,
  mfa,
  type MfaOptions,
} from './auth';
import { realtime, type RealtimeOptions } from './auth/features/realtime';

/**
 * The module's features the reference server registers: those `AUTH_FEATURES` names, all of them by default. One
 * list for `AuthModule` and for the data source's entities and migrations, so the two cannot disagree.
 */
export function serverFeatures(
  mail: AccountMailOptions = {},
  names: readonly ServerFeatureName[] = SERVER_FEATURE_NAMES,
  secondFactor: MfaOptions = {},
  connections: RealtimeOptions = {},
): AuthFeature[] {
  const factories: Record<ServerFeatureName, () => AuthFeature> = {
    'account-mail': () => accountMail(mail),
    administration: () => administration(),
    jwks: () => jwks(),
    realtime: () => realtime(connections),
    mfa: () => mfa(secondFactor),
  };
  return names.map((name) => factories[name]());
}
