// Shared by the policy scripts and their tests: where the pinned OPA lives, how to
// call it, and how to read what `opa build` writes.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";

export const ROOT = resolve(__dirname, "..");
export const OPA_BIN = join(ROOT, ".tools", "bin", "opa");
export const POLICY_DIR = join(ROOT, "policies");
/** Generated data the policies read (`data.guardrails.iam`); a second root for opa build and opa test. */
export const POLICY_DATA_DIR = join(ROOT, "build", "policy-data");
export const INSTALL_HINT = "run `bash scripts/install-opa.sh` (or `npm run install:opa`)";

/** Files `opa build` must not compile into the bundle: opa tests and their fixtures. */
export const BUILD_IGNORES: readonly string[] = ["*_test.rego", "testdata"];

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

/**
 * Reads the regular files of a gzipped tar (what `opa build` writes). Only what Go's
 * archive/tar emits is handled: ustar headers, with PAX records overriding long paths.
 */
export function readTarGz(gzipped: Uint8Array): Map<string, Buffer> {
  const tar = gunzipSync(gzipped);
  const files = new Map<string, Buffer>();
  let offset = 0;
  let paxPath: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number): string =>
      header
        .subarray(start, start + length)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1) || "0";
    const prefix = field(345, 155);
    const name = prefix === "" ? field(0, 100) : `${prefix}/${field(0, 100)}`;
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (type === "x") {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"))?.[1];
    } else {
      if (type === "0") files.set(paxPath ?? name, Buffer.from(body));
      paxPath = undefined;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
