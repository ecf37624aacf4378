import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { UsersService } from '../users/users.service';
import { ConfigurableModuleClass, RAW_AUTH_OPTIONS } from './auth.module-definition';
import { AUTH_OPTIONS, type AuthModuleOptions, resolveAuthOptions } from './auth.options';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CLOCK, systemClock } from './clock/clock';
import { AccessTokenGuard } from './guards/access-token.guard';
import { BearerChallengeFilter } from './guards/bearer-challenge.filter';
import { RolesGuard } from './guards/roles.guard';
import { PasswordService } from './passwords/password.service';
import { InMemoryRevocationList } from './revocation/in-memory-revocation-list';
import { RevocationListLoader } from './revocation/revocation-list.loader';
import { REVOCATION_LIST } from './revocation/revocation-list.port';
import { RefreshTokenEntity } from './sessions/refresh-token.entity';
import { SessionEntity } from './sessions/session.entity';
import { SESSION_STORE } from './sessions/session-store.port';
import { TypeOrmSessionStore } from './sessions/typeorm-session.store';
import { AccessTokenStrategy } from './strategies/access-token.strategy';
import { RefreshTokenStrategy } from './strategies/refresh-token.strategy';
import { TokenService } from './tokens/token.service';
import { USER_STORE } from './user-store.port';

/**
 * JWT access tokens, rotating refresh tokens and server-side sessions.
 * `AuthModule.forRoot(options)` or `AuthModule.forRootAsync({ imports, inject, useFactory })`; the host's TypeORM
 * data source must load the module's entities (`autoLoadEntities: true`, or list them).
 */
@Module({
  imports: [
    PassportModule,
    TypeOrmModule.forFeature([SessionEntity, RefreshTokenEntity]),
    UsersModule,
  ],
  controllers: [AuthController],
  providers: [
    {
      provide: AUTH_OPTIONS,
      inject: [RAW_AUTH_OPTIONS],
      useFactory: (options: AuthModuleOptions) => resolveAuthOptions(options),
    },
    { provide: CLOCK, useValue: systemClock },
    { provide: USER_STORE, useExisting: UsersService },
    { provide: SESSION_STORE, useClass: TypeOrmSessionStore },
    { provide: REVOCATION_LIST, useClass: InMemoryRevocationList },
    TokenService,
    PasswordService,
    AuthService,
    RevocationListLoader,
    AccessTokenStrategy,
    RefreshTokenStrategy,
    // Order matters: the caller is authenticated before its roles are checked.
    { provide: APP_GUARD, useClass: AccessTokenGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_FILTER, useClass: BearerChallengeFilter },
  ],
  exports: [
    AuthService,
    TokenService,
    PasswordService,
    AUTH_OPTIONS,
    CLOCK,
    USER_STORE,
    SESSION_STORE,
    REVOCATION_LIST,
  ],
})
export class AuthModule extends ConfigurableModuleClass {}
