import type { SmtpSink } from './smtp-sink';

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
