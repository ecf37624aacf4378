import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { createHmac } from 'node:crypto';
import { AuthError } from '../../core/errors/auth-error';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import { MAIL_OPTIONS, type ResolvedMailOptions } from './account-mail.options';
import { normalizeEmail } from '../../core/users/email-address';
import { AUTH_THROTTLER_STORAGE } from '../../http/throttling/throttler-storage.token';

/** What a quota counts: the mails of one purpose to one mailbox. */
export type MailQuotaKind =
  'verify_email' | 'password_reset' | 'email_change' | 'email_change_notice';

/**
 * The per-address limit of account mail (CONTRACT §4.12), beside the per-client limit of the routes: `mailQuota.limit`
 * mails of one kind to one mailbox per `mailQuota.ttl` seconds, whoever asks. Counted where a mail is about to be
 * queued, on the recipient it will be delivered to in its canonical form (`normalizeEmail`; addresses a transport
 * would rewrite, quoted local parts, are refused at validation), on every path that sends one: registration,
 * verification, reset, email change (its link and its notice). Never on what a request body claims before it is
 * validated. The address is counted under a keyed hash (addresses are guessable, a plain hash in Redis reversible).
 * A shared counter reports nothing of itself: a refusal carries its `Retry-After`, no `X-RateLimit-*`.
 */
@Injectable()
export class MailQuota {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(MAIL_OPTIONS) private readonly mail: ResolvedMailOptions,
    @Inject(AUTH_THROTTLER_STORAGE) private readonly storage: ThrottlerStorage,
  ) {}

  /**
   * Counts one mail of `kind` to `recipient`.
   * @throws AuthError `RATE_LIMITED` (with `retryAfterSeconds`) when the mailbox had its share; nothing is counted
   * when the limit is off.
   */
  async take(kind: MailQuotaKind, recipient: string): Promise<void> {
    const quota = this.mail.mailQuota;
    if (quota === false) return;
    const { jwtRefreshSecret } = this.options;
    const mailbox = createHmac('sha256', jwtRefreshSecret)
      .update(`mail-address\0${normalizeEmail(recipient)}`, 'utf8')
      .digest('base64url');
    const ttlMs = quota.ttl * 1000;
    const record = await this.storage.increment(
      `mail-quota:${kind}:${mailbox}`,
      ttlMs,
      quota.limit,
      ttlMs,
      'mail-quota',
    );
    if (record.isBlocked) {
      throw new AuthError('RATE_LIMITED', {
        reason: 'per-address limit',
        retryAfterSeconds: Math.max(1, Math.ceil(record.timeToBlockExpire)),
      });
    }
  }
}
