import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { type AuthUser, CurrentUser, Public } from 'nest-session-auth';
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

/** A public route that reads the caller when a valid access token comes with the request (optional sign-in). */
@Controller('hello')
class HelloController {
  @Public()
  @Get()
  hello(@CurrentUser() user?: AuthUser) {
    return { caller: user?.email ?? 'anonymous', tenant: user?.claims?.tenant ?? null };
  }
}

@Module({ imports: [AppModule], controllers: [ProfileController, HelloController] })
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
  it("runs the host's hooks: a registration profile, a field of the public user, a claim, optional sign-in", async () => {
    const json = { 'content-type': 'application/json' };
    const email = 'hooked.user@example.com';
    const password = 'correct horse battery';
    const registered = await fetch(`${url}/auth/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, password, profile: { displayName: 'Ada' } }),
    });
    expect(registered.status).toBe(201);
    expect(((await registered.json()) as { displayName: unknown }).displayName).toBe('Ada');
    const login = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()) as {
      tenant?: string;
    };
    expect(claims.tenant).toBe('acme');
    const bearer = { authorization: `Bearer ${accessToken}` };
    const me = (await (await fetch(`${url}/auth/me`, { headers: bearer })).json()) as {
      displayName: unknown;
    };
    expect(me.displayName).toBe('Ada');

    const hello = async (headers: Record<string, string> = {}) =>
      (await (await fetch(`${url}/hello`, { headers })).json()) as { caller: string; tenant: unknown };
    expect(await hello(bearer)).toEqual({ caller: email, tenant: 'acme' });
    expect(await hello()).toEqual({ caller: 'anonymous', tenant: null });
    expect(await hello({ authorization: 'Bearer not-a-token' })).toEqual({
      caller: 'anonymous',
      tenant: null,
    });
  });
});
