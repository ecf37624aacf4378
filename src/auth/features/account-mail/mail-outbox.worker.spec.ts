import { resolveMailOptions } from './account-mail.options';
import { resolveAuthOptions } from '../../core/options/resolve-auth-options';
import { InMemoryMailStore } from './in-memory-mail.store';
import { MailOutboxWorker, retryDelay } from './mail-outbox.worker';
import type { OutgoingMail } from './mailer.port';
import { OutboxSeal } from './outbox-seal';

const SECRET = 'unit-refresh-secret-0123456789abcdefghij';
const MAIL: OutgoingMail = {
  from: 'a@example.com',
  to: 'b@example.com',
  subject: 'Hello',
  text: 'https://app.example/reset-password?token=abc',
  html: '<p>hi</p>',
};

function workerWith(send: (mail: OutgoingMail) => Promise<void>, maxAttempts = 20) {
  const options = resolveAuthOptions({
    jwtSecret: 'unit-access-secret-0123456789abcdefghij',
    jwtRefreshSecret: SECRET,
    allowWeakSettings: true,
  });
  const store = new InMemoryMailStore();
  const mailOptions = resolveMailOptions({ mailWorker: { maxRetryDelay: 8000, maxAttempts } });
  return { store, worker: new MailOutboxWorker(options, mailOptions, store, { send }) };
}

async function queue(store: InMemoryMailStore, at = Date.now()): Promise<void> {
  const token = { hash: 'h', userId: 'u', purpose: 'password_reset' as const, credentialEpoch: 0 };
  const bound = { ...token, accountEmail: 'u@example.com' };
  await store.issue(
    { ...bound, createdAt: at, expiresAt: at + 1000 },
    [new OutboxSeal(SECRET).seal(MAIL)],
    at,
  );
}

describe('MailOutboxWorker', () => {
  it('doubles the wait after each failure, from 1 s up to the cap', () => {
    expect([1, 2, 3, 4, 5, 9].map((attempts) => retryDelay(attempts, 8000))).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });

  it('sends a queued mail once and removes it from the queue', async () => {
    const sent: OutgoingMail[] = [];
    const { store, worker } = workerWith((mail) => Promise.resolve(void sent.push(mail)));
    await queue(store);
    await worker.drain();
    await worker.drain();
    expect(sent).toEqual([MAIL]);
    expect(await store.claim(Date.now() + 1e9, 10, 1000)).toEqual([]);
  });

  it('puts a failed mail back for later, and sends it once it is due and the transport works', async () => {
    let up = false;
    const sent: OutgoingMail[] = [];
    const { store, worker } = workerWith((mail) =>
      up ? Promise.resolve(void sent.push(mail)) : Promise.reject(new Error('ECONNREFUSED')),
    );
    await queue(store);
    await worker.drain();
    // Not due again before its backoff.
    expect(await store.claim(Date.now() + 500, 10, 0)).toEqual([]);
    up = true;
    const [due] = await store.claim(Date.now() + 1000, 10, 0);
    expect(due.attempts).toBe(2);
  });

  it('gives a mail up after maxAttempts', async () => {
    const { store, worker } = workerWith(() => Promise.reject(new Error('550 no such user')), 1);
    await queue(store);
    await worker.drain();
    expect(await store.claim(Date.now() + 1e9, 10, 1000)).toEqual([]);
  });
});

describe('OutboxSeal', () => {
  it('opens what it sealed, and nothing sealed under another secret or altered', () => {
    const seal = new OutboxSeal(SECRET);
    const sealed = seal.seal(MAIL);
    expect(sealed).not.toContain('token=abc');
    expect(seal.open(sealed)).toEqual(MAIL);
    expect(() => new OutboxSeal(`${SECRET}x`).open(sealed)).toThrow();
    const altered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => seal.open(altered)).toThrow();
  });
});
