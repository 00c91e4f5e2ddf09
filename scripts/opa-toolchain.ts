// Shared by the policy scripts and their tests: where the pinned OPA lives, how to
// call it, and how to read what `opa build` writes.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..");
export const OPA_BIN = join(ROOT, ".tools", "bin", "opa");
export const POLICY_DIR = join(ROOT, "policies");
/** Generated data the policies read (`data.guardrails.iam`); a second root for opa build and opa test. */
export const POLICY_DATA_DIR = join(ROOT, "build", "policy-data");
export const INSTALL_HINT = "run `bash scripts/install-opa.sh` (or `npm run install:opa`)";

/** Files `opa build` must not compile into the bundle: opa tests and their fixtures. */
export const BUILD_IGNORES: readonly string[] = ["*_test.rego", "testdata"];

/**
 * The wasm build also leaves out the entry for conftest and `opa eval` (policies/conftest.rego): the
 * gate never evaluates it, and it reads the clock, which OPA does not compile to wasm.
 */
export const WASM_BUILD_IGNORES: readonly string[] = [...BUILD_IGNORES, "conftest.rego"];

export class ToolchainError extends Error {}

/** The version install-opa.sh pins, read from the script so the pin is written once. */
export function pinnedOpaVersion(): string {
  const script = readFileSync(join(ROOT, "scripts", "install-opa.sh"), "utf8");
  const match = /^OPA_VERSION="([^"]+)"$/m.exec(script);
  if (match?.[1] === undefined) {
    throw new ToolchainError("scripts/install-opa.sh does not pin OPA_VERSION");
  }
  return match[1];
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runOpa(args: readonly string[], cwd: string = ROOT): RunResult {
  const result = spawnSync(OPA_BIN, [...args], { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.error !== undefined) {
    throw new ToolchainError(`could not run ${OPA_BIN}: ${result.error.message}; ${INSTALL_HINT}`);
  }
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The installed OPA's version, after checking it is the pinned one: policies compiled by
 * another OPA may use a different wasm ABI or builtin set than the tests saw.
 */
export function requirePinnedOpa(): string {
  if (!existsSync(OPA_BIN)) {
    throw new ToolchainError(`opa is not installed at ${OPA_BIN}; ${INSTALL_HINT}`);
  }
  const { status, stdout, stderr } = runOpa(["version"]);
  const version = /^Version: (\S+)$/m.exec(stdout)?.[1];
  if (status !== 0 || version === undefined) {
    throw new ToolchainError(`\`${OPA_BIN} version\` failed: ${stderr.trim()}; ${INSTALL_HINT}`);
  }
  const pinned = pinnedOpaVersion();
  if (version !== pinned) {
    throw new ToolchainError(`opa at ${OPA_BIN} is ${version}, the project pins ${pinned}; ${INSTALL_HINT}`);
  }
  return version;
}
