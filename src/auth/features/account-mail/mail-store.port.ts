import type { MailTokenPurpose } from './mail-token';

/** A mail token to store: only the SHA-256 of the token itself. Times in ms since the epoch. */
export interface NewMailToken {
  /** `hashMailToken(token)`, hex. */
  hash: string;
  userId: string;
  purpose: MailTokenPurpose;
  /** The address asked for, with `email_change` only. */
  newEmail?: string;
  /**
   * The account's address when the link was sent (the address it went to, but for `email_change`, whose link goes
   * to `newEmail` and is authorized by this one): the token is good only while it is still the account's.
   */
  accountEmail: string;
  /** The user's `credentialEpoch` when the link was sent: the token dies when it moves on. */
  credentialEpoch: number;
  createdAt: number;
  expiresAt: number;
}

/** A spent mail token: whose it was, what it was bound to, and for an email change the address asked for. */
export interface SpentMailToken {
  userId: string;
  newEmail: string | null;
  /** Null for a token stored before tokens were bound to an address: it is refused. */
  accountEmail: string | null;
  credentialEpoch: number;
}

/** A queued mail, claimed by one worker: `payload` is the sealed message (see `OutboxSeal`). */
export interface ClaimedMail {
  id: string;
  payload: string;
  /** Attempts so far, this one included. */
  attempts: number;
}

/**
 * Where mail tokens and the mail outbox live, together: a token and the mail carrying it are written in one
 * transaction, so there is never a token whose mail is lost, nor a mail whose token was not stored. The default is
 * TypeORM (`TypeOrmMailStore`); a host may give its own as the `mailStore` option.
 */
export interface MailStore {
  /**
   * In one transaction: voids every unspent token of the same user and purpose (a new request makes older links
   * useless), stores `token`, and queues `payloads`, each due at `queuedAt` (ms).
   */
  issue(token: NewMailToken, payloads: string[], queuedAt: number): Promise<void>;
  /** Queues `payloads` (mails without a link: notices), each due at `queuedAt` (ms). */
  enqueue(payloads: string[], queuedAt: number): Promise<void>;
  /**
   * Spends the token of this hash when it is unspent, not voided, of `purpose` and unexpired at `now` (ms), at most
   * once whatever the races: of two concurrent calls, one gets the token and the other null.
   */
  consume(hash: string, purpose: MailTokenPurpose, now: number): Promise<SpentMailToken | null>;
  /**
   * The token of this hash as {@link consume} would spend it, without spending it: for a check that must come first
   * and leave the link usable when it fails (a password reset that also asks for a second factor).
   */
  find(hash: string, purpose: MailTokenPurpose, now: number): Promise<SpentMailToken | null>;
  /**
   * Claims up to `limit` queued mails due at `now` (ms) for `leaseMs`: no other call claims them again before the
   * lease ends (then a mail whose worker died is retried). On PostgreSQL the rows are locked with
   * `FOR UPDATE SKIP LOCKED`, so instances polling at once never claim the same row.
   */
  claim(now: number, limit: number, leaseMs: number): Promise<ClaimedMail[]>;
  /** Removes a sent mail from the queue (it holds a live link). */
  markSent(id: string): Promise<void>;
  /** Puts a mail back in the queue, due at `nextAttemptAt` (ms). */
  retryLater(id: string, nextAttemptAt: number, error: string): Promise<void>;
  /** Gives a mail up: it stays as a record of the failure, its body (and link) erased. */
  giveUp(id: string, error: string): Promise<void>;
  /**
   * Voids every unspent token of a user at `now` (ms): their address changed, so every link sent before (bound to
   * the old one) must stop working, even should the address come back.
   */
  voidUserTokens(userId: string, now: number): Promise<void>;
  /** Deletes every mail token of a user (their account is gone): no link of theirs works any more. */
  deleteUserTokens(userId: string): Promise<void>;
  /**
   * Deletes at most `limit` tokens that can never be used again at `now` (ms): spent, voided or expired. A deleted
   * token answers as a spent one did (`INVALID_MAIL_TOKEN`), so none is kept. Run by the module's pruner (the
   * feature registers the store as prunable); optional, a store without it keeps every token.
   * @returns how many were deleted.
   */
  pruneExpired?(now: number, limit: number): Promise<number>;
}

/** Injection token of the module's {@link MailStore}. */
export const MAIL_STORE = Symbol('MailStore');
