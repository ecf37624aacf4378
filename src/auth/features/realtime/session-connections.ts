import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../../core/clock/clock';
import { errorMessage } from '../../core/logging/log-line';
import { REVOCATION_LIST, type RevocationList } from '../../core/model/revocation-list.port';

/** Why a connection is closed by the registry. */
export type ConnectionEnd = 'revoked' | 'expired';

/** What the registry needs of an open connection (a socket, a subscription): a way to end it. */
export interface SessionConnection {
  /** Ends the connection now. Called at most once. */
  close(reason: ConnectionEnd): void;
}

/** A registered connection, for its owner: reauthenticated, or gone. */
export interface ConnectionRegistration {
  /**
   * The connection's new access token expires at `expiresAt` (ms since the epoch) and was issued at `issuedAt`
   * (its `iat`, seconds): it stays open until then, and a later cut-off is measured against the new token.
   */
  extend(expiresAt: number, issuedAt?: number): void;
  /** The connection closed by itself: forget it. Safe to call twice. */
  unregister(): void;
}

/** setTimeout's limit (about 24.8 days): a longer delay would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Entry {
  sessionId: string;
  /** The `iat` (seconds) of the token the connection holds; unknown: only a revocation of the session ends it. */
  issuedAt?: number;
  connection: SessionConnection;
  timer?: NodeJS.Timeout;
}

/**
 * The open connections of each session (docs/realtime.md: GraphQL and WebSockets): closed when their session is revoked, on
 * any instance (the revocation list's {@link RevocationList.onRevoked} hears of it, from Redis too), and when their
 * access token expires, unless extended by a fresh token first. Costs nothing per message: a map lookup per
 * revocation, a timer per connection.
 */
@Injectable()
export class SessionConnections implements OnModuleInit, OnModuleDestroy {
  private readonly bySession = new Map<string, Set<Entry>>();
  private readonly logger = new Logger(SessionConnections.name);
  private unsubscribe?: () => void;

  constructor(
    @Inject(REVOCATION_LIST) private readonly revocations: RevocationList,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    if (!this.revocations.onRevoked) {
      this.logger.warn(
        'The revocation list has no onRevoked: connections close at expiry only, not on revocation',
      );
      return;
    }
    this.unsubscribe = this.revocations.onRevoked((sessionIds) => {
      for (const sessionId of sessionIds) this.closeRefused(sessionId);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    for (const entries of this.bySession.values()) {
      for (const entry of entries) clearTimeout(entry.timer);
    }
    this.bySession.clear();
  }

  /**
   * Registers `connection` of session `sessionId`, whose access token expires at `expiresAt` (ms since the epoch)
   * and was issued at `issuedAt` (its `iat`, seconds). A session revoked meanwhile (between the token's check and
   * this call) is closed at once. Without `issuedAt`, a cut-off (a role change) does not reach the connection.
   */
  register(
    sessionId: string,
    expiresAt: number,
    connection: SessionConnection,
    issuedAt?: number,
  ): ConnectionRegistration {
    const entry: Entry = { sessionId, connection, issuedAt };
    const entries = this.bySession.get(sessionId) ?? new Set<Entry>();
    entries.add(entry);
    this.bySession.set(sessionId, entries);
    const unregister = () => this.forget(entry);
    if (this.revocations.isRevoked(sessionId, issuedAt)) {
      this.end(entry, 'revoked');
      return { extend: () => undefined, unregister };
    }
    this.schedule(entry, expiresAt);
    const extend = (later: number, laterIssuedAt?: number) => {
      entry.issuedAt = laterIssuedAt ?? entry.issuedAt;
      this.schedule(entry, later);
    };
    return { extend, unregister };
  }

  /** How many connections are open: for health checks and the bench. */
  get size(): number {
    let size = 0;
    for (const entries of this.bySession.values()) size += entries.size;
    return size;
  }

  private schedule(entry: Entry, expiresAt: number): void {
    clearTimeout(entry.timer);
    const delay = Math.min(Math.max(expiresAt - this.clock.now(), 0), MAX_TIMER_MS);
    // Never what keeps a process alive.
    entry.timer = setTimeout(() => this.end(entry, 'expired'), delay).unref();
  }

  /**
   * Ends the connections of the session whose token the list now refuses: all of them after a revocation; after a
   * cut-off (a role change), those holding a token issued up to it, so one that reconnected or re-authenticated
   * with a token carrying the new roles stays, even when the cut-off is heard again (a Redis resynchronization).
   */
  private closeRefused(sessionId: string): void {
    for (const entry of [...(this.bySession.get(sessionId) ?? [])]) {
      if (this.revocations.isRevoked(sessionId, entry.issuedAt)) this.end(entry, 'revoked');
    }
  }

  private end(entry: Entry, reason: ConnectionEnd): void {
    if (!this.forget(entry)) return;
    try {
      entry.connection.close(reason);
    } catch (error) {
      this.logger.error(`A connection did not close: ${errorMessage(error)}`);
    }
  }

  /** Whether the entry was still registered. */
  private forget(entry: Entry): boolean {
    clearTimeout(entry.timer);
    const entries = this.bySession.get(entry.sessionId);
    if (!entries?.delete(entry)) return false;
    if (entries.size === 0) this.bySession.delete(entry.sessionId);
    return true;
  }
}
