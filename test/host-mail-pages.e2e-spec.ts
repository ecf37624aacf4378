import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { accountMail, AuthModule, type AuthModuleOptions } from '../src/auth';
import {
  type AccountMailOptions,
  MailOutboxWorker,
  type OutgoingMail,
} from '../src/auth/features/account-mail';
import { InMemorySessionStore } from '../src/auth/testing/in-memory-session.store';
import { InMemoryUserStore } from '../src/auth/testing/in-memory-user.store';
import { HOST_AUTH_OPTIONS } from './host-app/host-app.module';

/** accountMail's mailed links in a host: their base and paths, and the module's own pages they can open. */
const E2E_HTTP_ADAPTER =
  (globalThis as { E2E_HTTP_ADAPTER?: string }).E2E_HTTP_ADAPTER ?? 'express';
const PASSWORD = 'correct horse battery';

interface Host {
  app: INestApplication;
  sent: OutgoingMail[];
}

/** A host under `/identity` whose mail is kept in `sent`, with `mail` as accountMail's options. */
async function startHost(mail: AccountMailOptions): Promise<Host> {
  const sent: OutgoingMail[] = [];
  const options: AuthModuleOptions = {
    ...HOST_AUTH_OPTIONS,
    userStore: new InMemoryUserStore(),
    sessionStore: new InMemorySessionStore(),
  };
  const moduleRef = await Test.createTestingModule({
    imports: [
      AuthModule.forRoot({
        ...options,
        typeorm: false,
        routePrefix: 'identity',
        features: [
          accountMail({
            ...mail,
            mailer: { send: (one) => Promise.resolve(void sent.push(one)) },
            mailWorker: { pollInterval: 0 },
          }),
        ],
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication(
    E2E_HTTP_ADAPTER === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(),
    { logger: false },
  );
  await app.init();
  if (E2E_HTTP_ADAPTER === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  return { app, sent };
}

/** Registers `email` and answers the link of the verification mail it got. */
async function verificationLink(host: Host, email: string): Promise<URL> {
  await request(host.app.getHttpServer())
    .post('/identity/register')
    .send({ email, password: PASSWORD })
    .expect(201);
  await host.app.get(MailOutboxWorker).drain();
  const mail = host.sent.find((one) => one.to === email);
  const link = /https?:\/\/\S+\?token=[\w%-]+/.exec(mail?.text ?? '')?.[0];
  expect(link).toBeDefined();
  return new URL(link!);
}

describe('mailed links with the base and paths the host gives', () => {
  let host: Host;
  beforeAll(async () => {
    host = await startHost({
      appUrl: 'https://app.example.com/portal',
      linkPaths: {
        verifyEmail: 'account/verify',
        resetPassword: 'account/reset',
        confirmEmail: 'account/confirm',
      },
    });
  });
  afterAll(() => host.app.close());

  it('links to the host’s own page under its base', async () => {
    const link = await verificationLink(host, 'paths@example.com');

    expect(`${link.origin}${link.pathname}`).toBe('https://app.example.com/portal/account/verify');
  });

  it('refuses a path that is not one', () => {
    expect(() => accountMail({ linkPaths: { resetPassword: 'https://evil.example/x' } })).toThrow(
      /^Invalid accountMail options: linkPaths\.resetPassword must be a path/,
    );
  });
});

describe("the module's pages, mounted by the host", () => {
  let host: Host;
  const http = () => request(host.app.getHttpServer());
  beforeAll(async () => {
    host = await startHost({ appUrl: 'https://app.example.com', pages: true });
  });
  afterAll(() => host.app.close());

  it('a mailed link opens a page whose script verifies the address', async () => {
    const link = await verificationLink(host, 'pages@example.com');
    expect(link.pathname).toBe('/identity/pages/verify-email');

    const page = await http().get(`${link.pathname}${link.search}`).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const html = page.text;
    const script = /<script src="([^"]+)"/.exec(html)?.[1];
    const api = /data-api="([^"]*)"/.exec(html)?.[1];
    expect({ script, api }).toEqual({ script: '/identity/pages/links.js', api: '/identity' });

    const code = await http().get(script!).expect(200);
    expect(code.headers['content-type']).toMatch(/^text\/javascript/);
    // What the script posts, as a browser would send it.
    expect(code.text).toContain("post('/verify-email', { token })");
    await http()
      .post(`${api}/verify-email`)
      .set('X-Requested-With', 'fetch')
      .send({ token: link.searchParams.get('token') })
      .expect(204);

    const login = await http()
      .post('/identity/login')
      .send({ email: 'pages@example.com', password: PASSWORD })
      .expect(200);
    const me = await http()
      .get('/identity/me')
      .set('Authorization', `Bearer ${(login.body as { accessToken: string }).accessToken}`)
      .expect(200);
    expect((me.body as { emailVerified: boolean }).emailVerified).toBe(true);
  });

  it.each(['reset-password', 'confirm-email'])('serves the %s page to anyone', async (name) => {
    const page = await http().get(`/identity/pages/${name}?token=x`).expect(200);

    expect(page.text).toContain(`data-page="${name}"`);
  });
});
