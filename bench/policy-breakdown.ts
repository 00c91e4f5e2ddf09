import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { loadPolicySync, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import type { PolicyInput } from "../gate/findings";
import { encodePolicyInput } from "../gate/policy";
import { HeapReservation } from "../gate/wasm-heap";
import { buildPolicies, compilePolicies, type RuleMetadata } from "../scripts/build-policies";
import { POLICY_DATA_DIR, POLICY_DIR, ROOT } from "../scripts/opa-toolchain";
import { bundleFunction } from "../stacks/function-bundle";
import { countResources } from "./count-resources";
import { formatMs, formatTiming, printTable, ratio, summarize, time, type Timing } from "./stats";
import { SYNTHETIC_CONTEXT, syntheticEnvironment, tablesFor } from "./synthetic-environments";
import { synthesize } from "./synthesize";

/*
 * `npm run bench:breakdown`: where one evaluation of the policy spends its time and heap. The policy
 * is compiled again with one entrypoint per stage, each evaluated alone on the bytes the gate sends:
 * the input alone, the resource index, the IAM documents, every rule; then each rule on top of the
 * IAM documents. Prints figures and asserts nothing (the targets are `npm run bench`'s).
 *
 * Options: --resources N (a synthetic stack of about N resources, default 10000)
 *          --stack FILE (a cdk.tf.json or plan instead, gated with the synthetic stacks' context)
 *          --runs N (timed evaluations of each entrypoint, default 3)
 */

interface Options {
  resources: number;
  stackFile?: string;
  runs: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { resources: 10000, runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const [arg, value] = [argv[i], argv[i + 1]];
    if (arg === "--resources" && value !== undefined) options.resources = Number(argv[++i]);
    else if (arg === "--stack" && value !== undefined) options.stackFile = argv[++i];
    else if (arg === "--runs" && value !== undefined) options.runs = Number(argv[++i]);
    else
      throw new Error(
        `bench:breakdown: unknown option ${arg} (known: --resources N, --stack FILE, --runs N)`,
      );
  }
  if (!Number.isInteger(options.resources) || options.resources < 50) {
    throw new Error("bench:breakdown: --resources takes a whole number of resources, at least 50");
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) {
    throw new Error("bench:breakdown: --runs takes a whole number of runs, at least 1");
  }
  return options;
}

const PACKAGE = "guardrails_breakdown";
const DOCUMENTS = "count(data.guardrails.lib.iam.documents)";

interface Stage {
  entrypoint: string;
  label: string;
  expression: string;
}

/** In the order an evaluation needs them; each includes the ones before it. */
const STAGES: readonly Stage[] = [
  {
    entrypoint: "input_only",
    label: "the input alone (copied in, parsed by the policy)",
    expression: "true",
  },
  {
    entrypoint: "resources_indexed",
    label: "+ every block indexed by address",
    expression: "count(data.guardrails.lib.resources.by_address)",
  },
  {
    entrypoint: "documents_read",
    label: "+ every IAM document parsed and its statements read",
    expression: DOCUMENTS,
  },
  {
    entrypoint: "every_rule",
    label: "every rule (the gate's evaluation)",
    expression: "count(data.guardrails.main.findings)",
  },
];

const [, , DOCUMENTS_STAGE, EVERY_RULE] = STAGES;

interface RuleStage {
  rule: RuleMetadata;
  entrypoint: string;
  expression: string;
}

/** Each rule with the documents asked first, so what it costs is what it adds to them. */
function ruleStages(catalog: readonly RuleMetadata[]): RuleStage[] {
  return catalog.map((rule) => {
    // Rules live one package per file.
    const name = /^package\s+(\S+)/m.exec(readFileSync(join(ROOT, rule.file), "utf8"))?.[1];
    if (name === undefined) throw new Error(`${rule.file}: no package line`);
    return {
      rule,
      entrypoint: `rule_${rule.id.toLowerCase().replace(/[^a-z0-9]/g, "_")}`,
      expression: `[${DOCUMENTS}, count(data.${name}.findings)]`,
    };
  });
}

/** The project's policies with the breakdown's entrypoints beside them, compiled into work. */
async function compileBreakdown(work: string, stages: readonly (Stage | RuleStage)[]): Promise<LoadedPolicy> {
  const moduleDir = join(work, "module");
  mkdirSync(moduleDir);
  const rules = stages.map((stage) => `${stage.entrypoint} := ${stage.expression}`);
  writeFileSync(join(moduleDir, "breakdown.rego"), [`package ${PACKAGE}`, "", ...rules, ""].join("\n"));
  const compiled = await compilePolicies({
    policyDir: POLICY_DIR,
    dataDirs: [POLICY_DATA_DIR, moduleDir],
    outDir: join(work, "policy"),
    entrypoints: stages.map((stage) => `${PACKAGE}/${stage.entrypoint}`),
  });
  const policy = loadPolicySync(readFileSync(compiled.wasm));
  const data = readFileSync(compiled.data);
  policy.setData(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  return policy;
}

interface Measured {
  timing: Timing;
  heapBytes: number;
}

class Evaluator {
  private readonly heap: HeapReservation;

  constructor(
    private readonly policy: LoadedPolicy,
    private readonly bytes: Uint8Array,
  ) {
    this.heap = new HeapReservation(policy);
  }

  measure(entrypoint: string, runs: number, warmup = 1): Measured {
    const timing = time(
      () => {
        const result: unknown = this.heap.around(this.bytes.byteLength, () =>
          this.policy.evaluate(this.bytes.buffer, `${PACKAGE}/${entrypoint}`),
        );
        if (!Array.isArray(result) || result.length !== 1) {
          throw new Error(`bench:breakdown: ${entrypoint} returned ${JSON.stringify(result)}`);
        }
      },
      runs,
      warmup,
    );
    return { timing, heapBytes: this.heap.lastUsed };
  }

  /**
   * What a rule adds to the documents: the fastest of its runs less the fastest of the documents'
   * alone, alternated run by run. The same evaluation varies here by a fifth or more, all of it
   * upwards, and the machine's speed drifts over the minutes this takes by more than a rule costs.
   */
  added(entrypoint: string, runs: number): { ms: number; heapBytes: number; documentsAlone: number[] } {
    const alone: number[] = [];
    const withRule: number[] = [];
    let heapBytes = 0;
    for (let run = 0; run < runs; run++) {
      const documents = this.measure(DOCUMENTS_STAGE.entrypoint, 1, 0);
      const measured = this.measure(entrypoint, 1, 0);
      alone.push(documents.timing.min);
      withRule.push(measured.timing.min);
      heapBytes = measured.heapBytes - documents.heapBytes;
    }
    return { ms: Math.min(...withRule) - Math.min(...alone), heapBytes, documentsAlone: alone };
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

function describeInput(file: string, text: string, document: unknown, sentBytes: number): string {
  return `${relative(process.cwd(), file)}: ${countResources(document)} resources, ${megabytes(Buffer.byteLength(text))}, ${megabytes(sentBytes)} sent to the policy`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), "ddb-guardrails-breakdown-"));
  try {
    // Also generates the IAM reference data the policies read, when it is missing.
    const built = await buildPolicies();
    let file = options.stackFile;
    if (file === undefined) {
      const name = `bench${options.resources}`.slice(0, 16);
      const alertFunction = bundleFunction(join(ROOT, "functions", "deletion-alert", "handler.ts"));
      console.log(`synthesizing a stack of about ${options.resources} resources...`);
      synthesize(
        [syntheticEnvironment(name, tablesFor(options.resources))],
        alertFunction,
        join(work, "out"),
      );
      file = join(work, "out", "stacks", name, "cdk.tf.json");
    }
    const text = readFileSync(file, "utf8");
    const document: unknown = JSON.parse(text);
    const input: PolicyInput = { stack: "breakdown", document, context: SYNTHETIC_CONTEXT, waivers: [] };
    const rules = ruleStages(JSON.parse(readFileSync(built.catalog, "utf8")) as RuleMetadata[]);
    const bytes = encodePolicyInput(input);
    const evaluator = new Evaluator(await compileBreakdown(work, [...STAGES, ...rules]), bytes);

    // V8 compiles hot wasm functions again as they run: the first evaluations are slower, and would
    // be charged to whichever stage came first.
    evaluator.measure(EVERY_RULE.entrypoint, 1, 2);
    const floor = time(() => JSON.parse(text), Math.max(options.runs, 5));
    const encoding = time(() => encodePolicyInput(input), options.runs);
    console.log(`\n${describeInput(file, text, document, bytes.byteLength)}; ${options.runs} runs of each`);
    console.log(`JSON.parse of the file (the floor): ${formatTiming(floor)}\n`);

    const stages = STAGES.map((stage) => ({ stage, ...evaluator.measure(stage.entrypoint, options.runs) }));
    printTable(
      ["stage (each includes the ones above it)", "time (median, min–max)", "÷ floor", "heap"],
      [
        [
          "the input pruned and serialized (JavaScript)",
          formatTiming(encoding),
          ratio(encoding.median, floor.median),
          "-",
        ],
        ...stages.map(({ stage, timing, heapBytes }) => [
          stage.label,
          formatTiming(timing),
          ratio(timing.median, floor.median),
          megabytes(heapBytes),
        ]),
      ],
    );
    const medianOf = (wanted: Stage) => stages.find(({ stage }) => stage === wanted)?.timing.median ?? NaN;
    const rulesMs = medianOf(EVERY_RULE) - medianOf(DOCUMENTS_STAGE);
    const inProcess = floor.median + encoding.median + medianOf(EVERY_RULE);
    console.log(
      `\nthe gate in process (JSON.parse, the input serialized, every rule): about ${formatMs(inProcess)}, ` +
        `${ratio(inProcess, floor.median)} the floor; every rule adds ${formatMs(rulesMs)} to the documents, ` +
        `${formatMs(rulesMs / rules.length)} a rule over ${rules.length} rules`,
    );

    console.log(
      "\neach rule on top of the IAM documents (indexes several rules share are counted in each; heap is exact, " +
        "time is as noisy as the machine, see below):",
    );
    const added = rules
      .map(({ rule, entrypoint }) => ({ rule, ...evaluator.added(entrypoint, options.runs) }))
      .sort((a, b) => b.ms - a.ms);
    printTable(
      ["rule", "file", "time added", "÷ floor", "heap added"],
      added.map(({ rule, ms, heapBytes }) => [
        rule.id,
        rule.file,
        formatMs(ms),
        ratio(ms, floor.median),
        megabytes(heapBytes),
      ]),
    );
    // The noise the column is read against: the same evaluation, run beside every rule.
    const documentsAlone = summarize(added.flatMap((entry) => entry.documentsAlone));
    console.log(
      `\nthe documents alone, evaluated beside each rule: ${formatTiming(documentsAlone)}; a rule's time added is ` +
        `within that spread of nothing`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
