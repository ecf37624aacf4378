import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AdminSeeder } from './admin-seeder';
import { AuthModule, type AuthModuleOptions } from './auth';
import type { AccountMailOptions } from './auth/features/account-mail';
import type { MfaOptions } from './auth/features/mfa';
import { isPermanentDatabaseError } from './auth/adapters/typeorm';
import type { AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/database.options';
import { DemoModule } from './demo/demo.module';
import { ExampleModule } from './example/example.module';
import { HealthModule } from './health/health.module';
import { loggerOptions } from './logging/logger.options';
import { RealtimeModule } from './realtime/realtime.module';
import { serverFeatures } from './server-features';

/**
 * The reference server: config -> database -> AuthModule (with its default user store) -> example routes, GraphQL
 * and socket.io.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] }),
        LoggerModule.forRoot(loggerOptions(config)),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (env: ConfigService<AppConfig, true>) => ({
            ...dataSourceOptions(
              env.get('databaseUrl'),
              env.get('databaseTimeout'),
              env.get('sqliteSynchronous'),
              serverFeatures(config.features),
            ),
            // A database that is down at boot is reported within seconds, not after TypeORM's default 27 s; one that
            // does not exist, or refuses the credentials, at once: no retry cures that.
            retryAttempts: 2,
            retryDelay: 1000,
            toRetry: (error: unknown) => !isPermanentDatabaseError(error),
          }),
        }),
        AuthModule.forRootAsync({
          // Global, so that the health check can ask after the module's Redis (AuthRedisHealth).
          isGlobal: true,
          features: serverFeatures(config.features, {
            mail: mailOptions(config.mail),
            mfa: mfaOptions(config.mfa),
            throttle: config.throttle,
            passkeys: config.passkeys,
            realtime: { messageBudget: config.connections.messageBudget },
          }),
          inject: [ConfigService],
          useFactory: (env: ConfigService<AppConfig, true>) => authOptions(env),
        }),
        ExampleModule,
        DemoModule,
        HealthModule,
        // GraphQL and socket.io ride on the realtime feature's providers.
        ...(config.features.includes('realtime') ? [RealtimeModule.forRoot(config)] : []),
      ],
      providers: [AdminSeeder],
    };
  }
}

function authOptions(env: ConfigService<AppConfig, true>): AuthModuleOptions {
  const jwt = env.get('jwt', { infer: true });
  return {
    // An asymmetric algorithm signs access tokens with the private key: no access secret then.
    jwtSecret: jwt.algorithm === 'HS256' ? jwt.secret : undefined,
    jwtAlgorithm: jwt.algorithm,
    // The KeyObjects the config parsed from the PEMs at boot: the module does not parse them again.
    jwtPrivateKey: jwt.keys?.privateKey,
    jwtPublicKey: jwt.keys?.publicKey,
    jwtPreviousPublicKeys: jwt.keys?.previousPublicKeys,
    jwtRefreshSecret: jwt.refreshSecret,
    jwtExpiration: jwt.expiration,
    jwtRefreshExpiration: jwt.refreshExpiration,
    jwtIssuer: jwt.issuer,
    jwtAudience: jwt.audience,
    sessionMaxAge: env.get('sessionMaxAge'),
    refreshReuseGrace: env.get('refreshReuseGrace'),
    sessionsPerUser: env.get('sessionsPerUser'),
    pruneInterval: env.get('pruneInterval'),
    bcryptRounds: env.get('bcryptRounds'),
    refreshTransport: env.get('refreshTransport'),
    cookieSecure: env.get('cookieSecure'),
    trustedOrigins: env.get('corsOrigins'),
    redisUrl: env.get('redisUrl'),
    redisKeyPrefix: env.get('redisKeyPrefix'),
    // The environment was checked already (strictly in production); development may use short secrets.
    allowWeakSettings: env.get('nodeEnv') !== 'production',
    production: env.get('nodeEnv') === 'production',
  };
}

function mailOptions(mail: AppConfig['mail']): AccountMailOptions {
  return {
    appUrl: mail.appUrl,
    smtpUrl: mail.smtpUrl,
    mailFrom: mail.from,
    mailOutboxDir: mail.outboxDir,
    emailVerification: mail.verification,
    emailTokenTtl: mail.emailTokenTtl,
    passwordResetTtl: mail.passwordResetTtl,
    mailWorker: { pollInterval: mail.pollInterval, maxRetryDelay: mail.maxRetryDelay },
  };
}

function mfaOptions(config: AppConfig['mfa']): MfaOptions {
  return {
    mode: config.mode,
    rememberDeviceSeconds: config.rememberDevice,
    stepUpMaxAge: config.stepUpMaxAge,
    encryptionKey: config.encryptionKey,
    requiredRoles: config.requiredRoles,
  };
}
