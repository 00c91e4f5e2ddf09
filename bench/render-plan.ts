import type { TerraformJson } from "../tests/support/gate";
import { planFromSynth } from "../tests/support/plan";

export type Rendering = "cdktf" | "plan" | "first-plan";

/** The bytes a pipeline would hand the gate for this stack in the given rendering. */
export function render(text: string, rendering: Rendering, accountId: string): string {
  if (rendering === "cdktf") return text;
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
