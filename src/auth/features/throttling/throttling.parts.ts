import type { FeatureParts } from '../../core/auth-feature';
import { CLIENT_RATE_LIMITER } from '../../http/guards/client-rate-limit.guard';
import { ClientThrottleGuard } from './client-throttle.guard';
import { THROTTLING_OPTIONS, type ThrottlingOptions } from './throttling.options';

/** The throttling feature's Nest parts; this file (and @nestjs/throttler) loads only when a host registers it. */
export function throttlingParts(resolved: Required<ThrottlingOptions>): FeatureParts {
  return {
    providers: [
      { provide: THROTTLING_OPTIONS, useValue: resolved },
      ClientThrottleGuard,
      { provide: CLIENT_RATE_LIMITER, useExisting: ClientThrottleGuard },
    ],
  };
}
