/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // Transpile only (tsconfig isolatedModules): `npm run typecheck` owns type errors,
  // so each test file does not re-check the 400 MB provider's declarations.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  globalSetup: "<rootDir>/tests/global-setup.ts",
  setupFilesAfterEnv: ["<rootDir>/tests/setup.ts"],
  // Synthesizing a stack bundles the alert Lambda and walks the provider's constructs.
  testTimeout: 30000,
};
