import type { AuthFeature } from '../../core/auth-feature';

/** The feature's controller, loaded only for a host that registers it (docs/performance.md: Boot and memory). */
function controller(): typeof import('./jwks.controller').JwksController {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./jwks.controller') as typeof import('./jwks.controller')).JwksController;
}

/**
 * `GET /.well-known/jwks.json` (RFC 7517, at its RFC 8615 well-known path whatever the module's prefix): the public
 * keys of access tokens with `ES256`/`RS256`, so other services verify them with no shared secret; an empty set with
 * HS256. Leave it out when the host serves that path itself.
 * @example `features: [jwks()]`
 */
export function jwks(): AuthFeature {
  return { id: 'jwks', parts: () => ({ rootControllers: [controller()] }) };
}
