import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'auth:isPublic';

/**
 * Opens a route (or a whole controller) to callers without an access token. A caller who sends a valid one is signed
 * in all the same (`@CurrentUser()` gives them; undefined for anyone else); an invalid, expired or revoked token is
 * ignored, never refused: the caller is then anonymous. The same in GraphQL resolvers and socket.io handlers.
 */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
