import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import { readRefreshCookies } from '../cookies/refresh-cookie';
import { AuthError } from '../../core/errors/auth-error';
import { refusal } from '../errors/refusal';

/**
 * The CSRF defense of cookie transport (docs/sessions.md: Browser clients): a request to the module's routes that carries the
 * refresh cookie must also carry `X-Requested-With` (which a cross-site form or image cannot set without a CORS
 * preflight) or an `Origin` the host trusts. On every route of the module, since the cookie reaches all of them.
 */
@Injectable()
export class RefreshCookieCsrfGuard implements CanActivate {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Optional() private readonly http?: HttpAdapterHost,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.options.refreshTransport === 'body') return true;
    const { headers } = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    if (readRefreshCookies(headers.cookie).length === 0) return true;
    const requestedWith = headers['x-requested-with'];
    const origin = headers.origin;
    if (typeof requestedWith === 'string' && requestedWith !== '') return true;
    if (typeof origin === 'string' && this.options.trustedOrigins.includes(origin)) return true;
    throw refusal(context, new AuthError('CSRF_CHECK_FAILED'), this.http);
  }
}
