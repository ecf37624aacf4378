// @ts-check
import eslint from '@eslint/js';
import eslintPluginPrettierRecommended from 'eslint-plugin-prettier/recommended';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const FEATURE_ISOLATION =
  'A feature never imports another feature: share through the core instead.';
// @nestjs/swagger is an optional peer: the module's code takes its decorators from http/openapi.ts, which does
// without it.
const SWAGGER_THROUGH_SHIM = {
  name: '@nestjs/swagger',
  message:
    'Import the OpenAPI decorators from http/openapi.ts: @nestjs/swagger is an optional peer.',
};

export default tseslint.config(
  {
    ignores: [
      'eslint.config.mjs',
      'dist/**',
      'coverage/**',
      'jest.config.js',
      'test/jest-e2e.config.js',
      // Apps of their own, compiled by their own tsc against the packed tarball (test/hosts/run.sh).
      'test/hosts/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  eslintPluginPrettierRecommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      sourceType: 'commonjs',
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // supertest bodies are `any` by design; the assertions are what type them.
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // The reference server is a host like any other: it uses the module through its entries (src/auth/index.ts, the
    // package's ".", and the subpath entries of package.json "exports"), never a file inside it, so the
    // package's public surface is all it needs (README: How it is built).
    files: ['src/**/*.ts'],
    ignores: ['src/auth/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '(^|/)auth/(?!(features/realtime|features/account-mail|features/mfa|features/passkeys|adapters/typeorm|adapters/redis|stores|errors|feature-kit|settings)$).+',
              message:
                'Import the auth module through its entries (./auth, or a subpath entry of package.json exports), not a file inside src/auth.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only the composition root registers features; everything else reaches them through hooks and injection tokens.
    files: ['src/auth/**/*.ts'],
    ignores: [
      'src/auth/features/**',
      'src/auth/auth.module-extras.ts',
      'src/auth/auth.module.ts',
      'src/auth/auth.providers.ts',
      'src/auth/auth.adapters.ts',
      'src/auth/adapters/**',
      'src/auth/index.ts',
      'src/auth/adapters/typeorm/schema.ts',
      'src/auth/**/*.spec.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [SWAGGER_THROUGH_SHIM],
          patterns: [
            {
              regex: '(^|/)features/[^/]+(/index)?$',
              message:
                'Only the composition root (auth.module-extras.ts) and the entry name a feature factory.',
            },
            {
              regex: '(^|/)adapters/',
              message:
                'Only the composition root (auth.module-extras.ts, auth.providers.ts, auth.adapters.ts) names an adapter: the rest uses ports.',
            },
          ],
        },
      ],
    },
  },
  {
    // The core (src/auth/core) is the kernel every install runs: it names no feature, no face (controllers, HTTP
    // exceptions, Swagger), no adapter's library. Features plug into it, never the other way round.
    files: ['src/auth/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['typeorm', '@nestjs/typeorm', 'ioredis', 'nodemailer', '@nestjs/swagger'].map(
            (name) => ({
              name,
              message:
                'The core imports no adapter library and no face: put this in an adapter, a face or a feature.',
            }),
          ),
          patterns: [
            {
              regex: '(^|/)(features|http|contexts|adapters)(/|$)',
              message:
                'The core imports no feature, face or adapter: features plug into the core through its hooks.',
            },
          ],
        },
      ],
    },
  },
  {
    // A feature (src/auth/features/<x>) uses the core and its own files, never another feature: each can be left out.
    // A path that climbs out of the feature's folder into features/ names another feature.
    files: ['src/auth/features/*/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [SWAGGER_THROUGH_SHIM],
          patterns: [{ regex: '^\\.\\./(?!\\.\\./)', message: FEATURE_ISOLATION }],
        },
      ],
    },
  },
  {
    files: ['src/auth/features/*/*/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [SWAGGER_THROUGH_SHIM],
          patterns: [{ regex: '^\\.\\./\\.\\./(?!\\.\\./)', message: FEATURE_ISOLATION }],
        },
      ],
    },
  },
);
