import { join } from "node:path";
import { App } from "cdktf";
import { loadEnvironments } from "./config/load";
import { ConfigError } from "./config/validate";
import { contextFor, environmentsByName } from "./gate/context";
import { enforceGuardrailsOnSynth, enforcementRequested } from "./gate/synth-enforcement";
import { loadWaivers } from "./gate/waivers";
import { EnvironmentStack } from "./stacks/environment-stack";
import { bundleFunction } from "./stacks/function-bundle";

/** Synthesizes every environment into the app's outdir (cdktf.out unless CDKTF_OUTDIR says otherwise). */
export function synthesizeEnvironments(): void {
  const environments = loadEnvironments();
  const alertFunction = bundleFunction(join(__dirname, "functions", "deletion-alert", "handler.ts"));
  const app = new App();
  const enforce = enforcementRequested(app);
  const byName = environmentsByName(() => environments);
  const waivers = enforce ? loadWaivers() : [];
  for (const environment of environments) {
    const stack = new EnvironmentStack(app, { environment, alertFunction });
    if (enforce) enforceGuardrailsOnSynth(stack, contextFor(environment.name, byName), waivers);
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
