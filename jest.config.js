// @ts-check
/**
 * Two jest projects: `unit` (pure, no services) and `integration` (the real backing stack,
 * started or found by test/support/global-setup.ts). TypeScript is compiled by swc with
 * legacy decorators and decorator metadata, as NestJS needs.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const moduleNameMapper = {
  '^@fleet/core/testing$': '<rootDir>/libs/core/src/testing/index.ts',
  '^@fleet/kafka/testing$': '<rootDir>/libs/kafka/src/testing/index.ts',
  '^@fleet/venues/testing$': '<rootDir>/libs/venues/src/testing/index.ts',
  '^@fleet/strategy-lanes/testing$': '<rootDir>/libs/strategy-lanes/src/testing/index.ts',
  '^@fleet/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,services,tools}/**/*.spec.ts'],
    },
    {
      // Offline validation of helm/, k8s/, dashboards and alert rules; needs the tools that
      // tools/deploy/install-tools.sh installs, but no Kafka, Redis or cluster.
      ...common,
      displayName: 'deploy',
      testMatch: ['<rootDir>/tools/src/deploy/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // jest 30 ignores testTimeout at project level; the setup file sets it per test file.
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
    },
  ],
};
