import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity } from 'node:tls';
import { type ServerProcess, startServer } from './support/server-process';
import { PASSWORD, uniqueEmail } from './support/test-app';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** `node dist/main.js` with TLS_CERT_FILE / TLS_KEY_FILE: HTTPS only, with HSTS (docs/configuration.md: Configuration). */
describe('HTTPS (TLS_CERT_FILE and TLS_KEY_FILE)', () => {
  let dir: string;
  let cert: Buffer;
  let server: ServerProcess;
  let port: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'auth-tls-'));
    const [certFile, keyFile] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    // A self-signed certificate for this run only: no key material lives in the repository.
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes'],
        ...['-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost'],
      ],
      { stdio: 'pipe' },
    );
    cert = readFileSync(certFile);
    server = await startServer({
      TLS_CERT_FILE: certFile,
      TLS_KEY_FILE: keyFile,
      BCRYPT_ROUNDS: '4',
      THROTTLE_AUTH_LIMIT: '0',
      DATABASE_URL: 'sqlite::memory:',
    });
    port = new URL(server.url).port;
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Over HTTPS, trusting only the test's certificate (issued to `localhost`; the server listens on 127.0.0.1). */
  function https(method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          ca: cert,
          checkServerIdentity: (_host, peer) => checkServerIdentity('localhost', peer),
          headers: {
            ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
            ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
          );
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  it('logs that it listens on https://', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers /health over HTTPS with Strict-Transport-Security', async () => {
    const health = await https('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(health.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('gives no plaintext answer on its port', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/health' }, (response) =>
        resolve(`HTTP ${response.statusCode}`),
      );
      request.setTimeout(5000, () => request.destroy(new Error('timed out')));
      request.on('error', (error: NodeJS.ErrnoException) =>
        resolve(`error ${error.code ?? error.message}`),
      );
      request.end();
    });
    // Node's TLS server drops a connection that opens with no TLS handshake: no HTTP answer, a reset.
    expect(outcome).toBe('error ECONNRESET');
  });

  it('registers, logs in and serves /protected over HTTPS', async () => {
    const email = uniqueEmail('tls');
    expect((await https('POST', '/auth/register', { email, password: PASSWORD })).status).toBe(201);
    const login = await https('POST', '/auth/login', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    const { accessToken } = JSON.parse(login.body) as { accessToken: string };
    const protectedRoute = await https('GET', '/protected', undefined, accessToken);
    expect(protectedRoute.status).toBe(200);
    expect(JSON.parse(protectedRoute.body)).toMatchObject({ user: { email } });
  });
});
