import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ClientInfo } from '../../core/model/auth.types';

/** The caller's IP (as the HTTP adapter resolves it, honouring its proxy trust setting) and user agent. */
export const Client = createParamDecorator((_: unknown, context: ExecutionContext): ClientInfo => {
  const request = context
    .switchToHttp()
    .getRequest<{ ip?: string; headers: Record<string, string | string[] | undefined> }>();
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined };
});
