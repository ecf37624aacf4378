import { type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerStorage } from '@nestjs/throttler';
import { AuthError } from '../../core/errors/auth-error';
import { refusal } from '../../http/errors/refusal';
import { AUTH_THROTTLER_STORAGE } from '../../http/throttling/throttler-storage.token';
import { THROTTLING_OPTIONS, type ThrottlingOptions } from './throttling.options';

/**
 * Per-client limits on the routes that take or create a credential (docs/operations.md: Abuse limits): `limit` requests per route
 * per client IP (as the HTTP adapter resolves it, so `trust proxy` decides about `X-Forwarded-For`) per `ttl` seconds;
 * past that, 429 `RATE_LIMITED` with `Retry-After`. @nestjs/throttler's guard with the module's own storage, so that a
 * host's own ThrottlerModule neither changes nor is changed by it. Reached through `ClientRateLimitGuard`.
 */
@Injectable()
export class ClientThrottleGuard extends ThrottlerGuard {
  @Optional()
  @Inject(HttpAdapterHost)
  private readonly http?: HttpAdapterHost;

  constructor(
    @Inject(THROTTLING_OPTIONS) { limit, ttl }: Required<ThrottlingOptions>,
    @Inject(AUTH_THROTTLER_STORAGE) storage: ThrottlerStorage,
    reflector: Reflector,
  ) {
    // Named "default": the guard then answers with a plain `Retry-After` header.
    super([{ name: 'default', limit, ttl: ttl * 1000 }], storage, reflector);
  }

  /**
   * Called once @nestjs/throttler set `Retry-After`: instead of its own body (which names its exception class and
   * has no `error`), `RATE_LIMITED` in Nest's shape.
   */
  protected override throwThrottlingException(context: ExecutionContext): Promise<void> {
    throw refusal(context, new AuthError('RATE_LIMITED', 'per-client limit'), this.http);
  }
}
