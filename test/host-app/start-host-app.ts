import {
  type ExceptionFilter,
  type INestApplication,
  type PipeTransform,
  ValidationPipe,
} from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { hostAppModule, type HostVariant } from './host-app.module';

/** The HTTP adapter of this run: test/jest-e2e.config.js runs every suite once per adapter. */
const E2E_HTTP_ADAPTER =
  (globalThis as { E2E_HTTP_ADAPTER?: string }).E2E_HTTP_ADAPTER ?? 'express';

export interface HostApp {
  app: INestApplication;
  http(): TestAgent;
  close(): Promise<void>;
}

/** The global pipe a careful host sets up; the module must not depend on it (see host-pipes.e2e-spec.ts). */
export const STRICT_HOST_PIPES: PipeTransform[] = [
  new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
];

/**
 * The host app of `variant`, served over real HTTP on this run's adapter, set up as a plain host would: the stock
 * Express or Fastify adapter and `globalPipes` (default: a strict ValidationPipe), nothing from the reference server.
 * `customize` may change the testing module first (e.g. `overrideProvider`); `globalFilters` gives the host global
 * exception filters of its own (none by default: Nest's handling).
 */
export async function startHostApp(
  variant: HostVariant,
  customize: (builder: TestingModuleBuilder) => TestingModuleBuilder = (builder) => builder,
  globalPipes: PipeTransform[] = STRICT_HOST_PIPES,
  globalFilters: (app: INestApplication) => ExceptionFilter[] = () => [],
): Promise<HostApp> {
  const moduleRef = await customize(
    Test.createTestingModule({ imports: [hostAppModule(variant)] }),
  ).compile();
  const adapter: AbstractHttpAdapter =
    E2E_HTTP_ADAPTER === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = moduleRef.createNestApplication(adapter, { logger: false });
  if (globalPipes.length > 0) app.useGlobalPipes(...globalPipes);
  const filters = globalFilters(app);
  if (filters.length > 0) app.useGlobalFilters(...filters);
  await app.init();
  if (E2E_HTTP_ADAPTER === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  return { app, http: () => request(app.getHttpServer()), close: () => app.close() };
}
