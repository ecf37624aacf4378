import type { ExecutionContext } from '@nestjs/common';
import type { AuthUser } from '../core/model/auth.types';

/**
 * What the guards and decorators read in any context: the headers (for `Authorization: Bearer`), and where the
 * caller is put once authenticated. An HTTP request is one; GraphQL and socket.io give one of these.
 */
export interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: AuthUser;
  body?: unknown;
}

/** A socket.io socket, as far as the module reads it: the handshake's `auth.token`, and `data` to keep its state. */
interface SocketLike {
  handshake?: { auth?: Record<string, unknown> };
  data?: { accessToken?: unknown };
}

/** The GraphQL context, as the drivers build it: Apollo's `{ req }`, Mercurius's `{ reply }` (`reply.request`). */
interface GraphQLContextLike {
  req?: AuthRequest;
  request?: AuthRequest;
  reply?: { request?: AuthRequest };
}

/** One request per socket: the guard puts the caller on it, `@CurrentUser()` reads it back in the handler. */
const socketRequests = new WeakMap<object, AuthRequest>();

/**
 * The request of `context`, whatever kind it is. Read by type name only (`'graphql'`, `'ws'`), so that a host
 * without `@nestjs/graphql` or `@nestjs/websockets` loads none of them. A GraphQL subscription's context must hold
 * a `req` with the `connectionParams`' authorization header (the module's `graphqlWsAuth` builds it).
 */
export function authRequestOf(context: ExecutionContext): AuthRequest {
  const type = context.getType<string>();
  if (type === 'graphql') return graphqlRequest(context.getArgByIndex<GraphQLContextLike>(2));
  if (type === 'ws') return socketRequest(context.switchToWs().getClient<object>());
  return context.switchToHttp().getRequest<AuthRequest>();
}

function graphqlRequest(graphql: GraphQLContextLike | undefined): AuthRequest {
  const request = graphql?.req ?? graphql?.request ?? graphql?.reply?.request;
  // A context without a request (a host's own subscription setup) has no token: refused, never a crash.
  return request ?? { headers: {} };
}

/**
 * The socket's token as a Bearer header: the one of `reauth` if any (kept in `data.accessToken`), else the
 * handshake's `auth.token`. Rebuilt on each message, as `reauth` may have replaced it.
 */
function socketRequest(socket: object): AuthRequest {
  const { handshake, data } = socket as SocketLike;
  const token = data?.accessToken ?? handshake?.auth?.token;
  const request = socketRequests.get(socket) ?? { headers: {} };
  request.headers = typeof token === 'string' ? { authorization: `Bearer ${token}` } : {};
  socketRequests.set(socket, request);
  return request;
}

/** Ends a socket.io socket (`disconnect(true)` closes the underlying connection); anything else is left alone. */
export function disconnectSocket(socket: object): void {
  const { disconnect } = socket as { disconnect?: (close?: boolean) => unknown };
  if (typeof disconnect === 'function') disconnect.call(socket, true);
}
