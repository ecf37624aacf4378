import { Logger, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { errorMessage } from '../../core/logging/log-line';
export { AUTH_REDIS } from './auth-redis.token';

/** How long a client waits between reconnection attempts, at most: a returning Redis is seen within this. */
const MAX_RECONNECT_DELAY_MS = 500;

/**
 * The module's Redis connections, when `redisUrl` is set: one for commands, one for pub/sub (a subscribed
 * connection can do nothing else). Commands fail at once while Redis is away (no offline queue): callers choose
 * what that means (the guard keeps its last known revocations; limits let requests through), and nothing waits
 * on a dead Redis.
 */
export class AuthRedis implements OnModuleDestroy {
  readonly commands: Redis;
  readonly subscriber: Redis;
  private readonly logger = new Logger(AuthRedis.name);
  private reportedDown = false;

  constructor(
    url: string,
    /** Prefix of every key and channel, so that several apps (or test runs) can share one Redis. */
    readonly keyPrefix: string,
  ) {
    const options = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    };
    this.commands = new Redis(url, options);
    // The subscriber queues its SUBSCRIBE until connected: it is the one connection allowed to wait.
    this.subscriber = new Redis(url, { ...options, enableOfflineQueue: true });
    for (const client of [this.commands, this.subscriber]) {
      client.on('error', (error: Error) => this.reportDown(error));
      client.on('ready', () => this.reportUp());
    }
  }

  key(name: string): string {
    return `${this.keyPrefix}${name}`;
  }

  get isReady(): boolean {
    return this.commands.status === 'ready';
  }

  /** Answers within `timeoutMs` whether Redis answers a PING. */
  async ping(timeoutMs = 1000): Promise<boolean> {
    const timeout = new Promise<false>((resolve) =>
      setTimeout(() => resolve(false), timeoutMs).unref(),
    );
    const pong = this.commands.ping().then(
      (answer) => answer === 'PONG',
      () => false,
    );
    return Promise.race([pong, timeout]);
  }

  /** Closes both connections, and stops reconnecting (a `quit` would not, with Redis away). */
  onModuleDestroy(): void {
    this.commands.disconnect();
    this.subscriber.disconnect();
  }

  private reportDown(error: Error): void {
    if (this.reportedDown) return;
    this.reportedDown = true;
    this.logger.warn(
      `Redis is unreachable (${errorMessage(error)}); retrying every ${MAX_RECONNECT_DELAY_MS} ms`,
    );
  }

  private reportUp(): void {
    if (!this.reportedDown) return;
    this.reportedDown = false;
    this.logger.log('Redis is reachable again');
  }
}
