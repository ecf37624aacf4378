import { defineConfig } from 'vitest/config';

// As `nest new` makes it for an ESM app (globals: describe/it without imports), less the path-alias plugin.
export default defineConfig({
  test: {
    globals: true,
    root: './',
    include: ['test/**/*.e2e-spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
