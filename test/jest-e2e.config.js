/**
 * e2e suites: the real app over HTTP on a real database. Every suite runs twice, once per HTTP adapter (the
 * `express` and `fastify` projects), as the module must behave the same on both.
 */
const base = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testRegex: '.e2e-spec.ts$',
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // @fastify/static (Swagger UI on Fastify) requires content-disposition 3, which is ESM only: Node 20.19 loads
    // it natively, Jest's CommonJS runtime does not, so Jest transpiles that one package.
    '/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(.*/)?content-disposition/)'],
  testEnvironment: 'node',
};

module.exports = {
  testTimeout: 30000,
  projects: ['express', 'fastify'].map((adapter) => ({
    ...base,
    displayName: adapter,
    globals: { E2E_HTTP_ADAPTER: adapter },
  })),
};
