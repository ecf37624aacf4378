import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AuthService } from '../src/auth';
import { hostAppModule } from './host-app/host-app.module';

/**
 * The module's routes take JSON only, whatever body parsers the host has: a host that parses forms (Nest's Express
 * and Fastify adapters do by default) must not let a cross-site form sign anyone in.
 */
const E2E_HTTP_ADAPTER =
  (globalThis as { E2E_HTTP_ADAPTER?: string }).E2E_HTTP_ADAPTER ?? 'express';

const EMAIL = 'form-poster@example.com';
const PASSWORD = 'correct horse battery';

let app: INestApplication;

beforeAll(async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [hostAppModule('no-typeorm')],
  }).compile();
  // Nest's Express and Fastify adapters both parse JSON and url-encoded forms by default.
  app = moduleRef.createNestApplication(
    E2E_HTTP_ADAPTER === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(),
    { logger: false },
  );
  await app.init();
  if (E2E_HTTP_ADAPTER === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  await app.get(AuthService).register(EMAIL, PASSWORD);
});

afterAll(() => app.close());

const http = () => request(app.getHttpServer());

describe("the module's routes take JSON bodies only", () => {
  it.each([
    [
      'a url-encoded form',
      'application/x-www-form-urlencoded',
      `email=${EMAIL}&password=${PASSWORD}`,
    ],
    [
      'text/plain (a form with enctype=text/plain)',
      'text/plain',
      JSON.stringify({ email: EMAIL, password: PASSWORD }),
    ],
  ])('refuses a login posted as %s with 415 UNSUPPORTED_MEDIA_TYPE', async (_name, type, body) => {
    const response = await http().post('/auth/login').set('Content-Type', type).send(body);

    expect(response.status).toBe(415);
    expect(response.body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'Unsupported Media Type: send JSON (Content-Type: application/json)',
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  });

  it('refuses a login posted as multipart/form-data with 415', async () => {
    const response = await http()
      .post('/auth/login')
      .set('Content-Type', 'multipart/form-data; boundary=x')
      .send(`--x\r\nContent-Disposition: form-data; name="email"\r\n\r\n${EMAIL}\r\n--x--\r\n`);

    expect(response.status).toBe(415);
    // Fastify has no multipart parser unless the host adds one, and answers 415 itself before any route.
    const by = E2E_HTTP_ADAPTER === 'fastify' ? undefined : 'UNSUPPORTED_MEDIA_TYPE';
    expect((response.body as { code?: string }).code).toBe(by);
  });

  it('signs in with the same credentials as JSON, a charset parameter allowed', async () => {
    const response = await http()
      .post('/auth/login')
      .set('Content-Type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ email: EMAIL, password: PASSWORD }));

    expect(response.status).toBe(200);
    expect(response.body).toHaveProperty('accessToken');
  });

  it('lets a request without a body through, whatever its Content-Type', async () => {
    const { body } = await http().post('/auth/login').send({ email: EMAIL, password: PASSWORD });
    const response = await http()
      .get('/auth/me')
      .set('Authorization', `Bearer ${(body as { accessToken: string }).accessToken}`)
      .set('Content-Type', 'text/plain');

    expect({ status: response.status, body: response.body as unknown }).toEqual({
      status: 200,
      body: expect.objectContaining({ email: EMAIL }),
    });
  });
});
