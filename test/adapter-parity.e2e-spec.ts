import type { INestApplication } from '@nestjs/common';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { E2E_DATABASE } from './support/test-database';
import {
  E2E_HTTP_ADAPTER,
  PASSWORD,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';

/**
 * docs/sessions.md: Behaviour in detail, HTTP layer: Express and Fastify answer every request alike, odd ones included. One
 * table of odd requests (methods, content types, charsets, encodings, duplicate headers, preflights) goes to the
 * reference server on each adapter, and what a client sees of each answer must be the same: the status, whether the
 * body is JSON, the body itself when it is an error, and the headers that matter.
 *
 * It compares the two adapters itself, so it runs in one project only.
 */
const describeOnce =
  E2E_HTTP_ADAPTER === 'express' && E2E_DATABASE === 'sqlite' ? describe : describe.skip;

const ORIGIN = 'https://app.example';

interface OddRequest {
  label: string;
  method: string;
  path: string;
  /** Raw header lines, duplicates allowed. */
  headers: [string, string][];
  body?: string | Buffer;
}

/** The headers a client acts on; others (dates, ids, lengths of equal bodies) may differ. */
const HEADERS_THAT_MATTER = [
  'allow',
  'www-authenticate',
  'retry-after',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'set-cookie',
];

interface Answer {
  status: number;
  json: boolean;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const login = (email: string) => JSON.stringify({ email, password: PASSWORD });

/** The odd requests: each is sent as is to both adapters. */
function oddRequests(): OddRequest[] {
  const json: [string, string] = ['Content-Type', 'application/json'];
  const body = login('nobody@example.com');
  const post = (
    label: string,
    headers: [string, string][],
    raw: string | Buffer = body,
  ): OddRequest => ({
    label,
    method: 'POST',
    path: '/auth/login',
    headers,
    body: raw,
  });
  return [
    // Methods
    {
      label: 'bare OPTIONS of a guarded route',
      method: 'OPTIONS',
      path: '/protected',
      headers: [],
    },
    {
      label: 'CORS preflight of a guarded route',
      method: 'OPTIONS',
      path: '/protected',
      headers: [
        ['Origin', ORIGIN],
        ['Access-Control-Request-Method', 'GET'],
        ['Access-Control-Request-Headers', 'authorization'],
      ],
    },
    {
      label: 'CORS preflight of login from an unlisted origin',
      method: 'OPTIONS',
      path: '/auth/login',
      headers: [
        ['Origin', 'https://evil.example'],
        ['Access-Control-Request-Method', 'POST'],
      ],
    },
    { label: 'HEAD of a guarded route', method: 'HEAD', path: '/protected', headers: [] },
    { label: 'GET of a POST route', method: 'GET', path: '/auth/login', headers: [] },
    { label: 'PUT of a POST route', method: 'PUT', path: '/auth/login', headers: [json], body },
    { label: 'DELETE of a GET route', method: 'DELETE', path: '/auth/me', headers: [] },
    { label: 'an unknown route', method: 'GET', path: '/nowhere', headers: [] },
    { label: 'an unknown method', method: 'PROPFIND', path: '/auth/login', headers: [] },
    // Content types
    post('JSON', [json]),
    post('no Content-Type', []),
    post('text/plain', [['Content-Type', 'text/plain']]),
    post(
      'a form',
      [['Content-Type', 'application/x-www-form-urlencoded']],
      'email=a%40b.c&password=x',
    ),
    post('multipart', [['Content-Type', 'multipart/form-data; boundary=x']], '--x\r\n\r\n--x--'),
    post('XML', [['Content-Type', 'application/xml']], '<a/>'),
    post('application/vnd.api+json', [['Content-Type', 'application/vnd.api+json']]),
    post('JSON with an empty body', [json], ''),
    post('JSON with a body of whitespace', [json], '  \n'),
    post('malformed JSON', [json], '{"email":'),
    post('a JSON string', [json], '"text"'),
    post('JSON null', [json], 'null'),
    post('a JSON array', [json], '[1,2]'),
    // Charsets
    post('JSON; charset=utf-8', [['Content-Type', 'application/json; charset=utf-8']]),
    post('JSON; charset="UTF-8"', [['Content-Type', 'application/json; charset="UTF-8"']]),
    post(
      'JSON; charset=utf-16 (UTF-16 bytes)',
      [['Content-Type', 'application/json; charset=utf-16']],
      Buffer.from(`\ufeff${body}`, 'utf16le'),
    ),
    post('JSON; charset=latin1', [['Content-Type', 'application/json; charset=latin1']]),
    post('JSON; charset=nonsense', [['Content-Type', 'application/json; charset=nonsense']]),
    post(
      'JSON bytes that are not UTF-8',
      [json],
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    ),
    // Encodings
    post('Content-Encoding: gzip', [json, ['Content-Encoding', 'gzip']]),
    post('Content-Encoding: br', [json, ['Content-Encoding', 'br']]),
    post('Content-Encoding: identity', [json, ['Content-Encoding', 'identity']]),
    post('Content-Encoding: nonsense', [json, ['Content-Encoding', 'nonsense']]),
    // Duplicate headers
    post('two Content-Types', [json, ['Content-Type', 'text/plain']]),
    post('two identical Content-Types', [json, json]),
    {
      label: 'two Authorization headers',
      method: 'GET',
      path: '/protected',
      headers: [
        ['Authorization', 'Bearer a.b.c'],
        ['Authorization', 'Bearer d.e.f'],
      ],
    },
    {
      label: 'Authorization with another scheme',
      method: 'GET',
      path: '/protected',
      headers: [['Authorization', 'Basic dXNlcjpwYXNz']],
    },
    post('two Content-Encodings, one identity', [
      json,
      ['Content-Encoding', 'identity'],
      ['Content-Encoding', 'gzip'],
    ]),
    post('Transfer-Encoding: chunked', [json, ['Transfer-Encoding', 'chunked']]),
  ];
}

/**
 * Sends one odd request exactly as written, over a socket of its own (Node's HTTP client would merge or refuse
 * duplicate headers), and reads the answer with Node's HTTP parser.
 */
async function send(port: number, odd: OddRequest): Promise<Answer> {
  const lines = [
    `${odd.method} ${odd.path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Connection: close',
  ];
  for (const [name, value] of odd.headers) lines.push(`${name}: ${value}`);
  const body = odd.body === undefined ? Buffer.alloc(0) : Buffer.from(odd.body);
  const chunked = odd.headers.some(([name]) => name.toLowerCase() === 'transfer-encoding');
  if (odd.body !== undefined && !chunked) lines.push(`Content-Length: ${body.length}`);
  const payload = chunked
    ? Buffer.concat([
        Buffer.from(`${body.length.toString(16)}\r\n`),
        body,
        Buffer.from('\r\n0\r\n\r\n'),
      ])
    : body;
  const raw = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), payload]);
  const answer = await new Promise<Buffer>((resolve, reject) => {
    // Written, not ended: a half-closed socket may be dropped before a slow answer (Connection: close ends it).
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
  const { status, headers, text } = parseResponse(answer, odd.method === 'HEAD');
  const json = /^application\/json/.test(String(headers['content-type'] ?? ''));
  return {
    status,
    json,
    body: json && text !== '' ? shapeOf(JSON.parse(text) as unknown, status) : text.length > 0,
    headers: Object.fromEntries(HEADERS_THAT_MATTER.map((name) => [name, headers[name]])),
  };
}

/** An HTTP/1.1 answer read to the end of the connection: status, headers (lower-cased, repeated ones as lists), body. */
function parseResponse(raw: Buffer, head: boolean) {
  const split = raw.indexOf('\r\n\r\n');
  const [statusLine, ...headerLines] = raw.subarray(0, split).toString('latin1').split('\r\n');
  const headers: Record<string, string | string[]> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [previous, value].flat();
  }
  let body = head ? Buffer.alloc(0) : raw.subarray(split + 4);
  if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
  return { status: Number(statusLine.split(' ')[1]), headers, text: body.toString('utf8') };
}

function unchunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

function shapeOf(body: unknown, status: number): unknown {
  if (status >= 400) return body;
  return typeof body === 'object' && body !== null ? Object.keys(body).sort() : typeof body;
}

describeOnce('Express and Fastify answer alike', () => {
  const apps: { express?: TestApp; fastify?: TestApp } = {};
  const ports: { express?: number; fastify?: number } = {};

  beforeAll(async () => {
    for (const adapter of ['express', 'fastify'] as const) {
      const app = await startTestApp({
        HTTP_ADAPTER: adapter,
        DATABASE_URL: 'sqlite::memory:',
        CORS_ORIGINS: ORIGIN,
        THROTTLE_AUTH_LIMIT: '10000',
      });
      apps[adapter] = app;
      ports[adapter] = await listen(app.app);
    }
  });
  afterAll(async () => {
    await apps.express?.close();
    await apps.fastify?.close();
  });

  it.each(oddRequests().map((odd) => [odd.label, odd] as const))('%s', async (_label, odd) => {
    const express = await send(ports.express!, odd);
    const fastify = await send(ports.fastify!, odd);

    expect(fastify).toEqual(express);
    expect(express.status).toBeLessThan(500);
  });

  it('a login of a registered user: the same on both', async () => {
    const email = uniqueEmail();
    for (const app of [apps.express!, apps.fastify!]) {
      await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    }
    const odd: OddRequest = {
      label: 'login',
      method: 'POST',
      path: '/auth/login',
      headers: [['Content-Type', 'application/json']],
      body: login(email),
    };
    const express = await send(ports.express!, odd);

    expect(express.status).toBe(200);
    expect(await send(ports.fastify!, odd)).toEqual(express);
  });
});

async function listen(app: INestApplication): Promise<number> {
  const server = app.getHttpServer() as import('node:http').Server;
  if (!server.listening)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
