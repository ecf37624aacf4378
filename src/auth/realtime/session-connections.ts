import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { errorMessage } from '../logging/log-line';
import { REVOCATION_LIST, type RevocationList } from '../revocation/revocation-list.port';

/** Why a connection is closed by the registry. */
export type ConnectionEnd = 'revoked' | 'expired';

/** What the registry needs of an open connection (a socket, a subscription): a way to end it. */
export interface SessionConnection {
  /** Ends the connection now. Called at most once. */
  close(reason: ConnectionEnd): void;
}

/** A registered connection, for its owner: reauthenticated, or gone. */
export interface ConnectionRegistration {
  /** The connection's new access token expires at `expiresAt` (ms since the epoch): it stays open until then. */
  extend(expiresAt: number): void;
  /** The connection closed by itself: forget it. Safe to call twice. */
  unregister(): void;
}

/** setTimeout's limit (about 24.8 days): a longer delay would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Entry {
  sessionId: string;
  connection: SessionConnection;
  timer?: NodeJS.Timeout;
}

/**
 * The open connections of each session (README: GraphQL and WebSockets): closed when their session is revoked, on
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
      for (const sessionId of sessionIds) this.closeSession(sessionId, 'revoked');
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
   * Registers `connection` of session `sessionId`, whose access token expires at `expiresAt` (ms since the epoch).
   * A session revoked meanwhile (between the token's check and this call) is closed at once.
   */
  register(
    sessionId: string,
    expiresAt: number,
    connection: SessionConnection,
  ): ConnectionRegistration {
    const entry: Entry = { sessionId, connection };
    const entries = this.bySession.get(sessionId) ?? new Set<Entry>();
    entries.add(entry);
    this.bySession.set(sessionId, entries);
    const unregister = () => this.forget(entry);
    if (this.revocations.isRevoked(sessionId)) {
      this.end(entry, 'revoked');
      return { extend: () => undefined, unregister };
    }
    this.schedule(entry, expiresAt);
    return { extend: (later) => this.schedule(entry, later), unregister };
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

  private closeSession(sessionId: string, reason: ConnectionEnd): void {
    for (const entry of [...(this.bySession.get(sessionId) ?? [])]) this.end(entry, reason);
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
