// One Jest run, four projects: `unit` (pure logic, no services), `integration` (a real stack of
// MariaDB master + replicas, Redis, nginx and three nodes, started by the tests themselves),
// `e2e` (headless Chromium against that stack) and `drills` (faults under load, each on a stack
// of its own: server/test/drills).
const tsJest = (tsconfig) => ({ '^.+\\.tsx?$': ['ts-jest', { tsconfig }] });
const shared = { '^@tallyboard/shared$': '<rootDir>/shared/src/index.ts' };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/server/test/unit/**/*.test.ts',
        '<rootDir>/loadtest/test/unit/**/*.test.ts',
      ],
      transform: tsJest('<rootDir>/server/tsconfig.test.json'),
      moduleNameMapper: shared,
    },
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/client/test/**/*.test.tsx', '<rootDir>/client/test/**/*.test.ts'],
      transform: tsJest('<rootDir>/client/tsconfig.json'),
      moduleNameMapper: { ...shared, '\\.(css)$': '<rootDir>/client/test/style-stub.js' },
      setupFilesAfterEnv: ['<rootDir>/client/test/setup.ts'],
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/server/test/integration/**/*.test.ts',
        '<rootDir>/loadtest/test/integration/**/*.test.ts',
      ],
      transform: tsJest('<rootDir>/server/tsconfig.test.json'),
      moduleNameMapper: shared,
      globalSetup: '<rootDir>/server/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/server/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/server/test/support/timeouts.ts'],
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/client/e2e/**/*.test.ts'],
      transform: tsJest('<rootDir>/server/tsconfig.test.json'),
      moduleNameMapper: shared,
      globalSetup: '<rootDir>/server/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/server/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/server/test/support/timeouts.ts'],
    },
    {
      displayName: 'drills',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/server/test/drills/**/*.test.ts'],
      transform: tsJest('<rootDir>/server/tsconfig.test.json'),
      moduleNameMapper: shared,
      setupFilesAfterEnv: ['<rootDir>/server/test/support/timeouts.ts'],
    },
  ],
};
