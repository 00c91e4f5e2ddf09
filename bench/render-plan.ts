import type { TerraformJson } from "../tests/support/gate";
import { planFromSynth } from "../tests/support/plan";

/** An update (every value known) or a first plan (every resource created, computed values unknown). */
export type PlanRendering = "plan" | "first-plan";

/** The plan JSON a pipeline would hand the gate for this synthesized stack. */
export function render(text: string, rendering: PlanRendering, accountId: string): string {
  const document = JSON.parse(text) as TerraformJson;
  const unknown =
    rendering === "first-plan"
      ? new Set(
          Object.entries(document.resource).flatMap(([type, named]) =>
            Object.keys(named).map((n) => `${type}.${n}`),
          ),
        )
      : undefined;
  return JSON.stringify(planFromSynth(document, { accountId, region: "us-east-1", unknown }));
}
