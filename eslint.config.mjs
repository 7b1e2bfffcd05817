// @ts-check
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/**
 * Module boundaries are enforced on two axes of Nx tags:
 *  - layer: domain (pure, deterministic) <- adapter (I/O) <- app (services, tools, tests)
 *  - scope: which service or area a project belongs to
 * The domain layer may import no I/O library and no Node built-in.
 */
const ioLibraries = ['@nestjs/*', 'kafkajs', 'ioredis', 'avsc', '@kafkajs/*', 'prom-client', 'ccxt', 'node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'net', 'http', 'https', 'worker_threads', 'testcontainers'];

const deepImports = { group: ['**/libs/*/src/**', '**/services/*/src/**'], message: 'Import another project through its @fleet/<name> entry point, never its src/.' };
const builtinMessage = 'The domain core uses no Node built-in: it must run anywhere, deterministically.';
// `paths` match exact specifiers (a `group` pattern named `events` would also match `@fleet/events`).
const nodeBuiltinPaths = ['fs', 'fs/promises', 'path', 'crypto', 'os', 'child_process', 'net', 'http', 'https', 'worker_threads', 'stream', 'events', 'util', 'buffer', 'timers', 'perf_hooks'].map((name) => ({ name, message: builtinMessage }));
const nodeBuiltins = { group: ['node:*'], message: builtinMessage };

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.local/**', '.nx/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'helm/**', 'k8s/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx, 'import-x': importX },
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        emitDecoratorMetadata: true,
        experimentalDecorators: true,
      },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: false,
          checkDynamicDependenciesExceptions: [],
          depConstraints: [
            {
              sourceTag: 'layer:domain',
              onlyDependOnLibsWithTags: ['layer:domain'],
              bannedExternalImports: ioLibraries,
            },
            { sourceTag: 'layer:adapter', onlyDependOnLibsWithTags: ['layer:domain', 'layer:adapter'] },
            { sourceTag: 'layer:app', onlyDependOnLibsWithTags: ['layer:domain', 'layer:adapter'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      'no-restricted-imports': ['error', { patterns: [deepImports] }],
    },
  },
  {
    // The decision core: no ambient time, randomness or identity.
    // Every layer:domain library: core, contracts, events, research, audit.
    files: ['libs/core/src/**/*.ts', 'libs/contracts/src/**/*.ts', 'libs/events/src/**/*.ts', 'libs/research/src/**/*.ts', 'libs/audit/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltinPaths, patterns: [deepImports, nodeBuiltins] }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Inject a Clock; the core never reads the wall clock.' },
        { object: 'Math', property: 'random', message: 'Pass a seeded PRNG; the core never uses ambient randomness.' },
        { object: 'crypto', property: 'randomUUID', message: 'Derive IDs from their inputs (SHA-256).' },
        { object: 'performance', property: 'now', message: 'Inject a Clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Inject a Clock; the core never reads the wall clock.' },
      ],
    },
  },
  {
    // Specs and the testing entry points may be looser about explicit types.
    files: ['**/*.spec.ts', '**/*.test.ts', '**/testing/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
