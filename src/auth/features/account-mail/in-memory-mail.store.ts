import { randomUUID } from 'node:crypto';
import type { MailTokenPurpose } from './mail-token';
import type { ClaimedMail, MailStore, NewMailToken, SpentMailToken } from './mail-store.port';

interface StoredToken extends NewMailToken {
  usedAt: number | null;
}

interface QueuedMail {
  id: string;
  payload: string;
  attempts: number;
  nextAttemptAt: number;
  lockedUntil: number | null;
  failed: boolean;
}

/**
 * Mail tokens and the outbox in process: the default of a host with no TypeORM store, and a test double. Each
 * method is one synchronous step, so it is atomic as the port asks. Pending mail does not survive a restart.
 */
export class InMemoryMailStore implements MailStore {
  private readonly tokens = new Map<string, StoredToken>();
  private readonly outbox = new Map<string, QueuedMail>();

  issue(token: NewMailToken, payloads: string[], queuedAt: number): Promise<void> {
    for (const stored of this.tokens.values()) {
      if (stored.userId === token.userId && stored.purpose === token.purpose) {
        stored.usedAt ??= token.createdAt;
      }
    }
    this.tokens.set(token.hash, { ...token, usedAt: null });
    return this.enqueue(payloads, queuedAt);
  }

  enqueue(payloads: string[], queuedAt: number): Promise<void> {
    for (const payload of payloads) {
      const id = randomUUID();
      this.outbox.set(id, {
        id,
        payload,
        attempts: 0,
        nextAttemptAt: queuedAt,
        lockedUntil: null,
        failed: false,
      });
    }
    return Promise.resolve();
  }

  find(hash: string, purpose: MailTokenPurpose, now: number): Promise<SpentMailToken | null> {
    const token = this.tokens.get(hash);
    if (!token || token.purpose !== purpose || token.usedAt !== null || token.expiresAt <= now) {
      return Promise.resolve(null);
    }
    const { userId, accountEmail, credentialEpoch } = token;
    return Promise.resolve({
      userId,
      newEmail: token.newEmail ?? null,
      accountEmail,
      credentialEpoch,
    });
  }

  pruneExpired(now: number, limit: number): Promise<number> {
    let deleted = 0;
    for (const [hash, token] of this.tokens) {
      if (deleted >= limit) break;
      if (token.usedAt !== null || token.expiresAt <= now) {
        this.tokens.delete(hash);
        deleted += 1;
      }
    }
    return Promise.resolve(deleted);
  }

  consume(hash: string, purpose: MailTokenPurpose, now: number): Promise<SpentMailToken | null> {
    const token = this.tokens.get(hash);
    if (!token || token.purpose !== purpose || token.usedAt !== null || token.expiresAt <= now) {
      return Promise.resolve(null);
    }
    token.usedAt = now;
    const { userId, accountEmail, credentialEpoch } = token;
    return Promise.resolve({
      userId,
      newEmail: token.newEmail ?? null,
      accountEmail,
      credentialEpoch,
    });
  }

  claim(now: number, limit: number, leaseMs: number): Promise<ClaimedMail[]> {
    const due = [...this.outbox.values()]
      .filter(
        (mail) =>
          !mail.failed &&
          mail.nextAttemptAt <= now &&
          (mail.lockedUntil === null || mail.lockedUntil <= now),
      )
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt)
      .slice(0, limit);
    for (const mail of due) {
      mail.lockedUntil = now + leaseMs;
      mail.attempts += 1;
    }
    return Promise.resolve(due.map(({ id, payload, attempts }) => ({ id, payload, attempts })));
  }

  markSent(id: string): Promise<void> {
    this.outbox.delete(id);
    return Promise.resolve();
  }

  retryLater(id: string, nextAttemptAt: number): Promise<void> {
    const mail = this.outbox.get(id);
    if (mail) Object.assign(mail, { nextAttemptAt, lockedUntil: null });
    return Promise.resolve();
  }

  voidUserTokens(userId: string, now: number): Promise<void> {
    for (const token of this.tokens.values()) if (token.userId === userId) token.usedAt ??= now;
    return Promise.resolve();
  }

  deleteUserTokens(userId: string): Promise<void> {
    for (const [hash, token] of this.tokens) if (token.userId === userId) this.tokens.delete(hash);
    return Promise.resolve();
  }

  giveUp(id: string): Promise<void> {
    const mail = this.outbox.get(id);
    if (mail) Object.assign(mail, { failed: true, payload: '', lockedUntil: null });
    return Promise.resolve();
  }
}
