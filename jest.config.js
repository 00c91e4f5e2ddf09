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
  // Jest's default leaves one core idle (cores - 1): on a 2-core runner that is half the machine, and
  // the suites are CPU-bound in their own processes (synthesis, wasm evaluation, opa and conftest runs).
  maxWorkers: "100%",
};
