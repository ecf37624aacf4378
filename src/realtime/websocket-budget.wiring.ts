import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type BudgetedWebSocket, SubscriptionSessions } from '../auth/features/realtime';
import type { AppConfig } from '../config/app-config';

/** A Fastify route's options, as far as the hook reads them (`@fastify/websocket` adds `wsHandler`). */
interface WebSocketRoute {
  wsHandler?: (this: unknown, socket: BudgetedWebSocket, ...rest: unknown[]) => unknown;
}

/**
 * On Fastify, puts every WebSocket of a `@fastify/websocket` route (Mercurius's `/graphql`) on the realtime
 * feature's message budget from its first message: Mercurius reads a socket before `connection_init` (it answers
 * `ping`s there for as long as the client likes, with no wait), and calls the module only at `connection_init`.
 * Fastify's `onRoute` hook wraps the route's handler before `@fastify/websocket` reads it; Mercurius registers its
 * WebSocket server inside its own plugin, out of the application's reach. On Express graphql-ws's hooks do this.
 * Call before `app.init()` (routes are registered then).
 */
export function budgetFastifyWebSockets(app: INestApplication, config: AppConfig): void {
  if (config.httpAdapter !== 'fastify' || !config.features.includes('realtime')) return;
  const subscriptions = app.get(SubscriptionSessions);
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    const options = route as WebSocketRoute;
    const handler = options.wsHandler;
    if (handler === undefined) return;
    options.wsHandler = function (this: unknown, socket, ...rest) {
      subscriptions.limit(socket);
      return handler.call(this, socket, ...rest);
    };
  });
}
