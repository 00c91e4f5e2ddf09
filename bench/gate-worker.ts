import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { EnvironmentContext } from "../gate/findings";
import { GateError } from "../gate/gate-error";
import { GuardrailsPolicy } from "../gate/policy";
import { countResources } from "./count-resources";
import { summarize, time, type Timing } from "./stats";

/*
 * The gate in process, in a process of its own so that its peak memory is the gate's and not the
 * benchmark's. Loads the compiled policy once, then for each stack file gates it once (its peak
 * memory), then measures the JSON.parse floor and a warm evaluation (input serialization, wasm
 * evaluation, result decoding and checking).
 * argv: <runs> <environment context as JSON> <cdk.tf.json or plan JSON>...
 * (bench/run.ts writes each plan rendering once, for this worker and the CLI runs alike).
 */

export interface WorkerReport {
  loadMs: number;
  stacks: {
    file: string;
    bytes: number;
    resources: number;
    parse: Timing;
    gate: Timing;
    violations: number;
    /** The gate's refusal (a GateError: exit 2 in the CLI), when it refused this stack. */
    error?: string;
    /** Policy heap the evaluation took beyond the compiled data, and the bytes it was handed. */
    heapBytes?: number;
    /**
     * The process's peak RSS once this stack was first gated, before the timing loops: what gating
     * it costs a fresh process (the loops' parsed copies are the benchmark's garbage, not the gate's).
     */
    firstPeakMb: number;
  }[];
  maxRssMb: number;
}

/** cdktf.out/stacks/<stack>/cdk.tf.json, or <stack>.json for a plan. */
const stackOf = (file: string) =>
  file.endsWith("cdk.tf.json") ? (file.split("/").at(-2) ?? file) : basename(file, ".json");

function main(): void {
  const [runsArg, contextArg, ...files] = process.argv.slice(2);
  const runs = Number(runsArg);
  const started = process.hrtime.bigint();
  const policy = GuardrailsPolicy.loadSync();
  const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
  const context = JSON.parse(contextArg) as EnvironmentContext;
  const stacks = files.map((file) => {
    const bytes = readFileSync(file, "utf8");
    const stack = stackOf(file);
    const evaluate = () => policy.evaluate({ stack, document: JSON.parse(bytes), context, waivers: [] });
    let violations: number;
    let refusal: string | undefined;
    const started = process.hrtime.bigint();
    try {
      violations = evaluate().filter((f) => f.status === "violation").length;
    } catch (error) {
      // Reported, not thrown: a refusal is a figure too (how long the gate took to fail closed).
      if (!(error instanceof GateError)) throw error;
      violations = 0;
      refusal = error.message;
    }
    const firstMs = Number(process.hrtime.bigint() - started) / 1e6;
    const common = {
      file,
      bytes: Buffer.byteLength(bytes),
      firstPeakMb: process.resourceUsage().maxRSS / 1024,
      resources: countResources(JSON.parse(bytes)),
      parse: time(() => JSON.parse(bytes), runs),
    };
    if (refusal !== undefined) return { ...common, gate: summarize([firstMs]), violations, error: refusal };
    return { ...common, gate: time(evaluate, runs), violations, heapBytes: policy.lastEvaluationHeapBytes };
  });
  const report: WorkerReport = { loadMs, stacks, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(report));
}

main();
