import { SetMetadata } from '@nestjs/common';

export const REFRESH_TOKEN_INSTEAD_KEY = 'auth:refreshTokenInstead';

/**
 * Lets a request without a valid access token through the access guard when it presents a refresh token instead
 * (a `refreshToken` in the JSON body, or, in cookie transport, the refresh cookie), with no caller set: the route
 * then deals with the refresh token itself. Only for logout, so that a client whose access token has expired can
 * still end its session (docs/sessions.md: Behaviour in detail, Logout).
 */
export const RefreshTokenInstead = () => SetMetadata(REFRESH_TOKEN_INSTEAD_KEY, true);
