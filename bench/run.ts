import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { buildSync } from "esbuild";
import { loadEnvironments } from "../config/load";
import { contextFor } from "../gate/context";
import { WASM_MEMORY_LIMIT } from "../gate/wasm-heap";
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
import { bundleFunction, type FunctionBundle } from "../stacks/function-bundle";
import type { WorkerReport } from "./gate-worker";
import { render, type PlanRendering } from "./render-plan";
import { measureTrivy, type TrivyFigures } from "./trivy";
import { unrelatedPlan } from "./unrelated-plan";
import type { ManyEnvironmentsReport } from "./many-environments";
import {
  formatMs,
  formatTiming,
  printTable,
  ratio,
  runMeasured,
  summarize,
  time,
  timeProcess,
  timeProcessRuns,
  type Timing,
} from "./stats";
import { describeStartup, installPackage, measureStartup } from "./startup";
import { SYNTHETIC_CONTEXT, syntheticEnvironment, tablesFor } from "./synthetic-environments";
import { synthesize } from "./synthesize";

/*
 * `npm run bench`: how the gate compares with its floor (JSON.parse of the same bytes) and with
 * `opa eval` on the same bundle and input, and how all of it grows with stack size. Prints figures;
 * it asserts nothing, except that every measured command did what it was asked (a failing command
 * is never reported as a fast one).
 *
 * Options: --sizes 100,1000,10000   --unrelated-mb 10,30,100   --skip-npm-test
 *          --trivy (also run Trivy, built by scripts/install-trivy.sh, on the largest size's plans)
 *          --json FILE (also write the figures as JSON)
 */

const ts = (script: string) => [process.execPath, ["-r", "ts-node/register", join(ROOT, script)]] as const;

interface Options {
  sizes: number[];
  unrelatedMb: number[];
  npmTest: boolean;
  trivy: boolean;
  jsonFile?: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    sizes: [100, 1000, 10000],
    unrelatedMb: [10, 30, 100],
    npmTest: true,
    trivy: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--skip-npm-test") options.npmTest = false;
    else if (arg === "--trivy") options.trivy = true;
    else if (arg === "--sizes") options.sizes = argv[++i].split(",").map(Number);
    else if (arg === "--unrelated-mb") options.unrelatedMb = argv[++i].split(",").map(Number);
    else if (arg === "--json") options.jsonFile = argv[++i];
    else
      throw new Error(
        `bench: unknown option ${arg} (known: --sizes, --unrelated-mb, --trivy, --skip-npm-test, --json FILE)`,
      );
  }
  if (options.unrelatedMb.some((mb) => !(mb > 0))) {
    throw new Error("bench: --unrelated-mb takes plan sizes in MB, each above 0");
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

/**
 * The worker compiled into one file as the CLI is (scripts/build-cli.mjs), so that its peak memory is
 * the gate's as users load it, not that of a TypeScript loader (ts-node alone is about 50 MB).
 */
let bundledWorker: string | undefined;
function workerBundle(): string {
  if (bundledWorker !== undefined) return bundledWorker;
  // One folder below the root, as dist/cli.js is: the gate finds build/policies from its own folder.
  const outfile = join(ROOT, "build", "bench-gate-worker.js");
  buildSync({
    absWorkingDir: ROOT,
    entryPoints: ["bench/gate-worker.ts"],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    alias: { "@open-policy-agent/opa-wasm": "./node_modules/@open-policy-agent/opa-wasm/src/index.cjs" },
    logLevel: "warning",
  });
  bundledWorker = outfile;
  return outfile;
}

function runWorker(runs: number, context: EnvironmentContext, files: string[]): WorkerReport {
  const run = spawnSync(process.execPath, [workerBundle(), String(runs), JSON.stringify(context), ...files], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) throw new Error(`gate worker failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as WorkerReport;
}

/** The facts the synthetic environments are gated with, by the worker, `opa eval` and the CLI alike. */
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

/** Peak resident memory of one run of a process in MB, from GNU time when the machine has it. */
function peakMemoryMb(
  command: string,
  args: readonly string[],
  options: { cwd?: string } = {},
): number | undefined {
  return runMeasured(command, args, options).peakMb;
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
  /** Peak RSS of the in-process worker once it had gated the stack, before its timing loops. */
  gatePeakMb: number;
  /** Policy heap of one evaluation of the cdk.tf.json. */
  heapBytes?: number;
  cliPeakMb?: number;
  violations: number;
  /** The same stack's plan renderings, gated in process like the cdk.tf.json. */
  plans: Record<
    PlanRendering,
    {
      bytes: number;
      gate: Timing;
      peakMb: number;
      violations: number;
      error?: string;
      /** The plan file as a pipeline hands it to the CLI, alone and joined with its stack (--config). */
      file: string;
      cli: Timing;
      cliWithConfig: Timing;
    }
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
  const facts = [
    "--organization-id",
    SYNTHETIC_CONTEXT.organization_id,
    "--account-id",
    SYNTHETIC_CONTEXT.account_id,
    "--tier",
    SYNTHETIC_CONTEXT.tier,
  ];
  const plans = Object.fromEntries(
    (["plan", "first-plan"] as const).map((rendering) => {
      // Named after the stack, which is how the CLI pairs a plan with its --config stack.
      const file = join(work, rendering, `${name}.json`);
      mkdirSync(join(work, rendering), { recursive: true });
      writeFileSync(file, render(readFileSync(stackFile, "utf8"), rendering, SYNTHETIC_CONTEXT.account_id));
      const planWorker = runWorker(runs.inProcess, SYNTHETIC_CONTEXT, [file]);
      const [planned] = planWorker.stacks;
      const report = ["--format", "json", "--output", join(work, `${name}.${rendering}.report.json`)];
      // Alone, a first plan cannot verify what it leaves unknown (violations, exit 1); joined, it passes.
      const alone = rendering === "first-plan" ? [1] : [0, 1];
      const cli = timeProcessRuns(
        process.execPath,
        [CLI, "check", file, ...facts, ...report],
        alone,
        runs.processes,
      );
      const cliWithConfig = timeProcessRuns(
        process.execPath,
        [CLI, "check", file, "--config", outdir, ...report],
        stack.violations === 0 ? [0] : [1],
        runs.processes,
      );
      return [
        rendering,
        {
          bytes: planned.bytes,
          gate: planned.gate,
          peakMb: planned.firstPeakMb,
          violations: planned.violations,
          error: planned.error,
          file,
          cli,
          cliWithConfig,
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
    ...facts,
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
    gatePeakMb: stack.firstPeakMb,
    heapBytes: stack.heapBytes,
    cliPeakMb: peakMemoryMb(process.execPath, check),
    violations: stack.violations,
    plans,
  };
}

interface UnrelatedPlanFigures {
  mb: number;
  bytes: number;
  instances: number;
  cli: Timing;
  peakMb?: number;
}

/**
 * The CLI on plans made mostly of resources no rule concerns (bench/unrelated-plan.ts), grown from
 * the shipped dev stack: its time should grow with the bytes, and nothing should be refused.
 */
function measureUnrelatedPlans(
  sizesMb: readonly number[],
  dev: Environment,
  work: string,
): UnrelatedPlanFigures[] {
  const synthDir = join(work, "cdktf-synth");
  const stack = JSON.parse(
    readFileSync(join(synthDir, "stacks", "dev", "cdk.tf.json"), "utf8"),
  ) as Parameters<typeof unrelatedPlan>[0];
  // A plan takes its environment's facts from cdktf.out in the working directory, as in a pipeline.
  const shippedProject = join(work, "shipped-project");
  mkdirSync(shippedProject, { recursive: true });
  symlinkSync(synthDir, join(shippedProject, "cdktf.out"));
  return sizesMb.map((mb) => {
    // Rendered in dev's own account and region, as its real plan would be.
    const { text, instances } = unrelatedPlan(stack, mb * 1024 ** 2, {
      accountId: dev.account.id,
      region: dev.account.region,
    });
    const folder = join(work, `unrelated-${mb}`);
    mkdirSync(folder, { recursive: true });
    // Named dev.json: the CLI takes the dev stack's facts from the synthesized cdktf.out.
    const file = join(folder, "dev.json");
    writeFileSync(file, text);
    const args = [CLI, "check", file, "--format", "json", "--output", join(folder, "report.json")];
    const options = { cwd: shippedProject };
    const cli = timeProcessRuns(process.execPath, args, [0], mb >= 50 ? 2 : 3, options);
    return {
      mb,
      bytes: Buffer.byteLength(text),
      instances,
      cli,
      peakMb: peakMemoryMb(process.execPath, args, options),
    };
  });
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

    console.log("\nthe CLI (process) on each size's plan files, alone and joined with its stack (--config):");
    printTable(
      [
        "resources",
        "CLI cdk.tf.json",
        "plan",
        "plan --config",
        "first plan",
        "first plan --config",
        "worst ÷ cdk.tf.json",
      ],
      results.map((r) => {
        const planTimes = [
          r.plans.plan.cli,
          r.plans.plan.cliWithConfig,
          r.plans["first-plan"].cli,
          r.plans["first-plan"].cliWithConfig,
        ];
        return [
          String(r.resources),
          formatTiming(r.cli),
          ...planTimes.map(formatTiming),
          ratio(Math.max(...planTimes.map((t) => t.median)), r.cli.median),
        ];
      }),
    );

    const measured = results.at(-1);
    if (measured?.heapBytes !== undefined) {
      // wasm32 addresses 4 GiB; the compiled data takes a few MB of it. Heap grows with the stack's bytes
      // (tests/gate/linear-cost.test.ts holds it flat per byte), so the limit scales from the largest size.
      const perByte = measured.heapBytes / measured.bytes;
      const fits = (WASM_MEMORY_LIMIT - 8 * 1024 ** 2) / perByte;
      console.log(
        `\nlargest stack that fits: ${perByte.toFixed(1)} heap bytes per cdk.tf.json byte at ${measured.resources} resources, ` +
          `so about ${(fits / 1024 ** 2).toFixed(0)} MB of cdk.tf.json, about ${Math.floor((measured.resources * fits) / measured.bytes / 1000) * 1000} resources of this kind, ` +
          `fit the ${(WASM_MEMORY_LIMIT / 1024 ** 3).toFixed(0)} GiB a wasm policy can address`,
      );
    }

    let trivy: { rendering: string; bytes: number; figures: TrivyFigures; cli: Timing }[] | undefined;
    const largestSize = results.at(-1);
    if (options.trivy && largestSize) {
      process.stdout.write(`\nmeasuring Trivy on the plans of ${largestSize.resources} resources...\n`);
      trivy = (["plan", "first-plan"] as const).map((rendering) => {
        const plan = largestSize.plans[rendering];
        return { rendering, bytes: plan.bytes, figures: measureTrivy(plan.file, work, 2), cli: plan.cli };
      });
      printTable(
        [
          "plan file",
          "bytes",
          "Trivy (process)",
          "Trivy peak RSS",
          "Trivy checks passed/failed",
          "gate CLI (process)",
          "gate ÷ Trivy",
        ],
        trivy.map((t) => [
          `${t.rendering} of ${largestSize.resources}`,
          `${(t.bytes / 1024 ** 2).toFixed(1)} MB`,
          formatTiming(t.figures.time),
          t.figures.peakMb === undefined ? "n/a" : `${t.figures.peakMb.toFixed(0)} MB`,
          `${t.figures.successes}/${t.figures.failures}`,
          formatTiming(t.cli),
          ratio(t.cli.median, t.figures.time.median),
        ]),
      );
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

    const dev = shippedEnvironments.get("dev");
    if (dev === undefined)
      throw new Error("bench: the unrelated plans are grown from the shipped dev stack, and there is none");
    const unrelated = measureUnrelatedPlans(options.unrelatedMb, dev, work);
    console.log(
      "\nplans made mostly of unrelated resources (the dev stack and EC2 instances), the CLI (process):",
    );
    printTable(
      ["plan", "instances", "CLI", "per MB", "peak RSS"],
      unrelated.map((u) => [
        `${(u.bytes / 1024 ** 2).toFixed(1)} MB`,
        String(u.instances),
        formatTiming(u.cli),
        formatMs(u.cli.median / (u.bytes / 1024 ** 2)),
        u.peakMb === undefined ? "n/a" : `${u.peakMb.toFixed(0)} MB`,
      ]),
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
        `  gate ≤ 3× floor at ${largest.resources} (issue 4's first target; issue 11 set the 15× below): ${ratio(largest.gate.median, largest.parse.median)} ${verdict(largest.gate.median <= 3 * largest.parse.median)}`,
      );
      console.log(
        `  gate ≤ 15× floor at ${largest.resources} (the issue 11 target): ${ratio(largest.gate.median, largest.parse.median)} ${verdict(largest.gate.median <= 15 * largest.parse.median)}`,
      );
      console.log(
        `  peak RSS ≤ 400 MB at ${largest.resources}: gate in process ${largest.gatePeakMb.toFixed(0)} MB, CLI ${largest.cliPeakMb?.toFixed(0) ?? "n/a"} MB ${verdict(largest.gatePeakMb <= 400 && (largest.cliPeakMb ?? 0) <= 400)}`,
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
      const cliPlanRatios = results.map(
        (r) =>
          Math.max(
            r.plans.plan.cli.median,
            r.plans.plan.cliWithConfig.median,
            r.plans["first-plan"].cliWithConfig.median,
          ) / r.cli.median,
      );
      console.log(
        `  CLI on a plan (alone and with --config) within 2× its cdk.tf.json: ${cliPlanRatios.map((x) => `${x.toFixed(2)}×`).join(", ")} ${verdict(cliPlanRatios.every((x) => x <= 2))}`,
      );
      if (trivy) {
        console.log(
          `  CLI on a plan within half of Trivy's time on the same file: ${trivy.map((t) => ratio(t.cli.median, t.figures.time.median)).join(", ")} ${verdict(trivy.every((t) => t.cli.median <= 0.5 * t.figures.time.median))}`,
        );
      }
      if (unrelated.length > 1) {
        // Like the resource steps: time may grow at most 1.2× as fast as the bytes (start-up is fixed).
        const steps = unrelated.slice(1).map((u, k) => ({
          time: u.cli.median / unrelated[k].cli.median,
          bytes: u.bytes / unrelated[k].bytes,
        }));
        console.log(
          `  unrelated plans gated in time proportional to size (time ≤ 1.2 × byte growth): ${steps
            .map((step) => `${step.time.toFixed(2)}× for ${step.bytes.toFixed(2)}×`)
            .join(", ")} ${verdict(steps.every((step) => step.time <= 1.2 * step.bytes))}`,
        );
      }
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
            unrelated,
            trivy,
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

main();
