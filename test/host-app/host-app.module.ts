import {
  Controller,
  type DynamicModule,
  Get,
  Module,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
// A host sees the module only through its public entry.
import {
  AccessTokenGuard,
  type AuthFeature,
  type AuthModuleOptions,
  AuthModule,
  type AuthUser,
  defaultFeatures,
  CurrentUser,
  Public,
  Roles,
  RolesGuard,
} from '../../src/auth';
import { authEntities, authMigrations } from '../../src/auth/adapters/typeorm';
import { InMemorySessionStore } from '../../src/auth/testing/in-memory-session.store';
import { InMemoryUserStore } from '../../src/auth/testing/in-memory-user.store';

/**
 * - `custom-users`: the host's own user store (injected into `forRootAsync`), the built-in TypeORM session store on
 *   the host's data source, routes under `/identity`, the global guard on.
 * - `no-typeorm`: no TypeORM at all, both stores the host's own, no global guard, no registration route.
 */
export type HostVariant = 'custom-users' | 'no-typeorm';

/** What a host would keep in its own configuration. */
export const HOST_AUTH_OPTIONS = {
  jwtSecret: 'host-access-secret-0123456789abcdefghijklmnop',
  jwtRefreshSecret: 'host-refresh-secret-0123456789abcdefghijklmnop',
  bcryptRounds: 4,
  allowWeakSettings: true,
} satisfies AuthModuleOptions;

/**
 * The default features but the per-client limit: the host tests log in many times from one client in a few
 * milliseconds, and the limit is tested elsewhere.
 */
export function hostFeatures(): AuthFeature[] {
  return defaultFeatures().filter((feature) => feature.id !== 'throttling');
}

/** The host's users module: the store lives here, and the host injects it where it wants. */
@Module({ providers: [InMemoryUserStore], exports: [InMemoryUserStore] })
export class HostUsersModule {}

/** Host routes behind the module's global guard. */
@Controller()
export class GloballyGuardedController {
  @Public()
  @Get('hello')
  hello(): { message: string } {
    return { message: 'hello' };
  }

  @Get('me-too')
  meToo(@CurrentUser() user: AuthUser): AuthUser {
    return user;
  }

  @Roles('auditor')
  @Get('reports')
  reports(@CurrentUser('id') userId: string): { reports: string[]; for: string } {
    return { reports: ['q1'], for: userId };
  }
}

/** Host routes with no global guard: each route opts in to the module's guards. */
@Controller()
export class ExplicitlyGuardedController {
  @UseGuards(AccessTokenGuard, RolesGuard)
  @Roles('user')
  @Get('guarded')
  guarded(@CurrentUser() user: AuthUser): { userId: string } {
    return { userId: user.id };
  }

  /** A host that guards with passport's own guard and the module's strategy `jwt`, as before the module had guards. */
  @UseGuards(AuthGuard('jwt'))
  @Get('passport-guarded')
  passportGuarded(@CurrentUser() user: AuthUser): { userId: string; sessionId: string } {
    return { userId: user.id, sessionId: user.sessionId };
  }

  @Get('open')
  open(): { message: string } {
    return { message: 'open to all' };
  }
}

/**
 * Host routes that fail on their own: an outbound call refused (what a database outage of the module's looks like),
 * and the host's own 401. `@Public()`, so the global guard lets them run; the module must not answer for them.
 */
@Controller('own-errors')
export class HostOwnErrorsController {
  @Public()
  @Get('upstream-refused')
  upstreamRefused(): never {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      code: 'ECONNREFUSED',
      errno: -111,
      syscall: 'connect',
    });
  }

  @Public()
  @Get('unauthorized')
  unauthorized(): never {
    throw new UnauthorizedException('Sign in to the partner site first');
  }
}

@Module({})
export class HostAppModule {}

/** The root module of a host app that uses the auth module, in one of two shapes. */
export function hostAppModule(variant: HostVariant): DynamicModule {
  if (variant === 'custom-users') {
    return {
      module: HostAppModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'better-sqlite3',
          database: ':memory:',
          entities: authEntities(defaultFeatures()),
          migrations: authMigrations(defaultFeatures()),
          migrationsRun: true,
        }),
        AuthModule.forRootAsync({
          routePrefix: 'identity',
          features: hostFeatures(),
          // The host's users: only the session store is the built-in one.
          typeorm: { users: false },
          imports: [HostUsersModule],
          inject: [InMemoryUserStore],
          useFactory: (users: InMemoryUserStore): AuthModuleOptions => ({
            ...HOST_AUTH_OPTIONS,
            userStore: users,
          }),
        }),
      ],
      controllers: [GloballyGuardedController, HostOwnErrorsController],
    };
  }
  const users = new InMemoryUserStore();
  const sessions = new InMemorySessionStore();
  return {
    module: HostAppModule,
    imports: [
      AuthModule.forRoot({
        ...HOST_AUTH_OPTIONS,
        userStore: users,
        sessionStore: sessions,
        typeorm: false,
        features: hostFeatures(),
        globalGuard: false,
        routes: { registration: false },
      }),
    ],
    controllers: [ExplicitlyGuardedController, HostOwnErrorsController],
    // The host keeps its stores at hand, e.g. to create users by invitation.
    providers: [
      { provide: InMemoryUserStore, useValue: users },
      { provide: InMemorySessionStore, useValue: sessions },
    ],
  };
}
