import { buildPolicies } from "../scripts/build-policies";

/**
 * Compiles the policies once before any worker starts, so parallel test files never race to rebuild
 * the same wasm. Skipped when the Rego sources are unchanged; fails with how to install OPA if needed.
 */
export default async function globalSetup(): Promise<void> {
  await buildPolicies();
}
