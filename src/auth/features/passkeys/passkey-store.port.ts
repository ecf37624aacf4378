import type { PrunableStore } from '../../core/model/prunable-store.port';

/** `singleDevice`: bound to one authenticator; `multiDevice`: a synced passkey (WebAuthn Level 3 §6.1.3). */
export type PasskeyDeviceType = 'singleDevice' | 'multiDevice';

/** A registered passkey (WebAuthn public-key credential) of a user. Times in ms since the epoch. */
export interface PasskeyRecord {
  /** The server's id (a UUID): what the routes name. */
  id: string;
  userId: string;
  /** The credential ID, base64url: what an assertion names. Unique. */
  credentialId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The last signature counter seen (0 for authenticators that keep none). */
  counter: number;
  /** Transports the authenticator told at registration (`internal`, `hybrid`, `usb`, ...), a hint for the browser. */
  transports: string[];
  /** What the user calls it. */
  name: string;
  /** Whether the credential is backed up (synced) now: the BS flag of its last use. */
  backedUp: boolean;
  deviceType: PasskeyDeviceType;
  createdAt: number;
  lastUsedAt: number | null;
}

/** What a ceremony's challenge is for. */
export type PasskeyCeremony = 'registration' | 'authentication';

/**
 * A ceremony's challenge, stored until its answer comes (on any instance) and spent by deletion. `userId`: whose
 * ceremony it is (registration, a login's second factor); null for a passwordless login (anyone's passkey).
 */
export interface PasskeyChallengeRecord {
  /** The challenge, base64url (its 32 random bytes). */
  challenge: string;
  ceremony: PasskeyCeremony;
  userId: string | null;
  expiresAt: number;
}

/**
 * Where passkeys and ceremony challenges live. The default stores them in the tables `auth_passkeys` and
 * `auth_passkey_challenges` of the host's data source. Every write that decides (a challenge spent, a counter moved
 * on) is conditional, so two instances answering at once cannot both win.
 */
export interface PasskeyStore extends PrunableStore {
  saveChallenge(record: PasskeyChallengeRecord): Promise<void>;
  /**
   * Deletes the challenge and answers it when this call deleted it and it was live at `now`; else undefined (unknown,
   * spent, or expired). Single use: of two calls at once, one gets it.
   */
  takeChallenge(challenge: string, now: number): Promise<PasskeyChallengeRecord | undefined>;
  /** The user's passkeys, oldest first. */
  listPasskeys(userId: string): Promise<PasskeyRecord[]>;
  countPasskeys(userId: string): Promise<number>;
  findByCredentialId(credentialId: string): Promise<PasskeyRecord | undefined>;
  /** Adds a passkey; false when its credential ID is registered already. */
  addPasskey(record: PasskeyRecord): Promise<boolean>;
  /** Renames the user's passkey `id`; false when the user has no such passkey. */
  renamePasskey(userId: string, id: string, name: string): Promise<boolean>;
  /** Removes the user's passkey `id`; false when the user has no such passkey. */
  removePasskey(userId: string, id: string): Promise<boolean>;
  /**
   * Records a use of passkey `id`: its counter moves from `previousCounter` to `counter` (only if it still is
   * `previousCounter`), `backedUp` and `lastUsedAt` are updated. False when the counter moved meanwhile.
   */
  recordUse(
    id: string,
    previousCounter: number,
    use: { counter: number; backedUp: boolean; usedAt: number },
  ): Promise<boolean>;
  /** Removes every passkey of the user; answers how many. */
  removeUser(userId: string): Promise<number>;
}

/** The {@link PasskeyStore} (an injection token). */
export const PASSKEY_STORE = Symbol('PasskeyStore');
