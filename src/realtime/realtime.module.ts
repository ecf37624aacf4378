import type { ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import { SubscriptionSessions } from '../auth/features/realtime';
import type { AppConfig } from '../config/app-config';
import { AccountResolver } from './account.resolver';
import { operationLimitsRule } from './operation-limits';
import { SessionGateway } from './session.gateway';

/**
 * GraphQL at `/graphql` (Apollo on Express, Mercurius on Fastify; code-first, schema in memory; subscriptions over
 * `graphql-transport-ws`) and the socket.io namespace `/ws`, behind the auth module (CONTRACT §4.14), whose global
 * registration with the `realtime()` feature provides `SubscriptionSessions` and `SocketSessions`. Each operation
 * is bounded before it runs (`operationLimitsRule`: selections, aliases included, and depth) on both drivers.
 */
@Module({})
export class RealtimeModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RealtimeModule,
      imports: [graphql(config)],
      providers: [AccountResolver, SessionGateway],
    };
  }
}

/**
 * The same validation on both drivers: the operation limits, and in production no introspection (Apollo's default,
 * which Mercurius lacks: it answered `__schema` in production).
 */
function validationRules(config: AppConfig): ValidationRule[] {
  const production = config.nodeEnv === 'production';
  return [operationLimitsRule(), ...(production ? [NoSchemaIntrospectionCustomRule] : [])];
}

/**
 * The GraphQL module on the adapter's driver. Each driver is required here, not imported at the top: a server loads
 * only the one its adapter uses (Apollo and its server on Express, Mercurius and its plugins on Fastify), which
 * spares the other's load time at boot and its memory (measured: a few hundred ms and 2-5 MB each).
 */
function graphql(config: AppConfig): DynamicModule {
  if (config.httpAdapter === 'fastify') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MercuriusDriver } = require('@nestjs/mercurius') as typeof import('@nestjs/mercurius');
    return GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      inject: [SubscriptionSessions],
      useFactory: (subscriptions: SubscriptionSessions) => ({
        autoSchemaFile: true,
        path: '/graphql',
        graphiql: false,
        // Cost per operation is bounded before anything runs (aliases, depth), as with Apollo below.
        validationRules: validationRules(config),
        // Queries too over the socket, as graphql-ws clients may send them (Apollo serves them alike).
        subscription: { onConnect: subscriptions.mercuriusOnConnect(), fullWsTransport: true },
      }),
    });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ApolloDriver } = require('@nestjs/apollo') as typeof import('@nestjs/apollo');
  return GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    inject: [SubscriptionSessions],
    useFactory: (subscriptions: SubscriptionSessions) => ({
      autoSchemaFile: true,
      path: '/graphql',
      playground: false,
      introspection: config.nodeEnv !== 'production',
      validationRules: validationRules(config),
      // Stack traces are the server's: never in an answer, whatever NODE_ENV says.
      includeStacktraceInErrorResponses: false,
      subscriptions: { 'graphql-ws': subscriptions.graphqlWs() },
      context: (argument: { req?: unknown }) =>
        subscriptions.contextOf(argument) ?? { req: argument.req },
    }),
  });
}
