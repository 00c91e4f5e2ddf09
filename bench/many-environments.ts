import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { GuardrailsPolicy } from "../gate/policy";
import { ROOT } from "../scripts/opa-toolchain";
import { EnvironmentStack } from "../stacks/environment-stack";
import { bundleFunction } from "../stacks/function-bundle";
import { ORGANIZATION_ID, accountFor, syntheticEnvironment } from "./synthetic-environments";

/*
 * A repository of many environments, in a process of its own so its peak memory is this row's:
 * synthesizes `count` environments (distinct names, tables and accounts, each the size of a shipped
 * one) in one app, as `npm run check` does, then gates every stack with one warm policy instance.
 * argv: <count> <outdir>; prints {count, synthMs, gateMs, maxRssMb, violations} as JSON.
 */

export interface ManyEnvironmentsReport {
  count: number;
  synthMs: number;
  gateMs: number;
  maxRssMb: number;
  violations: number;
}

const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

function main(): void {
  const [countArg, outdir] = process.argv.slice(2);
  const count = Number(countArg);
  const environments = Array.from({ length: count }, (_, i) =>
    syntheticEnvironment(`env${String(i).padStart(3, "0")}`, 3, {
      accountId: accountFor(i),
      tablePrefix: `T${String(i).padStart(3, "0")}Orders`,
    }),
  );
  const alertFunction = bundleFunction(join(ROOT, "functions", "deletion-alert", "handler.ts"));
  const synthStarted = process.hrtime.bigint();
  const app = new App({ outdir });
  for (const environment of environments) new EnvironmentStack(app, { environment, alertFunction });
  app.synth();
  const synthMs = since(synthStarted);

  const policy = GuardrailsPolicy.loadSync();
  const gateStarted = process.hrtime.bigint();
  let violations = 0;
  for (const environment of environments) {
    // Read back as the CLI reads it: parsing is part of what gating a stack costs.
    const file = join(outdir, "stacks", environment.name, "cdk.tf.json");
    const findings = policy.evaluate({
      stack: environment.name,
      document: JSON.parse(readFileSync(file, "utf8")) as unknown,
      context: {
        organization_id: ORGANIZATION_ID,
        account_id: environment.account.id,
        tier: environment.tier,
        today: "2026-01-01",
      },
      waivers: [],
    });
    violations += findings.filter((f) => f.status === "violation").length;
  }
  const gateMs = since(gateStarted);
  const report: ManyEnvironmentsReport = {
    count,
    synthMs,
    gateMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    violations,
  };
  process.stdout.write(JSON.stringify(report));
}

main();
