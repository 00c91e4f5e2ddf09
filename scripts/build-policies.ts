// Compiles policies/ to build/policies/policy.wasm with the pinned OPA, and refuses a
// module that needs host builtins. Skipped when nothing that affects the output changed.
//
// Usage: npx ts-node scripts/build-policies.ts [--force]
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import * as tar from "tar";
import { assertNoHostBuiltins } from "./check-wasm-builtins";
import { ensureIamData } from "./generate-iam-data";
import {
  POLICY_DATA_DIR,
  POLICY_DIR,
  ROOT,
  ToolchainError,
  requirePinnedOpa,
  runOpa,
  WASM_BUILD_IGNORES,
} from "./opa-toolchain";

/** Rules the gate evaluates; each becomes an entrypoint of policy.wasm. */
export const ENTRYPOINTS: readonly string[] = ["guardrails/main/findings"];

export const OUT_DIR = join(ROOT, "build", "policies");

export interface CompileOptions {
  policyDir: string;
  /**
   * Extra roots: their data.json files become `data.*` (paths mirror folders), and any .rego in them
   * compiles with the policies (the breakdown bench's entrypoints).
   */
  dataDirs?: readonly string[];
  outDir: string;
  entrypoints: readonly string[];
}

export interface CompiledPolicy {
  bundle: string;
  wasm: string;
  data: string;
  /** Every rule's METADATA (id, title, description, severity, practice), for reports and docs. */
  catalog: string;
}

export interface RuleMetadata {
  id: string;
  title: string;
  description: string;
  severity: "critical" | "high" | "medium" | "low";
  practice: string;
  /** "plan" for rules about changes, which only a plan shows; "any" for the rest. */
  inputs: "any" | "plan";
  file: string;
}

const SEVERITIES = new Set(["critical", "high", "medium", "low"]);

interface InspectedAnnotation {
  annotations: { title?: string; description?: string; custom?: Record<string, unknown> };
  location: { file: string };
}

/** The rule catalog from `opa inspect -a`: one entry per package annotated with custom.id. */
export function ruleCatalog(policyDir: string): RuleMetadata[] {
  const { status, stdout, stderr } = runOpa(
    ["inspect", "-a", "--format", "json", basename(policyDir)],
    dirname(policyDir),
  );
  if (status !== 0) throw new ToolchainError(`opa inspect failed:\n${(stderr || stdout).trim()}`);
  const annotations = (JSON.parse(stdout) as { annotations?: InspectedAnnotation[] }).annotations ?? [];
  const rules = annotations
    .filter((entry) => typeof entry.annotations.custom?.id === "string")
    .map((entry): RuleMetadata => {
      const { custom = {}, title = "", description = "" } = entry.annotations;
      const rule = {
        id: String(custom.id),
        title,
        description,
        severity: String(custom.severity) as RuleMetadata["severity"],
        practice: String(custom.practice ?? ""),
        inputs: custom.inputs === "plan" ? ("plan" as const) : ("any" as const),
        file: entry.location.file,
      };
      if (!SEVERITIES.has(rule.severity) || rule.title === "" || rule.practice === "") {
        throw new ToolchainError(
          `${rule.file}: rule ${rule.id} needs a title, custom.severity (critical|high|medium|low) and custom.practice`,
        );
      }
      return rule;
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new ToolchainError(`rule id ${rule.id} is used twice (${rule.file})`);
    seen.add(rule.id);
  }
  return rules;
}

function outputs(outDir: string): CompiledPolicy {
  return {
    bundle: join(outDir, "bundle.tar.gz"),
    wasm: join(outDir, "policy.wasm"),
    data: join(outDir, "data.json"),
    catalog: join(outDir, "rules.json"),
  };
}

function buildArgs(options: CompileOptions): string[] {
  return [
    "build",
    "-t",
    "wasm",
    ...options.entrypoints.flatMap((entrypoint) => ["-e", entrypoint]),
    ...WASM_BUILD_IGNORES.flatMap((pattern) => ["--ignore", pattern]),
    "-o",
    outputs(options.outDir).bundle,
    // Relative, so the bundle records policies/... rather than this machine's paths.
    basename(options.policyDir),
    ...(options.dataDirs ?? []).map((dir) => relative(dirname(options.policyDir), dir)),
  ];
}

/** Every non-test .rego file under dir, sorted so the stamp does not depend on readdir order. */
function regoSources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".rego") && !file.endsWith("_test.rego"))
    .filter((file) => !file.split(sep).includes("testdata"))
    .map((file) => join(dir, file))
    .sort();
}

function stampOf(options: CompileOptions, opaVersion: string): string {
  const hash = createHash("sha256");
  const field = (value: string | Uint8Array): void => {
    hash.update(String(value.length));
    hash.update(":");
    hash.update(value);
  };
  field(`opa ${opaVersion}`);
  // This script writes the catalog's shape, so a change to it is a change of the output too.
  field(readFileSync(__filename));
  field(JSON.stringify(options.entrypoints));
  // The ignore patterns decide which files are compiled, so they are part of the input too.
  field(JSON.stringify(WASM_BUILD_IGNORES));
  for (const file of regoSources(options.policyDir)) {
    field(relative(options.policyDir, file).split(sep).join("/"));
    field(readFileSync(file));
  }
  for (const dir of options.dataDirs ?? []) {
    for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      field(file.split(sep).join("/"));
      field(readFileSync(join(dir, file)));
    }
  }
  return hash.digest("hex");
}

/**
 * Runs `opa build -t wasm`, unpacks policy.wasm and data.json next to the bundle and
 * checks the module needs no host builtins. Throws with opa's own message on failure.
 */
export async function compilePolicies(options: CompileOptions): Promise<CompiledPolicy> {
  const out = outputs(options.outDir);
  mkdirSync(options.outDir, { recursive: true });
  const { status, stdout, stderr } = runOpa(buildArgs(options), dirname(options.policyDir));
  if (status !== 0) {
    throw new ToolchainError(`opa build failed:\n${(stderr || stdout).trim()}`);
  }
  // opa writes /policy.wasm and /data.json; tar strips the leading slash, so they land in outDir.
  const wanted = new Set(["policy.wasm", "data.json"]);
  const extracted: string[] = [];
  tar.x({
    file: out.bundle,
    cwd: options.outDir,
    sync: true,
    filter: (path) => wanted.has(path.replace(/^\//, "")),
    onReadEntry: (entry) => {
      extracted.push(entry.path.replace(/^\//, ""));
    },
  });
  for (const member of wanted) {
    if (!extracted.includes(member)) throw new ToolchainError(`${out.bundle} has no /${member}`);
  }
  readableByAll([out.wasm, out.data]);
  await assertNoHostBuiltins(readFileSync(out.wasm), out.wasm);
  writeFileSync(out.catalog, JSON.stringify(ruleCatalog(options.policyDir), null, 2));
  return out;
}

/** opa writes them owner-only; the npm package ships them, and whoever runs the gate must read them. */
function readableByAll(files: readonly string[]): void {
  for (const file of files) chmodSync(file, 0o644);
}

export interface BuildResult extends CompiledPolicy {
  built: boolean;
}

/** Builds the project's policies into build/policies unless the stamp says they are current. */
export async function buildPolicies(force = false): Promise<BuildResult> {
  await ensureIamData(POLICY_DATA_DIR);
  const options: CompileOptions = {
    policyDir: POLICY_DIR,
    dataDirs: [POLICY_DATA_DIR],
    outDir: OUT_DIR,
    entrypoints: ENTRYPOINTS,
  };
  const opaVersion = requirePinnedOpa();
  const stampFile = join(OUT_DIR, ".stamp");
  const stamp = stampOf(options, opaVersion);
  const out = outputs(OUT_DIR);
  const current =
    existsSync(stampFile) &&
    readFileSync(stampFile, "utf8") === stamp &&
    [out.bundle, out.wasm, out.data, out.catalog].every((file) => existsSync(file));
  if (current && !force) {
    readableByAll([out.wasm, out.data]);
    return { ...out, built: false };
  }
  // A failed build must not leave a stamp that would let the next run skip it.
  rmSync(stampFile, { force: true });
  try {
    await compilePolicies(options);
  } catch (error) {
    for (const file of [out.bundle, out.wasm, out.data, out.catalog]) rmSync(file, { force: true });
    throw error;
  }
  writeFileSync(stampFile, stamp);
  return { ...out, built: true };
}

/** Builds (or skips) and says which, as `npm run build:policies` and `npm run check` print it. */
export async function reportBuild(force = false): Promise<BuildResult> {
  const started = Date.now();
  const result = await buildPolicies(force);
  const where = relative(ROOT, result.wasm);
  if (result.built) {
    console.log(`build-policies: built ${where} (${ENTRYPOINTS.join(", ")}) in ${Date.now() - started} ms`);
  } else {
    console.log(`build-policies: ${where} is up to date, skipped`);
  }
  return result;
}

if (require.main === module) {
  reportBuild(process.argv.includes("--force")).catch((error: unknown) => {
    console.error(`build-policies: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
