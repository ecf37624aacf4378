import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventually, type Instances, signUp, sleep, startInstances } from './support/instances';
import { mailTestApp } from './support/mail-env';
import { SmtpSink, tokenOf } from './support/smtp-sink';
import { PASSWORD, sql, startTestApp, type TestApp, uniqueEmail } from './support/test-app';
import { createTestDatabase, E2E_DATABASE, type TestDatabase } from './support/test-database';

/**
 * docs/mail.md: Account lifecycle and mail, the outbox: mail is queued with its token and sent off the request, so an SMTP
 * outage fails no request and loses no mail; several instances send each mail once.
 */
describe('mail outbox through an SMTP outage', () => {
  const app = mailTestApp({ MAIL_RETRY_MAX_DELAY: '300' });
  const { sink } = app;

  const register = (email: string) =>
    app.http().post('/auth/register').send({ email, password: PASSWORD });
  const outboxRows = () =>
    sql<{ payload: string; attempts: number }[]>(
      app,
      'SELECT payload, attempts FROM auth_mail_outbox WHERE failed_at IS NULL',
    );

  it('answers every request while SMTP is down mid-flight, and delivers every mail once it is back', async () => {
    const emails = Array.from({ length: 6 }, () => uniqueEmail('outage'));
    await register(emails[0]).expect(201);
    await sink.waitFor(emails[0]);
    // Down while the worker is at it: the rest is queued with no SMTP server to take it.
    const registering = emails.slice(1).map((email) => register(email));
    await sink.stop();
    for (const response of await Promise.all(registering)) expect(response.status).toBe(201);
    for (const email of emails) {
      await app.http().post('/auth/password/forgot').send({ email }).expect(202);
    }
    await eventually(
      async () => (await outboxRows()).some((row) => Number(row.attempts) >= 2),
      10_000,
    );

    await sink.start();
    for (const email of emails.slice(1)) await sink.waitFor(email);
    const hasReset = (email: string) =>
      sink.to(email).some((mail) => mail.raw.includes('/reset-password?token='));
    await eventually(() => Promise.resolve(emails.every(hasReset)), 10_000);
    await eventually(async () => (await outboxRows()).length === 0, 10_000);
  });

  it('keeps no readable link, token or address in a queued mail', async () => {
    await sink.stop();
    const email = uniqueEmail('sealed');
    await register(email).expect(201);
    const rows = await outboxRows();
    await sink.start();
    const token = tokenOf(await sink.waitFor(email), 'verify-email');

    expect(rows.length).toBeGreaterThan(0);
    for (const { payload } of rows) {
      expect(payload).not.toContain(token);
      expect(payload).not.toContain(email);
      expect(payload).not.toContain('verify-email');
    }
    const tokens = await sql<{ token_hash: string }[]>(
      app,
      'SELECT token_hash FROM auth_mail_tokens',
    );
    expect(tokens.map((row) => row.token_hash)).not.toContain(token);
  });
});

describe('mail without SMTP_URL (development)', () => {
  let app: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'nest-auth-outbox-'));

  beforeAll(async () => {
    app = await startTestApp({ MAIL_OUTBOX_DIR: dir, MAIL_POLL_INTERVAL: '100' });
  });
  afterAll(() => app?.close());

  it('writes each mail as an .eml file holding the link', async () => {
    const email = uniqueEmail('file');
    await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    await eventually(async () => Promise.resolve(readdirSync(dir).length === 1), 10_000);

    const [file] = readdirSync(dir);
    expect(file).toMatch(/\.eml$/);
    const eml = readFileSync(join(dir, file), 'utf8');
    expect(eml).toContain(`To: ${email}`);
    expect(eml).toContain('Subject: Verify your email address');
    expect(eml).toContain('Content-Type: text/html');
    const token = tokenOf({ from: '', to: [email], raw: eml }, 'verify-email');
    await app.http().post('/auth/verify-email').send({ token }).expect(204);
  });
});

/** Only on PostgreSQL, where instances share the database (SQLite is not shared). */
const describeOnPostgres = E2E_DATABASE === 'postgres' ? describe : describe.skip;

describeOnPostgres('two instances sharing one outbox', () => {
  const sink = new SmtpSink();
  let database: TestDatabase;
  let instances: Instances;

  beforeAll(async () => {
    await sink.start();
    database = await createTestDatabase();
    instances = await startInstances(database, {
      SMTP_URL: sink.url,
      EMAIL_VERIFICATION: 'off',
      // Both poll often, so that they race for every row.
      MAIL_POLL_INTERVAL: '20',
      MAIL_RETRY_MAX_DELAY: '200',
    });
  });
  afterAll(async () => {
    await instances?.stop();
    await database?.drop();
    await sink.stop();
  });

  it('sends each mail once', async () => {
    const { a, b } = instances;
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => signUp(i % 2 ? a : b)));
    // A backlog first, with SMTP down, then both instances drain it at once.
    await sink.stop();
    for (const [index, { email }] of users.entries()) {
      await request((index % 2 ? a : b).url)
        .post('/auth/password/forgot')
        .send({ email })
        .expect(202);
    }
    await sleep(300);
    await sink.start();
    for (const { email } of users) await sink.waitFor(email, 1, 20_000);
    await sleep(1000);

    for (const { email } of users) expect(sink.to(email)).toHaveLength(1);
  });
});
