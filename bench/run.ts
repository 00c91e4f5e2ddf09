import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { App } from "cdktf";
import { loadEnvironments } from "../config/load";
import { contextFor } from "../gate/context";
import type { EnvironmentContext } from "../gate/findings";
import type { Environment } from "../config/schema";
import {
  BUILD_IGNORES,
  OPA_BIN,
  POLICY_DATA_DIR,
  requirePinnedOpa,
  ROOT,
  runOpa,
} from "../scripts/opa-toolchain";
import { EnvironmentStack } from "../stacks/environment-stack";
import { bundleFunction, type FunctionBundle } from "../stacks/function-bundle";
import type { Rendering, WorkerReport } from "./gate-worker";
import type { ManyEnvironmentsReport } from "./many-environments";
import {
  formatMs,
  formatTiming,
  ratio,
  summarize,
  time,
  timeProcess,
  timeProcessRuns,
  type Timing,
} from "./stats";
import { describeStartup, installPackage, measureStartup } from "./startup";
import { ACCOUNT_ID, ORGANIZATION_ID, syntheticEnvironment, tablesFor } from "./synthetic-environments";

/*
 * `npm run bench`: how the gate compares with its floor (JSON.parse of the same bytes) and with
 * `opa eval` on the same bundle and input, and how all of it grows with stack size. Prints figures;
 * it asserts nothing, except that every measured command did what it was asked (a failing command
 * is never reported as a fast one).
 *
 * Options: --sizes 100,1000,10000   --skip-npm-test   --json FILE (also write the figures as JSON)
 */

const ts = (script: string) => [process.execPath, ["-r", "ts-node/register", join(ROOT, script)]] as const;

interface Options {
  sizes: number[];
  npmTest: boolean;
  jsonFile?: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { sizes: [100, 1000, 10000], npmTest: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--skip-npm-test") options.npmTest = false;
    else if (arg === "--sizes") options.sizes = argv[++i].split(",").map(Number);
    else if (arg === "--json") options.jsonFile = argv[++i];
    else throw new Error(`bench: unknown option ${arg} (known: --sizes, --skip-npm-test, --json FILE)`);
  }
  if (options.sizes.some((size) => !Number.isInteger(size) || size < 50)) {
    throw new Error("bench: --sizes takes whole numbers of resources, each at least 50");
  }
  return options;
}

/** Repetitions shrink with size so the large size stays minutes, not hours. */
function runsFor(resources: number): { inProcess: number; processes: number } {
  if (resources <= 200) return { inProcess: 20, processes: 5 };
  if (resources <= 2000) return { inProcess: 10, processes: 3 };
  return { inProcess: 5, processes: 3 };
}

function synthesize(environments: Environment[], alertFunction: FunctionBundle, outdir: string): number {
  const started = process.hrtime.bigint();
  const app = new App({ outdir });
  for (const environment of environments) new EnvironmentStack(app, { environment, alertFunction });
  app.synth();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function runWorker(
  runs: number,
  context: EnvironmentContext,
  files: string[],
  rendering: Rendering = "cdktf",
): WorkerReport {
  const [node, args] = ts("bench/gate-worker.ts");
  const run = spawnSync(node, [...args, String(runs), JSON.stringify(context), ...files], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, BENCH_RENDER: rendering },
  });
  if (run.status !== 0) throw new Error(`gate worker failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as WorkerReport;
}

/** The facts the synthetic environments are gated with, by the worker, `opa eval` and the CLI alike. */
const SYNTHETIC_CONTEXT = {
  organization_id: ORGANIZATION_ID,
  account_id: ACCOUNT_ID,
  tier: "production",
  today: "2026-01-01",
} satisfies EnvironmentContext;

const CLI = join(ROOT, "bin", "ddb-guardrails.js");

/** The input the gate builds, written out for `opa eval`, so both evaluate the same thing. */
function writeEnvelope(
  stackFile: string,
  stack: string,
  context: EnvironmentContext,
  envelopeFile: string,
): void {
  const document: unknown = JSON.parse(readFileSync(stackFile, "utf8"));
  writeFileSync(envelopeFile, JSON.stringify({ stack, document, context, waivers: [] }));
}

/** `opa eval` of the gate's entrypoint, as conftest-style pipelines run it: one process per input. */
function opaEvalArgs(bundle: string, envelopeFile: string): string[] {
  return [
    "eval",
    "--bundle",
    bundle,
    "--input",
    envelopeFile,
    "--format",
    "json",
    "data.guardrails.main.findings",
  ];
}

function opaEvalViolations(bundle: string, envelopeFile: string): number {
  const run = spawnSync(OPA_BIN, opaEvalArgs(bundle, envelopeFile), { encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`opa eval failed:\n${run.stderr}`);
  const output = JSON.parse(run.stdout) as { result: { expressions: { value: { status: string }[] }[] }[] };
  return output.result[0].expressions[0].value.filter((f) => f.status === "violation").length;
}

/**
 * The same policy sources and data as the wasm build, built as a plain Rego bundle for `opa eval`:
 * `opa build -t wasm` moves the entrypoint into the wasm module and out of the bundle's Rego, and
 * the opa CLI has no wasm engine, so the wasm bundle itself cannot be evaluated by the Go interpreter.
 */
function regoBundle(work: string): string {
  const file = join(work, "rego-bundle.tar.gz");
  const ignores = BUILD_IGNORES.flatMap((pattern) => ["--ignore", pattern]);
  const run = runOpa(["build", ...ignores, "-o", file, "policies", relative(ROOT, POLICY_DATA_DIR)]);
  if (run.status !== 0) throw new Error(`opa build failed:\n${run.stderr}`);
  return file;
}

/** Peak resident memory of a process in MB, from GNU time when the machine has it. */
function peakMemoryMb(command: string, args: readonly string[]): number | undefined {
  if (!existsSync("/usr/bin/time")) return undefined;
  const run = spawnSync("/usr/bin/time", ["-f", "%M", command, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const kb = Number(String(run.stderr).trim().split("\n").at(-1));
  return Number.isFinite(kb) ? kb / 1024 : undefined;
}

interface SizeResult {
  requested: number;
  resources: number;
  bytes: number;
  synthMs: number;
  parse: Timing;
  gate: Timing;
  opaEval: Timing;
  cli: Timing;
  gateLoadMs: number;
  gatePeakMb: number;
  cliPeakMb?: number;
  violations: number;
  /** The same stack's plan renderings, gated in process like the cdk.tf.json. */
  plans: Record<
    Exclude<Rendering, "cdktf">,
    { bytes: number; gate: Timing; peakMb: number; violations: number; error?: string }
  >;
}

function measureSize(
  requested: number,
  alertFunction: FunctionBundle,
  bundle: string,
  work: string,
): SizeResult {
  const name = `bench${requested}`.slice(0, 16);
  const environment = syntheticEnvironment(name, tablesFor(requested));
  const outdir = join(work, name);
  const synthMs = synthesize([environment], alertFunction, outdir);
  const stackFile = join(outdir, "stacks", name, "cdk.tf.json");
  const runs = runsFor(requested);

  const worker = runWorker(runs.inProcess, SYNTHETIC_CONTEXT, [stackFile]);
  const [stack] = worker.stacks;
  const plans = Object.fromEntries(
    (["plan", "first-plan"] as const).map((rendering) => {
      const planWorker = runWorker(runs.inProcess, SYNTHETIC_CONTEXT, [stackFile], rendering);
      const [planned] = planWorker.stacks;
      return [
        rendering,
        {
          bytes: planned.bytes,
          gate: planned.gate,
          peakMb: planWorker.maxRssMb,
          violations: planned.violations,
        },
      ];
    }),
  ) as SizeResult["plans"];

  const envelope = join(work, `${name}.input.json`);
  writeEnvelope(stackFile, name, SYNTHETIC_CONTEXT, envelope);
  const opaViolations = opaEvalViolations(bundle, envelope);
  if (opaViolations !== stack.violations) {
    throw new Error(`opa eval found ${opaViolations} violations in ${name}, the gate ${stack.violations}`);
  }
  const opaEval = timeProcessRuns(OPA_BIN, opaEvalArgs(bundle, envelope), [0], runs.processes);

  const check = [
    CLI,
    "check",
    outdir,
    "--organization-id",
    SYNTHETIC_CONTEXT.organization_id,
    "--account-id",
    SYNTHETIC_CONTEXT.account_id,
    "--tier",
    SYNTHETIC_CONTEXT.tier,
    "--format",
    "json",
    "--output",
    join(work, `${name}.report.json`),
  ];
  const clean = stack.violations === 0 ? [0] : [1];
  const cli = timeProcessRuns(process.execPath, check, clean, runs.processes);

  return {
    requested,
    resources: stack.resources,
    bytes: stack.bytes,
    synthMs,
    parse: stack.parse,
    gate: stack.gate,
    opaEval,
    cli,
    gateLoadMs: worker.loadMs,
    gatePeakMb: worker.maxRssMb,
    cliPeakMb: peakMemoryMb(process.execPath, check),
    violations: stack.violations,
    plans,
  };
}

interface SynthFigures {
  cdktfSynthMs: number;
  perEnvironmentMs: Record<string, number>;
}

/** The shipped environments: `cdktf synth` as pipelines run it, and each stack in process. */
function measureShippedSynth(
  environments: ReadonlyMap<string, Environment>,
  alertFunction: FunctionBundle,
  work: string,
): SynthFigures {
  const cdktfSynthMs = timeProcess(
    join(ROOT, "node_modules", ".bin", "cdktf"),
    ["synth", "--output", join(work, "cdktf-synth")],
    [0],
    { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: "1" } },
  );
  const perEnvironmentMs = Object.fromEntries(
    [...environments.values()].map((environment) => [
      environment.name,
      time(() => synthesize([environment], alertFunction, join(work, `shipped-${environment.name}`)), 3)
        .median,
    ]),
  );
  return { cdktfSynthMs, perEnvironmentMs };
}

interface PipelineFigures {
  stacks: number;
  cli: Timing;
  opaEval: Timing;
}

/**
 * What a merge pipeline runs: one CLI process over every synthesized stack, against one `opa eval`
 * process per stack (how conftest-style gates run), on the shipped environments with their own facts.
 */
function measurePipeline(
  environments: ReadonlyMap<string, Environment>,
  bundle: string,
  work: string,
): PipelineFigures {
  const synthDir = join(work, "cdktf-synth");
  const envelopes = [...environments.keys()].map((name) => {
    const file = join(work, `shipped-${name}.input.json`);
    writeEnvelope(join(synthDir, "stacks", name, "cdk.tf.json"), name, contextFor(name, environments), file);
    return file;
  });
  const runs = 5;
  const opaEval = summarize(
    Array.from({ length: runs }, () =>
      envelopes.reduce(
        (total, envelope) => total + timeProcess(OPA_BIN, opaEvalArgs(bundle, envelope), [0]),
        0,
      ),
    ),
  );
  const cli = timeProcessRuns(
    process.execPath,
    [CLI, "check", synthDir, "--format", "json", "--output", join(work, "pipeline.json")],
    [0],
    runs,
  );
  return { stacks: envelopes.length, cli, opaEval };
}

/** `npm run check` as a developer runs it: synth, policy build (skipped when current) and gate. */
function measureCheck(): Timing {
  const runs = Array.from({ length: 3 }, () =>
    timeProcess("npm", ["run", "check", "--silent"], [0], {
      cwd: ROOT,
      stdio: "ignore",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    }),
  );
  return summarize(runs);
}

/** Synth and gate of a repository of `count` environments, in a process of its own (bench/many-environments.ts). */
function measureManyEnvironments(count: number, work: string): ManyEnvironmentsReport {
  const [node, args] = ts("bench/many-environments.ts");
  const run = spawnSync(node, [...args, String(count), join(work, `many-${count}`)], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) throw new Error(`many-environments ${count} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as ManyEnvironmentsReport;
}

function verdict(ok: boolean): string {
  return ok ? "met" : "MISSED";
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const opaVersion = requirePinnedOpa();
  const build = buildPoliciesSync();
  buildCliSync();
  const work = mkdtempSync(join(tmpdir(), "ddb-guardrails-bench-"));
  try {
    const alertFunction = bundleFunction(join(ROOT, "functions", "deletion-alert", "handler.ts"));
    console.log(
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? "unknown cpu"}), Node ${process.version}, OPA ${opaVersion}`,
    );
    console.log(`policy: ${build}\n`);

    const bundle = regoBundle(work);
    const results = options.sizes.map((size) => {
      process.stdout.write(`measuring ~${size} resources...\n`);
      return measureSize(size, alertFunction, bundle, work);
    });

    console.log("");
    const header = [
      "resources",
      "bytes",
      "JSON.parse floor",
      "gate (warm, in process)",
      "opa eval (process)",
      "CLI (process)",
    ];
    const rows = results.map((r) => [
      String(r.resources),
      `${(r.bytes / 1024).toFixed(0)} KiB`,
      formatTiming(r.parse),
      formatTiming(r.gate),
      formatTiming(r.opaEval),
      formatTiming(r.cli),
    ]);
    printTable(header, rows);
    console.log("(median, min–max)\n");

    printTable(
      [
        "resources",
        "gate ÷ floor",
        "opa eval ÷ gate",
        "opa eval ÷ CLI",
        "gate peak RSS",
        "CLI peak RSS",
        "wasm load",
        "violations",
      ],
      results.map((r) => [
        String(r.resources),
        ratio(r.gate.median, r.parse.median),
        ratio(r.opaEval.median, r.gate.median),
        ratio(r.opaEval.median, r.cli.median),
        `${r.gatePeakMb.toFixed(0)} MB`,
        r.cliPeakMb === undefined ? "n/a" : `${r.cliPeakMb.toFixed(0)} MB`,
        formatMs(r.gateLoadMs),
        String(r.violations),
      ]),
    );

    console.log("\nplan renderings of each size, gated in process (warm) beside its cdk.tf.json:");
    printTable(
      [
        "resources",
        "cdk.tf.json",
        "plan (update)",
        "plan ÷ cdk.tf.json",
        "first plan (unknowns)",
        "first ÷ cdk.tf.json",
        "plan peak RSS",
      ],
      results.map((r) => [
        String(r.resources),
        `${formatTiming(r.gate)} (${(r.bytes / 1024).toFixed(0)} KiB)`,
        `${r.plans.plan.error === undefined ? "" : "refused after "}${formatTiming(r.plans.plan.gate)} (${(r.plans.plan.bytes / 1024).toFixed(0)} KiB)`,
        ratio(r.plans.plan.gate.median, r.gate.median),
        `${r.plans["first-plan"].error === undefined ? "" : "refused after "}${formatTiming(r.plans["first-plan"].gate)} (${(r.plans["first-plan"].bytes / 1024).toFixed(0)} KiB)`,
        ratio(r.plans["first-plan"].gate.median, r.gate.median),
        `${Math.max(r.plans.plan.peakMb, r.plans["first-plan"].peakMb).toFixed(0)} MB`,
      ]),
    );
    for (const r of results) {
      for (const [rendering, plan] of Object.entries(r.plans)) {
        if (plan.error !== undefined)
          console.log(`  ${rendering} of ${r.resources} resources REFUSED (exit 2): ${plan.error}`);
      }
      if (r.plans.plan.error === undefined && r.plans.plan.violations !== r.violations) {
        throw new Error(
          `the plan of ${r.resources} resources has ${r.plans.plan.violations} violations, its cdk.tf.json ${r.violations}`,
        );
      }
    }

    console.log("\ngrowth (time at the next size ÷ time at this one; resources grow by the factor shown):");
    const growth: string[][] = [];
    for (let i = 1; i < results.length; i++) {
      const [a, b] = [results[i - 1], results[i]];
      growth.push([
        `${a.resources} → ${b.resources}`,
        ratio(b.resources, a.resources),
        ratio(b.parse.median, a.parse.median),
        ratio(b.gate.median, a.gate.median),
        ratio(b.opaEval.median, a.opaEval.median),
        ratio(b.cli.median, a.cli.median),
        ratio(b.synthMs, a.synthMs),
      ]);
    }
    printTable(["step", "resources", "floor", "gate", "opa eval", "CLI", "synth"], growth);

    const shippedEnvironments = new Map(loadEnvironments().map((env) => [env.name, env]));
    const synth = measureShippedSynth(shippedEnvironments, alertFunction, work);
    const shipped = Object.keys(synth.perEnvironmentMs).length;
    console.log(
      `\nsynth: \`cdktf synth\` of the ${shipped} shipped environments ${formatMs(synth.cdktfSynthMs)} ` +
        `(${formatMs(synth.cdktfSynthMs / shipped)} per environment); in process: ` +
        Object.entries(synth.perEnvironmentMs)
          .map(([name, ms]) => `${name} ${formatMs(ms)}`)
          .join(", "),
    );
    console.log(
      `synth of the synthetic stacks: ${results.map((r) => `${r.resources} resources ${formatMs(r.synthMs)}`).join(", ")}`,
    );

    const pipeline = measurePipeline(shippedEnvironments, bundle, work);
    console.log(
      `pipeline, the ${pipeline.stacks} shipped environments: CLI (one process, every stack) ${formatTiming(pipeline.cli)}; ` +
        `opa eval (one process per stack) ${formatTiming(pipeline.opaEval)}; opa eval ÷ CLI ${ratio(pipeline.opaEval.median, pipeline.cli.median)}`,
    );

    // The gate as another repository installs it (npm pack, then install), on the shipped prod stack.
    const startup = measureStartup(
      installPackage(work),
      join(work, "cdktf-synth", "stacks", "prod", "cdk.tf.json"),
    );
    console.log(describeStartup(startup));
    const check = measureCheck();
    console.log(
      `npm run check (the ${shipped} shipped environments, one process): ${formatTiming(check)} wall time`,
    );
    const many = [3, 50].map((count) => measureManyEnvironments(count, work));
    console.log("environments in one repository (synthetic, each about the size of a shipped one):");
    printTable(
      ["environments", "synth", "synth per env", "gate", "gate per env", "peak RSS", "violations"],
      many.map((m) => [
        String(m.count),
        formatMs(m.synthMs),
        formatMs(m.synthMs / m.count),
        formatMs(m.gateMs),
        formatMs(m.gateMs / m.count),
        `${m.maxRssMb.toFixed(0)} MB`,
        String(m.violations),
      ]),
    );

    let npmTestMs: number | undefined;
    if (options.npmTest) {
      npmTestMs = timeProcess("npm", ["test", "--silent"], [0], { cwd: ROOT, stdio: "ignore" });
      console.log(`npm test: ${formatMs(npmTestMs)} wall time`);
    }

    const largest = results.at(-1);
    if (largest) {
      console.log("\ntargets:");
      // Time growth over resource growth: 12× time for 10× resources is the target's 1.2.
      const steps = results.slice(1).map((r, i) => ({
        time: r.gate.median / results[i].gate.median,
        resources: r.resources / results[i].resources,
      }));
      console.log(
        `  gate ≤ 3× floor at ${largest.resources}: ${ratio(largest.gate.median, largest.parse.median)} ${verdict(largest.gate.median <= 3 * largest.parse.median)}`,
      );
      console.log(
        `  gate ≥ 5× faster than opa eval (in process): ${results.map((r) => ratio(r.opaEval.median, r.gate.median)).join(", ")} ${verdict(results.every((r) => r.opaEval.median >= 5 * r.gate.median))}`,
      );
      console.log(
        `  gate ≥ 5× faster than opa eval (CLI process): ${results.map((r) => ratio(r.opaEval.median, r.cli.median)).join(", ")} ${verdict(results.every((r) => r.opaEval.median >= 5 * r.cli.median))}`,
      );
      console.log(
        `  gate ≥ 5× faster than opa eval (pipeline over the shipped environments): ${ratio(pipeline.opaEval.median, pipeline.cli.median)} ${verdict(pipeline.opaEval.median >= 5 * pipeline.cli.median)}`,
      );
      if (steps.length > 0) {
        console.log(
          `  linear (time ≤ 1.2 × resource growth, i.e. ≤ 12× per 10× step): gate ${steps
            .map((step) => `${step.time.toFixed(2)}× for ${step.resources.toFixed(2)}×`)
            .join(", ")} ${verdict(steps.every((step) => step.time <= 1.2 * step.resources))}`,
        );
      }
      console.log(
        `  CLI start-up ≤ 3× node -e 0: ${startup.ratio.toFixed(2)}× ${verdict(startup.ratio <= 3)}`,
      );
      const worstSynth = Math.max(synth.cdktfSynthMs / shipped, ...Object.values(synth.perEnvironmentMs));
      console.log(`  synth ≤ 2 s per environment: ${formatMs(worstSynth)} ${verdict(worstSynth <= 2000)}`);
      console.log(`  npm run check ≤ 2.5 s: ${formatMs(check.median)} ${verdict(check.median <= 2500)}`);
      const [few, lots] = many;
      const perEnv = (m: ManyEnvironmentsReport) => (m.synthMs + m.gateMs) / m.count;
      console.log(
        `  per-environment cost flat from ${few.count} to ${lots.count} (≤ 1.2×): ${ratio(perEnv(lots), perEnv(few))} ${verdict(perEnv(lots) <= 1.2 * perEnv(few))}`,
      );
      console.log(
        `  plan within 2× its cdk.tf.json: ${results.map((r) => (r.plans.plan.error === undefined ? ratio(r.plans.plan.gate.median, r.gate.median) : "refused")).join(", ")} ${verdict(results.every((r) => r.plans.plan.error === undefined && r.plans.plan.gate.median <= 2 * r.gate.median))}`,
      );
      if (npmTestMs !== undefined)
        console.log(`  npm test ≤ 60 s: ${formatMs(npmTestMs)} ${verdict(npmTestMs <= 60_000)}`);
    }

    if (options.jsonFile) {
      writeFileSync(
        options.jsonFile,
        JSON.stringify(
          {
            machine: { cores: cpus().length, node: process.version, opa: opaVersion },
            results,
            synth,
            startup,
            check,
            many,
            npmTestMs,
          },
          null,
          2,
        ),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The CLI the bench runs is the compiled one (bin/ddb-guardrails.js loads dist/cli.js). */
function buildCliSync(): void {
  const run = spawnSync(process.execPath, [join(ROOT, "scripts", "build-cli.mjs")], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`build:cli failed:\n${run.stderr}${run.stdout}`);
}

function buildPoliciesSync(): string {
  const [node, args] = ts("scripts/build-policies.ts");
  const run = spawnSync(node, args, { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`build:policies failed:\n${run.stderr}${run.stdout}`);
  return run.stdout.trim().replace(/^build-policies: /, "");
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
}

main();
