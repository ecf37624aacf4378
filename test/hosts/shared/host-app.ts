import {
  Controller,
  Get,
  type INestApplication,
  Injectable,
  Module,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { type AuthUser, CurrentUser } from 'nest-session-auth';
import { createHostDatabase, type HostDatabase } from './database.js';

export type HttpAdapterName = 'express' | 'fastify';

@Injectable()
class Greeter {
  greet(user: AuthUser): string {
    return `Hello ${user.email}`;
  }
}

/**
 * A route of the host's own, guarded by the module's global guard, that reads the caller. Greeter is injected by
 * its type alone: the route answers only if the host's test toolchain (ts-jest, Vitest's transformer) emits
 * decorator metadata.
 */
@Controller('profile')
class ProfileController {
  constructor(private readonly greeter: Greeter) {}

  @Get()
  profile(@CurrentUser() user: AuthUser) {
    return {
      id: user.id,
      email: user.email,
      roles: user.roles,
      greeting: this.greeter.greet(user),
    };
  }
}

export interface RunningHost {
  url: string;
  stop(): Promise<void>;
}

/**
 * Boots the host's AppModule, plus its own route, on a fresh PostgreSQL database, listening on a free port, with
 * no global pipe (so the 400s on bad bodies must come from the module itself). The app reads its settings from
 * the environment, as the README's snippet does.
 */
export async function startHost(appModule: Type, adapter: HttpAdapterName): Promise<RunningHost> {
  const database: HostDatabase = await createHostDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.JWT_SECRET = 'host-matrix-access-secret-0123456789abcdef';
  process.env.JWT_REFRESH_SECRET = 'host-matrix-refresh-secret-0123456789abcdef';

  @Module({ imports: [appModule], controllers: [ProfileController], providers: [Greeter] })
  class HostApp {}

  let app: INestApplication | undefined;
  try {
    app = await NestFactory.create(
      HostApp,
      adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
      { logger: ['error', 'warn'] },
    );
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const running = app;
    return {
      url,
      async stop() {
        await running.close();
        await database.drop();
      },
    };
  } catch (error) {
    await app?.close();
    await database.drop();
    throw error;
  }
}
