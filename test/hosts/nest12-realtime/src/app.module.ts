import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { accountMail, administration, AuthModule, jwks, throttling } from 'nest-session-auth';
import { authEntities, authMigrations } from 'nest-session-auth/typeorm';
import { realtime, SubscriptionSessions } from 'nest-session-auth/realtime';
import { AccountResolver } from './account.resolver.js';
import { EventsGateway } from './events.gateway.js';

// The module's capabilities beyond sessions: leave one out and it adds no route, table or background work.
const features = [throttling(), accountMail(), administration(), jwks(), realtime()];

/** The README's snippet, plus GraphQL (Apollo, code-first) and a socket.io gateway, as the README shows them. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        type: 'postgres',
        url: config.getOrThrow<string>('DATABASE_URL'),
        entities: authEntities(features),
        migrations: authMigrations(features),
        migrationsRun: true,
      }),
    }),
    AuthModule.forRootAsync({
      // Global, so that the gateway, the resolver and GraphQL's factory inject the realtime feature's providers.
      isGlobal: true,
      features,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        jwtSecret: config.getOrThrow<string>('JWT_SECRET'),
        jwtRefreshSecret: config.getOrThrow<string>('JWT_REFRESH_SECRET'),
      }),
    }),
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [SubscriptionSessions],
      useFactory: (subscriptions: SubscriptionSessions) => ({
        autoSchemaFile: true,
        subscriptions: { 'graphql-ws': subscriptions.graphqlWs() },
        context: (argument: { req?: unknown }) =>
          subscriptions.contextOf(argument) ?? { req: argument.req },
      }),
    }),
  ],
  providers: [AccountResolver, EventsGateway],
})
export class AppModule {}
