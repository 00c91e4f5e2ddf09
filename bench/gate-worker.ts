import { readFileSync } from "node:fs";
import type { EnvironmentContext } from "../gate/findings";
import { GuardrailsPolicy } from "../gate/policy";
import { time, type Timing } from "./stats";

/*
 * The gate in process, in a process of its own so that its peak memory is the gate's and not the
 * benchmark's. Loads the compiled policy once, then for each stack file measures the JSON.parse
 * floor and a warm evaluation (input serialization, wasm evaluation, result decoding and checking).
 * argv: <runs> <environment context as JSON> <cdk.tf.json>...
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
  }[];
  maxRssMb: number;
}

function countResources(document: { resource?: Record<string, Record<string, unknown>> }): number {
  return Object.values(document.resource ?? {}).reduce((sum, named) => sum + Object.keys(named).length, 0);
}

function main(): void {
  const [runsArg, contextArg, ...files] = process.argv.slice(2);
  const runs = Number(runsArg);
  const started = process.hrtime.bigint();
  const policy = GuardrailsPolicy.loadSync();
  const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
  const context = JSON.parse(contextArg) as EnvironmentContext;
  const stacks = files.map((file) => {
    const bytes = readFileSync(file, "utf8");
    const document = JSON.parse(bytes) as Parameters<typeof countResources>[0];
    const stack = file.split("/").at(-2) ?? file;
    const evaluate = () => policy.evaluate({ stack, document: JSON.parse(bytes), context, waivers: [] });
    const violations = evaluate().filter((f) => f.status === "violation").length;
    return {
      file,
      bytes: Buffer.byteLength(bytes),
      resources: countResources(document),
      parse: time(() => JSON.parse(bytes), runs),
      gate: time(evaluate, runs),
      violations,
    };
  });
  const report: WorkerReport = { loadMs, stacks, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(report));
}

main();
