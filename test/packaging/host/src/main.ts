import 'reflect-metadata';
import { Controller, Get, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  AuthModule,
  authEntities,
  authMigrations,
  type AuthUser,
  CurrentUser,
  Public,
  Roles,
} from 'nest-auth';

@Controller()
class HostController {
  @Public()
  @Get('hello')
  hello() {
    return { hello: 'world' };
  }

  @Get('whoami')
  whoami(@CurrentUser() user: AuthUser) {
    return { id: user.id, email: user.email, roles: user.roles };
  }

  @Roles('admin')
  @Get('admin-only')
  adminOnly() {
    return { secret: 'for admins' };
  }
}

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: authEntities,
      migrations: authMigrations,
      migrationsRun: true,
    }),
    AuthModule.forRoot({
      jwtSecret: 'packaging-access-secret-0123456789abcdef',
      jwtRefreshSecret: 'packaging-refresh-secret-0123456789abcdef',
      bcryptRounds: 10,
    }),
  ],
  controllers: [HostController],
})
class HostModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(HostModule, { logger: ['error', 'warn'] });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  await app.listen(0, '127.0.0.1');
  console.log(`LISTENING ${await app.getUrl()}`);
}

void main();
