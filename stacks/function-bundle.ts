import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { buildSync, version as esbuildVersion, type BuildOptions } from "esbuild";
import { zipSync } from "fflate";

/** The Lambda runtime every function here targets; Node.js 20 was retired by Lambda in 2026. */
export const LAMBDA_RUNTIME = "nodejs24.x";
const ESBUILD_TARGET = "node24";

const PROJECT_ROOT = join(__dirname, "..");
// The earliest time a zip entry can carry: a constant so the archive's bytes depend on the code only.
const FIXED_MTIME = new Date("1980-01-01T00:00:00Z");

export interface FunctionBundle {
  /** Absolute path of the zip archive. */
  zipPath: string;
  /** base64(SHA-256(zip)): what Lambda reports as CodeSha256, so Terraform sees no drift between applies. */
  sourceCodeHash: string;
  /** The handler setting for the function, e.g. `index.handler`. */
  handler: string;
}

const bundles = new Map<string, FunctionBundle>();

/**
 * What a zip was built from: esbuild's version and options, and the SHA-256 of every file the
 * bundle read (esbuild's metafile). Bundling the AWS SDK is most of a synthesis, so a process that
 * finds the same inputs reuses the zip: hashing them costs a tenth of bundling them.
 */
interface BundleStamp {
  esbuild: string;
  options: string;
  inputs: Record<string, string>;
}

const sha256 = (bytes: Uint8Array, encoding: "hex" | "base64" = "hex") =>
  createHash("sha256").update(bytes).digest(encoding);

/** Writes then renames: parallel test workers synthesize at once and must never see a half-written file. */
function writeAtomically(file: string, contents: Uint8Array | string): void {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, contents);
  renameSync(partial, file);
}

function readStamp(file: string): BundleStamp | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as BundleStamp;
  } catch {
    return undefined;
  }
}

function isCurrent(stamp: BundleStamp | undefined, options: string): boolean {
  if (stamp?.esbuild !== esbuildVersion || stamp.options !== options) return false;
  return Object.entries(stamp.inputs).every(([file, hash]) => {
    const path = join(PROJECT_ROOT, file);
    return existsSync(path) && sha256(readFileSync(path)) === hash;
  });
}

/**
 * Bundles a TypeScript Lambda entry point (and its dependencies, the AWS SDK included) into one
 * file and zips it deterministically: same source, same bytes, same hash, on any machine.
 * Memoized per entry point and folder, since every environment stack deploys the same function.
 */
export function bundleFunction(
  entryPoint: string,
  outDir: string = join(PROJECT_ROOT, "build", "functions"),
): FunctionBundle {
  const cacheKey = `${entryPoint}\0${outDir}`;
  const cached = bundles.get(cacheKey);
  if (cached) return cached;
  const name = relative(PROJECT_ROOT, entryPoint).replace(/[\\/]/g, "-").replace(/\.ts$/, "");
  const zipPath = join(outDir, `${name}.zip`);
  const stampPath = `${zipPath}.stamp.json`;
  const options: BuildOptions = {
    entryPoints: [entryPoint],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: "node",
    target: ESBUILD_TARGET,
    format: "cjs",
    outfile: "index.js",
    write: false,
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: "none",
    sourcemap: false,
    logLevel: "silent",
  };
  const optionsKey = JSON.stringify({ ...options, zip: { level: 9, mtime: FIXED_MTIME } });
  const archive =
    existsSync(zipPath) && isCurrent(readStamp(stampPath), optionsKey)
      ? readFileSync(zipPath)
      : build(entryPoint, options, optionsKey, zipPath, stampPath);
  const bundle = { zipPath, sourceCodeHash: sha256(archive, "base64"), handler: "index.handler" };
  bundles.set(cacheKey, bundle);
  return bundle;
}

function build(
  entryPoint: string,
  options: BuildOptions,
  optionsKey: string,
  zipPath: string,
  stampPath: string,
): Uint8Array {
  const result = buildSync({ ...options, write: false, metafile: true });
  if (result.errors.length > 0 || result.outputFiles.length !== 1) {
    throw new Error(
      `Could not bundle ${relative(PROJECT_ROOT, entryPoint)}: ${result.errors.map((e) => e.text).join("; ")}`,
    );
  }
  const archive = zipSync({ "index.js": [result.outputFiles[0].contents, { mtime: FIXED_MTIME, level: 9 }] });
  mkdirSync(dirname(zipPath), { recursive: true });
  writeAtomically(zipPath, archive);
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs)
      .sort()
      .map((file) => [file, sha256(readFileSync(join(PROJECT_ROOT, file)))]),
  );
  const stamp: BundleStamp = { esbuild: esbuildVersion, options: optionsKey, inputs };
  writeAtomically(stampPath, JSON.stringify(stamp));
  return archive;
}
