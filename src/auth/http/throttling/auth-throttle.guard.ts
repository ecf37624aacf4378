import { type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerStorage } from '@nestjs/throttler';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import { AuthError } from '../../core/errors/auth-error';
import { refusal } from '../errors/refusal';

export const AUTH_THROTTLER_STORAGE = Symbol('AuthThrottlerStorage');

/**
 * Per-client limits on login, register and refresh (README: Abuse limits): `throttle.limit` requests per route per
 * client IP (as the HTTP adapter resolves it, so `trust proxy` decides about `X-Forwarded-For`) per `throttle.ttl`
 * seconds; past that, 429 with `Retry-After`. @nestjs/throttler's guard, with the module's own options and
 * storage, so that a host's own ThrottlerModule neither changes nor is changed by it.
 */
@Injectable()
export class AuthThrottleGuard extends ThrottlerGuard {
  @Optional()
  @Inject(HttpAdapterHost)
  private readonly http?: HttpAdapterHost;

  constructor(
    @Inject(AUTH_OPTIONS) protected readonly authOptions: ResolvedAuthOptions,
    @Inject(AUTH_THROTTLER_STORAGE) storage: ThrottlerStorage,
    reflector: Reflector,
  ) {
    const { throttle } = authOptions;
    // Named "default": the guard then answers with a plain `Retry-After` header. With the limit off, a placeholder
    // that shouldSkip never lets the guard consult: an empty list would make @nestjs/throttler warn at boot that
    // nothing is limited, which is what the host asked for.
    const throttlers = throttle
      ? [{ name: 'default', limit: throttle.limit, ttl: throttle.ttl * 1000 }]
      : [{ name: 'default', limit: Number.MAX_SAFE_INTEGER, ttl: 1000 }];
    super(throttlers, storage, reflector);
  }

  protected override shouldSkip(): Promise<boolean> {
    return Promise.resolve(this.authOptions.throttle === false);
  }

  /**
   * Called once @nestjs/throttler set `Retry-After`: instead of its own body (which names its exception class and
   * has no `error`), `RATE_LIMITED` in Nest's shape.
   */
  protected override throwThrottlingException(context: ExecutionContext): Promise<void> {
    throw refusal(context, new AuthError('RATE_LIMITED', 'per-client limit'), this.http);
  }
}
