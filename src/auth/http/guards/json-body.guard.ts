import { type CanActivate, type ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AuthError } from '../../core/errors/auth-error';
import { refusal } from '../errors/refusal';

type Headers = Record<string, string | string[] | undefined>;

/**
 * The module's routes take JSON bodies only, whatever body parsers the host registered: an HTML form can post
 * `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain` across sites with no CORS preflight,
 * and with cookie transport the browser would add the refresh cookie. A request with a body of another media type
 * is refused with 415 `UNSUPPORTED_MEDIA_TYPE` before any parameter is read; one without a body passes.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  constructor(@Optional() private readonly http?: HttpAdapterHost) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'http') return true;
    const { headers } = context.switchToHttp().getRequest<{ headers: Headers }>();
    if (!hasBody(headers) || isJson(headers['content-type'])) return true;
    throw refusal(context, new AuthError('UNSUPPORTED_MEDIA_TYPE'), this.http);
  }
}

/** RFC 9112 §6.3: a request has a body when it says how it is framed, a length above 0 or a transfer coding. */
function hasBody(headers: Headers): boolean {
  const length = headers['content-length'];
  if (headers['transfer-encoding'] !== undefined) return true;
  return typeof length === 'string' && length.trim() !== '0';
}

/** `application/json`, parameters such as `charset` allowed (RFC 8259 §11; media types are case-insensitive). */
function isJson(contentType: string | string[] | undefined): boolean {
  if (typeof contentType !== 'string') return false;
  return contentType.split(';')[0].trim().toLowerCase() === 'application/json';
}
