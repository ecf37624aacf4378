import type { INestApplication } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/app-config';
import { bodyParserErrors, refuseUnreadableBodies } from './body-parser-errors';
import { unreadableBody } from './http-errors';

/** JSON bodies over this are refused with 413 (docs/operations.md: Abuse limits): no auth request needs more. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** The Fastify side, required only when it is chosen: an Express server never loads Fastify (docs/performance.md). */
function fastifySide(): typeof import('./fastify-errors') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./fastify-errors') as typeof import('./fastify-errors');
}

/** The HTTP adapter `HTTP_ADAPTER` names, with what must be set when it is made: TLS, proxy trust, body limit. */
export function createHttpAdapter(config: AppConfig): AbstractHttpAdapter {
  if (config.httpAdapter === 'fastify') {
    const { fastifyFrameworkErrors, ReferenceFastifyAdapter } = fastifySide();
    const https = tlsOptions(config);
    const options = {
      bodyLimit: BODY_LIMIT_BYTES,
      // Fastify answers 414 to a path parameter over 100 characters; a user id may have 255 (the admin routes take
      // one), a few times more once percent-encoded. Express has no such limit: both now reach the route's 404.
      routerOptions: { maxParamLength: 1024 },
      trustProxy: fastifyTrustProxy(config.trustProxy),
      // Kept, then refused by the auth module's input pipe with a message naming the key, exactly as on Express.
      onProtoPoisoning: 'ignore',
      onConstructorPoisoning: 'ignore',
      // A URL that does not decode: Fastify's own answer would name its error code.
      frameworkErrors: fastifyFrameworkErrors,
    } as const;
    return new ReferenceFastifyAdapter(https ? { ...options, https } : options);
  }
  return new ExpressAdapter();
}

/**
 * `TRUST_PROXY` for Fastify. A hop count means what it means to Express (proxy-addr): trust the `n` nearest hops.
 * Fastify 5.12 stopped honouring a bare number (it now trusts nothing), so the count is given as the function
 * Express would build from it, and both adapters keep naming the same client.
 */
function fastifyTrustProxy(
  trustProxy: AppConfig['trustProxy'],
): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof trustProxy !== 'number') return trustProxy;
  return (_address, hop) => hop < trustProxy;
}

/**
 * The methods this server's routes answer to, announced in CORS preflights. Given, not left to each adapter's CORS
 * package: Express's `cors` and `@fastify/cors` default to different lists.
 */
const CORS_METHODS = 'GET,HEAD,POST,PATCH,DELETE';

/**
 * What differs between the adapters, set so that both answer alike (docs/sessions.md: Behaviour in detail, HTTP layer): CORS
 * first (so that error answers carry its headers too), security headers, what bodies are read and how, and the
 * shape of the HTTP layer's errors.
 */
export function configureHttpAdapter(app: INestApplication, config: AppConfig): void {
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      credentials: true,
      methods: CORS_METHODS,
      // @fastify/cors answers 400 to an OPTIONS request that is no preflight (no Origin or no
      // Access-Control-Request-Method); Express's cors answers it as one (204). Both do the latter.
      strictPreflight: false,
    } as Parameters<INestApplication['enableCors']>[0]);
  }
  // Safari applies the CSP's `upgrade-insecure-requests` to http://localhost too (Chrome and Firefox do not), which
  // would break /demo's script in development over plain HTTP. Production keeps it: there TLS is usually a proxy's.
  const plainDevelopment = config.tls === undefined && config.nodeEnv !== 'production';
  const helmetOptions = {
    strictTransportSecurity: config.tls !== undefined,
    contentSecurityPolicy: plainDevelopment
      ? { directives: { upgradeInsecureRequests: null } }
      : undefined,
  };
  if (config.httpAdapter === 'fastify') {
    const headers = helmetHeaders(helmetOptions);
    // The first hook of every request, routed or not, errors included.
    (app as NestFastifyApplication)
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', (request, reply, done) => {
        // socket.io's engine takes its WebSocket upgrades itself; @fastify/websocket (under Mercurius) routes every
        // upgrade through Fastify too, whose 404 would then be written on the socket engine.io just took over.
        if (isSocketIoUpgrade(request.raw)) {
          void reply.hijack();
          return;
        }
        reply.headers(headers);
        // Fastify ignores Content-Encoding and the charset: it would parse gzip or UTF-16 bytes as UTF-8 JSON.
        const refusal = unreadableBody(request.headers);
        if (refusal !== undefined) {
          void reply.status(refusal.statusCode).send(refusal);
          return;
        }
        done();
      });
    acceptJsonOnly(app as NestFastifyApplication);
    return;
  }
  const express = app as NestExpressApplication;
  express.set('trust proxy', config.trustProxy);
  express.disable('x-powered-by');
  // First, so that every response carries the security headers, errors of the body parser included.
  express.use(helmet(helmetOptions));
  express.use(refuseUnreadableBodies);
  // Not strict: a bare JSON value (`"text"`, `null`) reaches validation, which names the missing fields, as on
  // Fastify.
  express.useBodyParser('json', { limit: BODY_LIMIT_BYTES, strict: false });
  express.use(bodyParserErrors);
}

/** A WebSocket upgrade request of socket.io's engine (its default path). */
function isSocketIoUpgrade(request: IncomingMessage): boolean {
  return (
    request.headers.upgrade?.toLowerCase() === 'websocket' &&
    (request.url ?? '').startsWith('/socket.io/')
  );
}

/**
 * Fastify's body parsers, made to read what Express's JSON parser reads: JSON only (its built-in text/plain parser
 * goes: `unreadableBody` refuses such bodies before parsing anyway), and an empty JSON body as no body (Express skips
 * parsing a body of zero bytes; Fastify would answer 400), so that validation names the missing fields on both.
 * The JSON itself is still parsed by Fastify's own parser.
 */
function acceptJsonOnly(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('ignore', 'ignore');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (request, body, done) => {
      const text = body.toString();
      if (text === '') {
        done(null, undefined);
        return;
      }
      // Callback style: Fastify's default parser calls `done` and returns nothing to wait for.
      void parseJson(request, text, done);
    },
  );
}

/**
 * The headers helmet sets with these options, read once by running it against a response that only records them.
 * Without CSP nonces (none here) they depend on the options alone, never on the request, so Fastify sets them in
 * one call per request instead of running helmet's middlewares (or @fastify/helmet, which even rebuilds helmet,
 * parsing the CSP, on every request).
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string) => (headers[name] = value),
    removeHeader: () => undefined,
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

/** For Express, TLS is given to `NestFactory.create` as `httpsOptions`; Fastify takes it in its adapter. */
export function tlsOptions(config: AppConfig): { cert: Buffer; key: Buffer } | undefined {
  if (!config.tls) return undefined;
  return { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
}
