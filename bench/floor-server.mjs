// The floor of `GET /protected`: a bare node:http server doing the least work a correct check of an HS256 access
// token needs, and answering its claims as JSON. No framework, no logging, no routing, no security headers: what
// the reference server does per request beyond this is what http.bench.mjs compares against it.
//
// Per request: `Authorization: Bearer <token>`, three segments, one HMAC-SHA256 over `header.payload` compared in
// constant time with the decoded signature, the header's `alg` and `typ`, the payload's `exp`. 200 with the claims,
// or 401. Prints "Listening on http://127.0.0.1:<port>" like the reference server, so the same helper starts both.
//
// Environment: JWT_SECRET (the reference server's access-token secret).

import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

const secret = process.env.JWT_SECRET;
if (!secret) {
  process.stderr.write('JWT_SECRET is required\n');
  process.exit(1);
}
// Made once: importing the key per request would be work the reference server does not do either.
const key = createSecretKey(Buffer.from(secret, 'utf8'));

const UNAUTHORIZED = JSON.stringify({ statusCode: 401, message: 'Unauthorized' });

/** The token's claims when it is a valid, unexpired HS256 access token; otherwise undefined. */
function verify(authorization) {
  if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return undefined;
  const segments = authorization.slice(7).split('.');
  if (segments.length !== 3) return undefined;
  const [header, payload, signature] = segments;

  // The signature first: nothing of an unauthenticated token is parsed.
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  // timingSafeEqual throws on different lengths; the length of an HMAC is no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;

  const head = parseSegment(header);
  // Both pinned, as the reference server does: the algorithm (the key is an HMAC key, for HS256 only) and the type
  // (an access token, not another kind of token signed with the same key).
  if (head?.alg !== 'HS256' || head.typ !== 'at+jwt') return undefined;
  const claims = parseSegment(payload);
  if (typeof claims?.exp !== 'number' || claims.exp <= Date.now() / 1000) return undefined;
  return claims;
}

/** A base64url JSON segment as an object, or undefined. */
function parseSegment(segment) {
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

function send(response, status, body) {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

const server = http.createServer((request, response) => {
  const claims = verify(request.headers.authorization);
  if (claims) send(response, 200, JSON.stringify(claims));
  else send(response, 401, UNAUTHORIZED);
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`Listening on http://127.0.0.1:${server.address().port}\n`);
});

// Stopped by the benchmark with SIGTERM: close at once, keep-alive connections included.
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
