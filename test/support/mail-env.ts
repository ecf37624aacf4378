import { SmtpSink } from './smtp-sink';
import { startTestApp, type TestApp } from './test-app';

/** The environment of a test app that mails to `sink`, with a worker that polls every 100 ms. */
export function mailEnv(sink: SmtpSink, env: Record<string, string> = {}): Record<string, string> {
  return {
    SMTP_URL: sink.url,
    MAIL_POLL_INTERVAL: '100',
    APP_URL: 'http://app.test',
    ...env,
  };
}

/** What the payload of a JWT says (no verification: the server checked it). */
export function claimsOf(jwt: string): Record<string, unknown> {
  const payload = Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8');
  return JSON.parse(payload) as Record<string, unknown>;
}

/** A test app that mails to an SMTP sink of its own: the app's members, and the sink the suite reads mail from. */
export interface MailTestApp extends TestApp {
  sink: SmtpSink;
}

/**
 * The setup every mail suite shares, registered as the enclosing `describe`'s `beforeAll` / `afterAll`: a fresh
 * {@link SmtpSink}, then the reference app mailing to it ({@link mailEnv} with `env`), closed and stopped after. The
 * answer stands for the app as soon as `beforeAll` ran (its members are read then, not at this call).
 */
export function mailTestApp(env: Record<string, string> = {}): MailTestApp {
  const sink = new SmtpSink();
  let started: TestApp | undefined;
  const app = (): TestApp => {
    if (!started) throw new Error('mailTestApp: the app is used before beforeAll started it');
    return started;
  };
  beforeAll(async () => {
    await sink.start();
    started = await startTestApp(mailEnv(sink, env));
  });
  afterAll(async () => {
    await started?.close();
    await sink.stop();
  });
  return {
    sink,
    get app() {
      return app().app;
    },
    get config() {
      return app().config;
    },
    get clock() {
      return app().clock;
    },
    http: () => app().http(),
    close: () => app().close(),
  };
}
