/** Jest in native ESM mode (NestJS 12 ships ES modules); run through `npm test` (test/run-tests.ts prepares PostgreSQL). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    // The browser console is type-checked with its own settings (DOM, bundler resolution).
    '^.+/console/src/.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig: 'console/tsconfig.json' }],
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/console/src/**/*.spec.ts',
    '<rootDir>/test/**/*.e2e-spec.ts',
    '<rootDir>/test/**/*.fault-spec.ts',
  ],
  // Closes what a file's tests left open (a timed-out setup), which would keep jest from exiting.
  setupFilesAfterEnv: ['<rootDir>/test/support/close-leftovers.ts'],
  testTimeout: 30000,
};
