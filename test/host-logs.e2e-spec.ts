import { ConsoleLogger, type INestApplication, Module } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Logger as PinoLogger, LoggerModule } from 'nestjs-pino';
import request from 'supertest';
import { accountMail, AuthModule } from '../src/auth';
import { HOST_AUTH_OPTIONS, hostFeatures } from './host-app/host-app.module';
import { InMemorySessionStore } from '../src/auth/testing/in-memory-session.store';
import { InMemoryUserStore } from '../src/auth/testing/in-memory-user.store';

/**
 * The module's log lines are one line each, under Nest's default ConsoleLogger and under pino, and carry no token,
 * password or hash; a limit left out (no `throttling()` feature) prints no warning.
 */

const E2E_HTTP_ADAPTER =
  (globalThis as { E2E_HTTP_ADAPTER?: string }).E2E_HTTP_ADAPTER ?? 'express';
const PASSWORD = 'correct horse battery';
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

@Module({})
class LogsHostModule {}

/** Everything written to stdout and stderr while `work` runs, one entry per write. */
async function captureOutput(work: () => Promise<void>): Promise<string[]> {
  const writes: string[] = [];
  const record = (chunk: unknown): boolean => {
    writes.push(String(chunk).replace(ANSI, ''));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(record);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(record);
  try {
    await work();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return writes;
}

function authModule(features = hostFeatures()) {
  return AuthModule.forRoot({
    ...HOST_AUTH_OPTIONS,
    features,
    userStore: new InMemoryUserStore(),
    sessionStore: new InMemorySessionStore(),
  });
}

async function start(
  logger: 'console' | 'pino',
  pinoLines: string[] = [],
  features = hostFeatures(),
): Promise<INestApplication> {
  const pino = LoggerModule.forRoot({
    pinoHttp: [
      { level: 'info', autoLogging: false },
      { write: (line: string) => pinoLines.push(line) },
    ],
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      {
        module: LogsHostModule,
        imports: logger === 'pino' ? [pino, authModule(features)] : [authModule(features)],
      },
    ],
  }).compile();
  const adapter = E2E_HTTP_ADAPTER === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app =
    logger === 'pino'
      ? moduleRef.createNestApplication(adapter, { bufferLogs: true })
      : moduleRef.createNestApplication(adapter, { logger: new ConsoleLogger() });
  if (logger === 'pino') app.useLogger(app.get(PinoLogger));
  await app.init();
  if (E2E_HTTP_ADAPTER === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  return app;
}

/** Logs in, rotates twice and presents the first token again: theft, which the module logs. */
async function stealARefreshToken(app: INestApplication): Promise<string[]> {
  const http = () => request(app.getHttpServer());
  const email = `logs-${process.pid}-${Date.now()}@example.com`;
  await http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
  const first = (await http().post('/auth/login').send({ email, password: PASSWORD }).expect(200))
    .body as { accessToken: string; refreshToken: string };
  const second = (
    await http().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)
  ).body as { accessToken: string; refreshToken: string };
  await http().post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(200);
  await http().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
  return [first.accessToken, first.refreshToken, second.refreshToken, second.accessToken];
}

describe("the module's log output under Nest's default ConsoleLogger", () => {
  it('prints nothing about throttling when the throttling feature is left out', async () => {
    let app: INestApplication | undefined;
    const output = await captureOutput(async () => {
      app = await start('console');
      await app.close();
    });

    expect(output.join('')).toContain('Nest application successfully started');
    expect(output.filter((line) => /throttl/i.test(line))).toEqual([]);
  });

  it('says at boot where mail goes, an SMTP server without its credentials', async () => {
    const output = await captureOutput(async () => {
      await (await start('console')).close();
      const smtp = accountMail({ smtpUrl: 'smtp://mailuser:mail-secret@127.0.0.1:2525' });
      await (await start('console', [], [smtp])).close();
    });

    const mail = output.filter((line) => line.includes('[AccountMail]'));
    expect(mail).toHaveLength(2);
    expect(mail[0]).toContain(
      'Mail is written as .eml files to data/outbox (no smtpUrl, no mailer)',
    );
    expect(mail[1]).toContain('Mail goes to SMTP at smtp://127.0.0.1:2525');
    expect(output.join('')).not.toContain('mail-secret');
  });

  it('prints the theft warning as one line with its fields, and no token or password', async () => {
    const app = await start('console');
    let secrets: string[] = [];
    const output = await captureOutput(async () => {
      secrets = await stealARefreshToken(app);
    });
    await app.close();

    const theft = output.filter((write) => write.includes('Refresh token reuse detected'));
    expect(theft).toHaveLength(1);
    expect(theft[0].trimEnd()).not.toContain('\n');
    expect(theft[0]).toMatch(
      /WARN .*session revoked \(sessionId=[0-9a-f-]{36}, userId=[0-9a-f-]{36}, ip=\S+\)/,
    );
    for (const secret of [...secrets, PASSWORD]) expect(output.join('')).not.toContain(secret);
  });
});

describe("the module's log output under pino (nestjs-pino)", () => {
  it('logs the theft as one JSON line with the fields as keys, and no throttling warning', async () => {
    const lines: string[] = [];
    const app = await start('pino', lines);
    const secrets = await stealARefreshToken(app);
    await app.close();

    expect(lines.every((line) => line.trimEnd().split('\n').length === 1)).toBe(true);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.filter((entry) => /throttl/i.test(String(entry.msg)))).toEqual([]);
    expect(entries.filter((entry) => String(entry.msg).startsWith('Refresh token reuse'))).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'Refresh token reuse detected: session revoked',
        sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ip: expect.any(String),
      }),
    ]);
    for (const secret of [...secrets, PASSWORD]) expect(lines.join('')).not.toContain(secret);
  });
});
