// The reference server's auth routes as the benchmarks use them: users, logins, refresh-token rotation.

import { post } from './http.mjs';

export const password = (k) => `bench horse battery ${k}`;

/** Registers user number `k`: `{ id, email, k }`. */
export async function register(server, k) {
  const email = `bench-${k}@example.com`;
  const registered = await post(server.url, '/auth/register', { email, password: password(k) });
  if (registered.status !== 201)
    throw new Error(`register: ${registered.status} ${registered.text}`);
  return { id: registered.json.id, email, k };
}

/** A new session of `user`: `{ user, accessToken, refreshToken }`. */
export async function login(server, user) {
  const response = await post(server.url, '/auth/login', {
    email: user.email,
    password: password(user.k),
  });
  if (response.status !== 200) throw new Error(`login: ${response.status} ${response.text}`);
  return { user, accessToken: response.json.accessToken, refreshToken: response.json.refreshToken };
}

/**
 * One rotation of `session`'s chain. A non-200 is pushed to `errors` (as `{ where, status, body }`) and the session
 * replaced by a fresh login, so that one failure does not turn every later rotation of the chain into one.
 */
export async function rotate(server, session, errors, where) {
  const response = await post(server.url, '/auth/refresh', { refreshToken: session.refreshToken });
  if (response.status === 200 && typeof response.json?.refreshToken === 'string') {
    session.refreshToken = response.json.refreshToken;
    return true;
  }
  errors.push({ where, status: response.status, body: response.text.slice(0, 200) });
  Object.assign(session, await login(server, session.user));
  return false;
}
