import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { buildSync } from "esbuild";
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
  const result = buildSync({
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
  });
  if (result.errors.length > 0 || result.outputFiles.length !== 1) {
    throw new Error(
      `Could not bundle ${relative(PROJECT_ROOT, entryPoint)}: ${result.errors.map((e) => e.text).join("; ")}`,
    );
  }
  const archive = zipSync({ "index.js": [result.outputFiles[0].contents, { mtime: FIXED_MTIME, level: 9 }] });
  const name = relative(PROJECT_ROOT, entryPoint).replace(/[\\/]/g, "-").replace(/\.ts$/, "");
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `${name}.zip`);
  // Write then rename: parallel test workers synthesize at once and must never see a half-written zip.
  const partial = `${zipPath}.${process.pid}.partial`;
  writeFileSync(partial, archive);
  renameSync(partial, zipPath);
  const bundle = {
    zipPath,
    sourceCodeHash: createHash("sha256").update(archive).digest("base64"),
    handler: "index.handler",
  };
  bundles.set(cacheKey, bundle);
  return bundle;
}
