import { SetMetadata } from '@nestjs/common';

export const ALLOW_REVOKED_SESSION_KEY = 'auth:allowRevokedSession';

/**
 * Lets a valid access token of a revoked session through, marked `sessionRevoked: true`. Only for routes that are
 * idempotent in that case, such as logout ("logging out twice is not an error").
 */
export const AllowRevokedSession = () => SetMetadata(ALLOW_REVOKED_SESSION_KEY, true);
