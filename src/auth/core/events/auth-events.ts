import { Injectable, Logger } from '@nestjs/common';
import type { AuthEvent, AuthEventOf, AuthEventType } from './auth-event.types';
import { errorMessage } from '../logging/log-line';

type Listener<T extends AuthEventType> = (event: AuthEventOf<T>) => void | Promise<void>;
/** How listeners are kept: the map holds each under its event type, so the narrowing above is safe. */
type AnyListener = (event: AuthEvent) => void | Promise<void>;

/**
 * Typed events of the module, for the host to act on: audit, alerts, metrics.
 * Listeners run after the fact and cannot fail a request: an error in one is logged and dropped.
 * @example
 * ```ts
 * constructor(events: AuthEvents, mailer: Mailer) {
 *   events.on('refresh_token.reused', ({ userId, ip }) => mailer.alertStolenSession(userId, ip));
 * }
 * ```
 */
@Injectable()
export class AuthEvents {
  private readonly logger = new Logger(AuthEvents.name);
  private readonly listeners = new Map<AuthEventType, Set<AnyListener>>();

  /** Calls `listener` on every event of `type`; returns a function that unsubscribes it. */
  on<T extends AuthEventType>(type: T, listener: Listener<T>): () => void {
    const listeners = this.listeners.get(type) ?? new Set<AnyListener>();
    const stored = listener as unknown as AnyListener;
    listeners.add(stored);
    this.listeners.set(type, listeners);
    return () => listeners.delete(stored);
  }

  emit(event: AuthEvent): void {
    for (const listener of this.listeners.get(event.type) ?? []) {
      try {
        const result = listener(event);
        if (result instanceof Promise) result.catch((error: unknown) => this.report(event, error));
      } catch (error) {
        this.report(event, error);
      }
    }
  }

  private report(event: AuthEvent, error: unknown): void {
    this.logger.error(`A listener of ${event.type} failed: ${errorMessage(error)}`);
  }
}
