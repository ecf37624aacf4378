import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { type AuthUser, CurrentUser } from 'nest-session-auth';
import { AppModule, mailer } from '../src/app.module.js';
import { hostChecks } from './support/host-checks.js';

/** The host's own route behind the module's global guard, as the shared checks expect it. */
@Controller('profile')
class ProfileController {
  @Get()
  profile(@CurrentUser() user: AuthUser) {
    return { id: user.id, email: user.email, roles: user.roles, greeting: `Hello ${user.email}` };
  }
}

@Module({ imports: [AppModule], controllers: [ProfileController] })
class HostApp {}

/** What a host with stores of its own must not have to install (the package's optional peers). */
const NOT_INSTALLED = ['typeorm', '@nestjs/typeorm', 'ioredis', 'nodemailer', '@nestjs/swagger', 'pg'];

describe('a host with stores of its own installs none of the optional peers', () => {
  it.each(NOT_INSTALLED)('%s is not installed', (name) => {
    expect(() => require.resolve(name)).toThrow(/Cannot find module/);
  });
});

describe.each(['express', 'fastify'] as const)('nest-session-auth with the host\'s own stores on %s', (adapter) => {
  let app: INestApplication | undefined;
  let url = 'http://app-did-not-start.invalid';

  beforeAll(async () => {
    process.env.JWT_SECRET = 'own-stores-access-secret-0123456789abcdef';
    process.env.JWT_REFRESH_SECRET = 'own-stores-refresh-secret-0123456789abcdef';
    app = await NestFactory.create(
      HostApp,
      adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
      { logger: ['error', 'warn'] },
    );
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
  });

  for (const check of hostChecks()) {
    it(check.name, () => check.run(url));
  }

  it("mails a password-reset link through the host's own mailer", async () => {
    const before = mailer.sent.length;
    const response = await fetch(`${url}/auth/password/forgot`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'host.user@example.com' }),
    });
    expect(response.status).toBe(202);
    const deadline = Date.now() + 5000;
    while (mailer.sent.length === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const mail = mailer.sent.at(-1);
    expect(mail?.to).toBe('host.user@example.com');
    expect(mail?.text).toMatch(/reset-password\?token=[\w.-]+/);
  });
});
