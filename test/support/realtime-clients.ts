import type { INestApplication } from '@nestjs/common';
import { type Client, createClient } from 'graphql-ws';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

/** The app's HTTP server listening on an ephemeral port of 127.0.0.1 (the WebSocket clients need a real one). */
export async function listen(app: INestApplication): Promise<string> {
  const server = app.getHttpServer() as Server;
  if (!server.listening) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** How a WebSocket connection ended: its close code. */
export interface Closed {
  code: number;
}

/** A `graphql-ws` client of `baseUrl`'s `/graphql`, authenticated by `connectionParams` (no retries, no laziness). */
export function graphqlWsClient(
  baseUrl: string,
  accessToken: string | undefined,
): { client: Client; closed: Promise<Closed> } {
  let onClosed!: (closed: Closed) => void;
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` },
    lazy: false,
    retryAttempts: 0,
    shouldRetry: () => false,
    on: { closed: (event) => onClosed({ code: (event as { code: number }).code }) },
    // A refused connection is reported through `closed`, not thrown at whoever awaits nothing.
    onNonLazyError: () => undefined,
  });
  return { client, closed };
}

/**
 * Subscribes to `query` and leaves it running (the client keeps its connection while an operation runs): resolves
 * once the server has acknowledged it, which a query after it on the same connection settles.
 */
export async function holdSubscription(client: Client, query: string): Promise<unknown[]> {
  const values: unknown[] = [];
  client.subscribe(
    { query },
    { next: (value) => values.push(value), error: () => undefined, complete: () => undefined },
  );
  await subscribeOnce(client, '{ publicPing }');
  return values;
}

/** The next value of `query` over `client`, or the error that ended it. */
export function subscribeOnce(client: Client, query: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const unsubscribe = client.subscribe(
      { query },
      {
        next: (value) => {
          resolve(value);
          unsubscribe();
        },
        error: reject,
        complete: () => undefined,
      },
    );
  });
}

/** The reason each socket disconnected for, heard from its creation on (a server may close it at once). */
const disconnections = new WeakMap<Socket, Promise<string>>();

/** A socket.io client of `baseUrl`'s `/ws`, WebSocket transport only, not reconnecting. */
export function socketClient(baseUrl: string, token: unknown): Socket {
  const socket = io(`${baseUrl}/ws`, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  disconnections.set(
    socket,
    new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason))),
  );
  return socket;
}

/** Resolves once `socket` is connected; rejects with its `connect_error`. */
export function connected(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Resolves with the reason once `socket` (of {@link socketClient}) is disconnected. */
export function disconnected(socket: Socket): Promise<string> {
  const disconnection = disconnections.get(socket);
  if (disconnection === undefined) throw new Error('not a socket of socketClient()');
  return disconnection;
}

/** `socket.emit(event, ...args, ack)`, as a promise of the acknowledgement. */
export function ask<T>(socket: Socket, event: string, ...args: unknown[]): Promise<T> {
  return socket.timeout(5000).emitWithAck(event, ...args) as Promise<T>;
}
