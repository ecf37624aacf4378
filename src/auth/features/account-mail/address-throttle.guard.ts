import { type ExecutionContext, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { normalizeEmail } from '../../core/users/email-address';
import { AuthThrottleGuard } from '../../http/throttling/auth-throttle.guard';

interface MailRequest {
  body?: { email?: unknown; newEmail?: unknown };
  user?: { email?: unknown };
}

/**
 * The per-address limit of the mail endpoints (README: Account lifecycle and mail), beside the per-client one of
 * {@link AuthThrottleGuard}: `throttle.limit` requests per route per `throttle.ttl` seconds for one address, whatever
 * IPs they come from, so nobody can flood a mailbox. The address is the body's `email` or `newEmail`, else the
 * signed-in caller's; it is counted under a keyed hash (addresses are guessable, a plain hash in Redis reversible).
 */
@Injectable()
export class AddressThrottleGuard extends AuthThrottleGuard {
  /** Skipped when the limit is off, and for a request that names no address (the body is judged later). */
  protected override async shouldSkip(context?: ExecutionContext): Promise<boolean> {
    if (await super.shouldSkip()) return true;
    return context === undefined || addressOf(context.switchToHttp().getRequest()) === undefined;
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const address = addressOf(request) ?? '';
    const secret = this.authOptions.jwtRefreshSecret;
    return Promise.resolve(
      createHmac('sha256', secret).update(`mail-address\0${address}`, 'utf8').digest('base64url'),
    );
  }

  /**
   * A bucket shared by every client reports nothing of itself: its `X-RateLimit-*` would overwrite the per-client
   * guard's (a client would read another's use of the address, and lose its own counts). Only a refusal's
   * `Retry-After` passes, which every 429 carries.
   */
  protected override setResponseHeader(
    response: Record<string, unknown>,
    name: string,
    value: string | number,
  ): void {
    if (name.startsWith('Retry-After')) super.setResponseHeader(response, name, value);
  }

  protected override generateKey(context: ExecutionContext, suffix: string, name: string): string {
    return super.generateKey(context, `address:${suffix}`, name);
  }
}

function addressOf(request: MailRequest | Record<string, unknown>): string | undefined {
  const { body, user } = request as MailRequest;
  const candidate = body?.email ?? body?.newEmail ?? user?.email;
  return typeof candidate === 'string' && candidate !== '' ? normalizeEmail(candidate) : undefined;
}
