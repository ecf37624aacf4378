/**
 * `nest-session-auth/stores`: what implementing the module's ports takes beyond their interfaces (the main entry has
 * `UserStore`, `SessionStore`, `RevocationList` and their tokens): the user store's methods beyond the core's five,
 * which features and routes declare (`UserAdministrationStore`, `UserListing`, `UserEmailStore`), the records they exchange, the error a user store
 * throws for a taken address, the normalization every store must apply, and the pruner a host may schedule itself.
 */
export {
  type CompleteUserStore,
  EmailTakenError,
  type KeepActiveHolder,
  LastActiveHolderError,
  MAX_USER_ID_LENGTH,
  type NewUser,
  normalizeEmail,
  type UserAdministrationStore,
  type UserEmailStore,
  type UserListing,
  type UserListQuery,
} from './core/model/user-store.port';
export type {
  NewRefreshToken,
  RefreshContext,
  RefreshTokenRecord,
  RevocationReason,
  RotationResult,
  Spender,
} from './core/model/session-store.port';
export type { RevocationListener, RevokedSession } from './core/model/revocation-list.port';
export { SessionPruner } from './core/sessions/session-pruner';
export type { UserPage } from './features/administration/user-pages';
