import { join } from "node:path";
import { App } from "cdktf";
import { environmentsOf, loadBootstraps } from "./config/bootstrap";
import { loadEnvironments } from "./config/load";
import { ConfigError } from "./config/validate";
import { stackFactsByName } from "./config/stack-facts";
import { contextFor } from "./gate/context";
import { enforceGuardrailsOnSynth, enforcementRequested } from "./gate/synth-enforcement";
import { loadWaivers } from "./gate/waivers";
import { BootstrapStack } from "./stacks/bootstrap-stack";
import { EnvironmentStack } from "./stacks/environment-stack";
import { bundleFunction } from "./stacks/function-bundle";

/** Synthesizes every environment into the app's outdir (cdktf.out unless CDKTF_OUTDIR says otherwise). */
export function synthesizeEnvironments(): void {
  const environments = loadEnvironments();
  const alertFunction = bundleFunction(join(__dirname, "functions", "deletion-alert", "handler.ts"));
  const app = new App();
  const enforce = enforcementRequested(app);
  const bootstraps = loadBootstraps(environments);
  const byName = stackFactsByName(environments, bootstraps);
  const waivers = enforce ? loadWaivers() : [];
  for (const environment of environments) {
    const stack = new EnvironmentStack(app, { environment, alertFunction });
    if (enforce) enforceGuardrailsOnSynth(stack, contextFor(environment.name, byName), waivers);
  }
  for (const bootstrap of bootstraps) {
    const stack = new BootstrapStack(app, {
      bootstrap,
      environments: environmentsOf(bootstrap, environments),
    });
    if (enforce) enforceGuardrailsOnSynth(stack, contextFor(stack.node.id, byName), waivers);
  }
  app.synth();
}

// `cdktf synth` runs this file; `npm run check` imports it and synthesizes in its own process.
if (require.main === module) {
  try {
    synthesizeEnvironments();
  } catch (error) {
    // A config mistake gets its own message and no stack trace: the message already says where and how to fix it.
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
