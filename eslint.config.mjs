// @ts-check
import eslint from '@eslint/js';
import eslintPluginPrettierRecommended from 'eslint-plugin-prettier/recommended';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: [
      'eslint.config.mjs',
      'dist/**',
      'coverage/**',
      'jest.config.js',
      'test/jest-e2e.config.js',
      // Apps of their own, compiled by their own tsc against the packed tarball (test/hosts/run.sh).
      'test/hosts/**',
    ] },
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
    // The reference server is a host like any other: it uses the module through its entry (src/auth/index.ts, the
    // package's "."), or its "./realtime" subpath (src/auth/realtime/index.ts), never a file inside it, so the
    // package's public surface is all it needs (README: How it is built).
    files: ['src/**/*.ts'],
    ignores: ['src/auth/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)auth/(?!realtime$).+',
              message:
                'Import the auth module through its entry (./auth or ../auth) or ./auth/realtime, not a file inside src/auth.',
            },
          ],
        },
      ],
    },
  },
);
