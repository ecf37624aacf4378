import type { ExecutionContext } from '@nestjs/common';
import { authRequestOf, disconnectSocket } from './auth-request';

/** An execution context of `type` over `args`, as Nest builds one (ExecutionContextHost's reading of its args). */
function contextOf(type: string, args: unknown[]): ExecutionContext {
  return {
    getType: () => type,
    getArgByIndex: (index: number) => args[index],
    switchToHttp: () => ({ getRequest: () => args[0] }),
    switchToWs: () => ({ getClient: () => args[0], getData: () => args[1] }),
  } as unknown as ExecutionContext;
}

describe('authRequestOf', () => {
  it('is the HTTP request on a route', () => {
    const request = { headers: { authorization: 'Bearer a' } };

    expect(authRequestOf(contextOf('http', [request, {}]))).toBe(request);
  });

  it("is Apollo's req, or Mercurius's reply.request, in a resolver (the context is the third argument)", () => {
    const apollo = { headers: { authorization: 'Bearer a' } };
    const fastify = { headers: { authorization: 'Bearer b' } };

    expect(authRequestOf(contextOf('graphql', [{}, {}, { req: apollo }, {}]))).toBe(apollo);
    expect(authRequestOf(contextOf('graphql', [{}, {}, { reply: { request: fastify } }, {}]))).toBe(
      fastify,
    );
  });

  it('has no token in a resolver whose context holds no request, rather than failing', () => {
    expect(authRequestOf(contextOf('graphql', [{}, {}, {}, {}]))).toEqual({ headers: {} });
  });

  it("reads a socket's handshake token, then the reauth one, and keeps the caller on one request per socket", () => {
    const socket = {
      handshake: { auth: { token: 'first' } },
      data: {} as { accessToken?: string },
    };
    const first = authRequestOf(contextOf('ws', [socket, {}]));
    expect(first.headers).toEqual({ authorization: 'Bearer first' });
    first.user = { id: 'u', email: 'u@example.com', roles: [], sessionId: 's' };

    socket.data.accessToken = 'second';
    const second = authRequestOf(contextOf('ws', [socket, {}]));

    expect(second).toBe(first);
    expect(second.headers).toEqual({ authorization: 'Bearer second' });
    expect(authRequestOf(contextOf('ws', [{ handshake: {}, data: {} }, {}])).user).toBeUndefined();
  });

  it('gives a socket without a string token no authorization header', () => {
    const socket = { handshake: { auth: { token: 42 } }, data: {} };

    expect(authRequestOf(contextOf('ws', [socket, {}])).headers).toEqual({});
  });
});

describe('disconnectSocket', () => {
  it('closes a socket.io socket with its connection, and leaves anything else alone', () => {
    const calls: unknown[] = [];
    disconnectSocket({ disconnect: (close?: boolean) => calls.push(close) });
    disconnectSocket({});

    expect(calls).toEqual([true]);
  });
});
