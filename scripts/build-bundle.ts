// Builds the policy bundle for OPA and conftest users, the release artifact beside the npm package:
// build/bundle.tar.gz, a plain Rego bundle (`opa build`, no wasm) of policies/ and the IAM reference
// data. Entrypoints: data.guardrails.main.findings (input: the gate's envelope) and data.main.deny /
// data.main.warn / data.main.findings (input: a raw cdk.tf.json or plan; see policies/conftest.rego).
//
// Usage: npx ts-node scripts/build-bundle.ts
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { ensureIamData } from "./generate-iam-data";
import {
  BUILD_IGNORES,
  POLICY_DATA_DIR,
  POLICY_DIR,
  ROOT,
  ToolchainError,
  requirePinnedOpa,
  runOpa,
} from "./opa-toolchain";

export const BUNDLE_FILE = join(ROOT, "build", "bundle.tar.gz");

/**
 * What the bundle owns. Everything else under data stays free, so users can add the facts the rules
 * need (`--data context.json` with {"guardrails": {"context": …, "waivers": …}}) beside it: OPA
 * refuses data that overlaps a bundle's roots, and a bundle without roots owns all of data.
 */
export const BUNDLE_ROOTS = [
  "guardrails/main",
  "guardrails/lib",
  "guardrails/rules",
  "guardrails/iam",
  "main",
];

export async function buildBundle(file: string = BUNDLE_FILE): Promise<string> {
  await ensureIamData(POLICY_DATA_DIR);
  requirePinnedOpa();
  // A bundle's roots come from a .manifest in its source folder, so the bundle is staged there.
  const stage = join(ROOT, "build", "bundle-src");
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  cpSync(POLICY_DIR, join(stage, "policies"), {
    recursive: true,
    filter: (source) => basename(source) !== "testdata" && !source.endsWith("_test.rego"),
  });
  cpSync(POLICY_DATA_DIR, stage, { recursive: true });
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  writeFileSync(join(stage, ".manifest"), JSON.stringify({ revision: version, roots: BUNDLE_ROOTS }));
  const { status, stdout, stderr } = runOpa(
    ["build", "--bundle", ...BUILD_IGNORES.flatMap((pattern) => ["--ignore", pattern]), "-o", file, "."],
    stage,
  );
  if (status !== 0) throw new ToolchainError(`opa build failed:\n${(stderr || stdout).trim()}`);
  return file;
}

if (require.main === module) {
  buildBundle()
    .then((file) => console.log(`build-bundle: wrote ${relative(ROOT, file)}`))
    .catch((error: unknown) => {
      console.error(`build-bundle: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
