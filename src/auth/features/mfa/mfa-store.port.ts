/** Times are milliseconds since the epoch throughout. */

/** A user's TOTP factor: pending until enabled with a first code. */
export interface TotpFactorRecord {
  userId: string;
  /** The secret, sealed (`SecretSeal`): never stored in the clear. */
  sealedSecret: string;
  createdAt: number;
  /** Null while pending. */
  enabledAt: number | null;
  /** The TOTP step of the last code accepted: a code of that step or an older one is refused (replay). */
  lastUsedStep: number | null;
}

/** A second-factor challenge (the `mfaToken` of a login), by its `jti`. */
export interface ChallengeRecord {
  id: string;
  userId: string;
  expiresAt: number;
  /** Wrong codes presented with it so far. */
  failures: number;
  /** When a correct code spent it. */
  spentAt: number | null;
}

/** A remembered device: its token's keyed hash only. */
export interface RememberedDeviceRecord {
  id: string;
  userId: string;
  tokenHash: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * Where the second factor keeps its state. Every write that decides a race (a TOTP step used, a recovery code used,
 * a challenge spent) is one conditional write, so two instances never both accept one code.
 */
export interface MfaStore {
  findTotp(userId: string): Promise<TotpFactorRecord | null>;
  /** Stores a pending factor, replacing a pending one; an enabled factor is left alone (returns false then). */
  savePendingTotp(userId: string, sealedSecret: string, now: number): Promise<boolean>;
  /**
   * Enables the pending factor with the step of its first code and stores its recovery codes (the old ones void),
   * in one transaction; false when there is no pending factor (enabled meanwhile, or removed).
   */
  enableTotp(
    userId: string,
    step: number,
    recoveryCodeHashes: string[],
    now: number,
  ): Promise<boolean>;
  /**
   * Records that a code of `step` was accepted: only if the factor is enabled and no code of that step or a later
   * one was (`... WHERE last_used_step IS NULL OR last_used_step < ?`). False: a replay.
   */
  useTotpStep(userId: string, step: number): Promise<boolean>;
  /** Removes the factor (pending or enabled) and the recovery codes; returns whether an enabled factor went. */
  removeTotp(userId: string): Promise<boolean>;
  /** Replaces the user's recovery codes. */
  replaceRecoveryCodes(userId: string, hashes: string[], now: number): Promise<void>;
  /** Spends an unused code of the user: false when none has that hash. */
  useRecoveryCode(userId: string, hash: string, now: number): Promise<boolean>;
  countRecoveryCodes(userId: string): Promise<number>;
  /** Stores a new challenge (and may drop expired ones). */
  createChallenge(challenge: Omit<ChallengeRecord, 'failures' | 'spentAt'>): Promise<void>;
  findChallenge(id: string): Promise<ChallengeRecord | null>;
  /** Counts a wrong code; returns the failures now (0 when the challenge is unknown). */
  failChallenge(id: string): Promise<number>;
  /** Spends the challenge if unspent, live at `now` and under `maxFailures`; false otherwise (another won). */
  spendChallenge(id: string, now: number, maxFailures: number): Promise<boolean>;
  rememberDevice(device: RememberedDeviceRecord): Promise<void>;
  /** The live device of that token hash, or null. */
  findDevice(tokenHash: string, now: number): Promise<RememberedDeviceRecord | null>;
  forgetDevices(userId: string): Promise<void>;
  /** Drops the user's TOTP setup if it is still pending (never an enabled factor): its credential epoch ended. */
  dropPendingTotp(userId: string): Promise<void>;
  /**
   * Deletes at most `limit` records dead at `now` (ms): expired challenges, spent recovery codes, expired remembered
   * devices. Returns how many; idempotent (run by the module's pruner, CONTRACT 4.15).
   */
  pruneExpired(now: number, limit: number): Promise<number>;
  /** Everything of the user (a deleted account). */
  forgetUser(userId: string): Promise<void>;
}

/** Injection token of the {@link MfaStore}. */
export const MFA_STORE = Symbol('MfaStore');
