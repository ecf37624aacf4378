import type { Response } from 'supertest';

/** RFC 6750 §3.1: the challenge of a refused token (expired, revoked, malformed...). */
export const INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"';

/** A 401 with the `invalid_token` challenge: how every refusal of a presented token answers. */
export function expectInvalidToken(response: Response): void {
  expect(response.status).toBe(401);
  expect(response.headers['www-authenticate']).toBe(INVALID_TOKEN_CHALLENGE);
}
