/**
 * e2e suites: the real app over HTTP on a real database. Every suite runs on both HTTP adapters (the module must
 * behave the same on Express and Fastify), and those that run the app in process also on PostgreSQL (each app on
 * a database of its own, created and dropped by test/support/test-database.ts).
 */
const base = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testRegex: '.e2e-spec.ts$',
  // ESM-only packages (@nestjs/* 12, content-disposition under @fastify/static) load natively: the test scripts run
  // Jest with --experimental-vm-modules, under which Jest's CommonJS runtime supports require(esm) (Node >= 24.9).
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
};

/** Suites whose database is fixed by the suite itself (a spawned server, a host app, a SQLite file). */
const OWN_DATABASE = [
  'server-process',
  'browser',
  'browser-mfa',
  'passkeys-browser',
  'tls',
  'host-app',
  // In-memory stores: its host keeps no database.
  'host-hooks',
  'restart',
  'readme',
  'http-layer',
  'production-boot',
].map((name) => `/${name}\\.e2e-spec\\.ts$`);

/**
 * Suites that need neither a database nor an HTTP adapter (the docs: snippets type-checked, pages checked against the
 * code; the host guide's first admin through AuthService alone; the production refusals of the server's
 * configuration, which stop it before any adapter starts): they run once, on Express + SQLite.
 */
const ONCE = ['docs', 'host-guide', 'production-boot'].map((name) => `/${name}\\.e2e-spec\\.ts$`);

/**
 * Suites of the features (account mail, administration, JWKS, GraphQL and socket.io) and of the feature seams: they
 * run on two projects, Express + SQLite and Fastify + PostgreSQL (+ Redis where the suite starts several instances),
 * which between them cover both adapters and both databases; the core suites (tokens, rotation, sessions,
 * revocation, cookies, limits, the HTTP layer) run on all four. Every assertion still runs on both adapters.
 */
const FEATURE_SUITES = [
  'email-verification',
  'password-reset',
  'email-change',
  'mail-token-binding',
  'mail-outbox',
  'mail-link-races',
  'mail-token-retention',
  'mail-quotas',
  'forgot-timing',
  'administration',
  'last-admin',
  'jwks',
  'graphql',
  'websockets',
  'realtime-revocation',
  'connection-hardening',
  'code-checks',
  'remembered-devices',
  'feature-removal',
  'mfa',
  'passkeys',
  'passkeys-browser',
  // Chromium against the spawned server: the page is the same on both adapters, so once is enough.
  'browser-mfa',
].map((name) => `/${name}\\.e2e-spec\\.ts$`);
/**
 * Suites about input and edges rather than the core's stateful flows (fuzzing, validation, odd text and addresses,
 * error bodies) and the in-process host apps: like the feature suites, they run on Express + SQLite and Fastify +
 * PostgreSQL, which cover each adapter and each database once; the flows they feed run on all four projects.
 */
const EDGE_SUITES = [
  'fuzz',
  'input-validation',
  'nesting',
  'unicode-text',
  'common-passwords',
  'email-addresses',
  'user-ids',
  'password-scripts',
  'password-checks',
  'error-codes',
  'example-routes',
  'host-boot',
  'host-logs',
  'host-mail-pages',
  'host-media-types',
  'host-openapi',
  'host-pipes',
  'host-stores',
  'optional-peers',
].map((name) => `/${name}\\.e2e-spec\\.ts$`);
const FEATURE_PROJECTS = new Set(['express+sqlite', 'fastify+postgres']);

const projects = [];
for (const database of ['sqlite', 'postgres']) {
  for (const adapter of ['express', 'fastify']) {
    projects.push({
      ...base,
      displayName: `${adapter}+${database}`,
      globals: { E2E_HTTP_ADAPTER: adapter, E2E_DATABASE: database },
      // test/hosts/: apps of their own, run by their own test runner (test/hosts/run.sh).
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/hosts/',
        ...(database === 'postgres' ? OWN_DATABASE : []),
        ...(FEATURE_PROJECTS.has(`${adapter}+${database}`) ? [] : [...FEATURE_SUITES, ...EDGE_SUITES]),
        ...(`${adapter}+${database}` === 'express+sqlite' ? [] : ONCE),
      ],
    });
  }
}

/**
 * The core without any feature (docs/configuration.md: Features): the reference server with `AUTH_FEATURES=none` runs the suites of
 * the core's flows (register, log in, rotate, list and revoke sessions), the proof
 * that none of them leans on a feature, on Express + SQLite. The core's other suites (input checks, attacks, the
 * per-account slowdown) run on the four projects above; with the features present there, they prove nothing more here.
 */
const CORE_SUITES = ['login', 'registration', 'refresh-rotation', 'sessions'];
projects.push({
  ...base,
  displayName: 'express+sqlite, no features',
  globals: { E2E_HTTP_ADAPTER: 'express', E2E_DATABASE: 'sqlite', E2E_FEATURES: 'none' },
  testRegex: `/(${CORE_SUITES.join('|')})\\.e2e-spec\\.ts$`,
});

module.exports = {
  // Above the spawned servers' start timeout (test/support/server-process.ts), so a slow boot reports itself.
  testTimeout: 60000,
  // Each suite leaves some of its module graph behind in the process that ran it (Nest, TypeORM and the drivers
  // loaded afresh per suite), about 30 MB: run in band, the 120 suite runs outgrew a 4 GB heap (a CI run died at
  // 10 min, out of memory). A worker above this after a suite is replaced by a fresh one; setting it also makes
  // Jest use a worker on a 2-core machine, where it would otherwise run everything in its own process.
  workerIdleMemoryLimit: '1GB',
  projects,
};
