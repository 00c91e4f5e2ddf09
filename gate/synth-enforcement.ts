import type { App, TerraformStack } from "cdktf";
import type { EnvironmentContext, Waiver } from "./findings";
import { GateError } from "./gate-error";
import { GuardrailsPolicy } from "./policy";

/** cdktf.json `context` key that turns enforcement on. */
export const ENFORCE_CONTEXT_KEY = "enforceGuardrailsOnSynth";
/** Environment variable that turns enforcement on for one run. */
export const ENFORCE_ENV_VAR = "DDB_GUARDRAILS_ENFORCE_ON_SYNTH";

export function enforcementRequested(app: App, env: NodeJS.ProcessEnv = process.env): boolean {
  const fromEnv = env[ENFORCE_ENV_VAR];
  if (fromEnv !== undefined && fromEnv !== "") return ["1", "true", "yes"].includes(fromEnv.toLowerCase());
  return app.node.tryGetContext(ENFORCE_CONTEXT_KEY) === true;
}

let sharedPolicy: GuardrailsPolicy | undefined;

/**
 * Makes `cdktf synth` fail when the stack violates a guardrail: a construct validation that runs
 * the same compiled policy as the gate, synchronously, on the stack's resolved Terraform JSON.
 * Opt-in, because it needs the compiled policy (`npm run build:policies`) before synthesis.
 */
export function enforceGuardrailsOnSynth(
  stack: TerraformStack,
  context: EnvironmentContext,
  waivers: Waiver[] = [],
  loadPolicy: () => GuardrailsPolicy = () => (sharedPolicy ??= GuardrailsPolicy.loadSync()),
): void {
  stack.node.addValidation({
    validate: () => {
      try {
        const findings = loadPolicy().evaluate({
          stack: stack.node.id,
          document: stack.toTerraform(),
          context,
          waivers,
        });
        return findings
          .filter((finding) => finding.status === "violation")
          .map((finding) => `[${finding.rule}, ${finding.severity}] ${finding.message}`);
      } catch (error) {
        // Fail closed: a policy that cannot run is a failed check, not a skipped one.
        return [
          `guardrails could not run: ${error instanceof GateError || error instanceof Error ? error.message : String(error)}`,
        ];
      }
    },
  });
}
