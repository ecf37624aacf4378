import type { HookRunner } from '../hooks/hook-runner';
import type { ManagedUser, PublicUser } from '../model/auth.types';
import type { UserRecord } from '../model/user-store.port';
import { toPublicUser } from './accounts';

/** Where the host's fields of the public user come from (the `publicUserFields` hooks). */
export type UserFieldsSource = Pick<HookRunner, 'addsUserFields' | 'publicUserFields'>;

/**
 * The user as the API shows it, with the fields the hooks add (the module's own fields come last: a hook cannot
 * shadow them, and the runner refuses one that tries).
 */
export async function publicUserOf(user: UserRecord, hooks: UserFieldsSource): Promise<PublicUser> {
  if (!hooks.addsUserFields) return toPublicUser(user);
  return { ...(await hooks.publicUserFields(user)), ...toPublicUser(user) };
}

/** The user as the admin routes show it: {@link publicUserOf}, and whether it is disabled. */
export async function managedUserOf(
  user: UserRecord,
  hooks: UserFieldsSource,
): Promise<ManagedUser> {
  return { ...(await publicUserOf(user, hooks)), disabled: user.disabled === true };
}
