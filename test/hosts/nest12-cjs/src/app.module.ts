import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { accountMail, administration, AuthModule, jwks, throttling } from 'nest-session-auth';
import { authEntities, authMigrations } from 'nest-session-auth/typeorm';

// The module's capabilities beyond sessions: leave one out and it adds no route, table or background work.
const features = [throttling(), accountMail(), administration(), jwks()];

@Module({
  imports: [
    // isGlobal: AuthModule's and TypeORM's factories below inject ConfigService without importing ConfigModule.
    ConfigModule.forRoot({ isGlobal: true }),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        type: 'postgres',
        url: config.getOrThrow<string>('DATABASE_URL'),
        entities: [...authEntities(features) /*, your entities */],
        migrations: [...authMigrations(features) /*, your migrations */],
        migrationsRun: true,
      }),
    }),
    AuthModule.forRootAsync({
      // extras: shape the module itself, so they are given here, not by the factory
      routePrefix: 'auth',
      features,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        jwtSecret: config.getOrThrow<string>('JWT_SECRET'),
        jwtRefreshSecret: config.getOrThrow<string>('JWT_REFRESH_SECRET'),
      }),
    }),
  ],
})
export class AppModule {}
