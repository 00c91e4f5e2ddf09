import { App } from "cdktf";
import type { Environment } from "../config/schema";
import { EnvironmentStack } from "../stacks/environment-stack";
import type { FunctionBundle } from "../stacks/function-bundle";

/** Synthesizes environments into outdir (stacks/<name>/cdk.tf.json) in process; returns the wall time in ms. */
export function synthesize(
  environments: Environment[],
  alertFunction: FunctionBundle,
  outdir: string,
): number {
  const started = process.hrtime.bigint();
  const app = new App({ outdir });
  for (const environment of environments) new EnvironmentStack(app, { environment, alertFunction });
  app.synth();
  return Number(process.hrtime.bigint() - started) / 1e6;
}
