import { detectFormat } from "../../gate/inputs";
import { bootstrapStackName } from "../../config/bootstrap-schema";
import {
  evaluate,
  shippedBootstraps,
  shippedEnvironments,
  synthesizedStack,
  targetOf,
  violations,
} from "../support/gate";
import { planFromSynth } from "../support/plan";

describe("plan-format input", () => {
  it.each([
    ...shippedEnvironments.map((e) => e.name),
    ...shippedBootstraps.map((b) => bootstrapStackName(b.name)),
  ])("gives %s the same clean verdict as its cdk.tf.json", (name) => {
    const plan = planFromSynth(synthesizedStack(name), targetOf(name));
    expect(detectFormat(plan)).toBe("plan");
    expect(evaluate(name, plan)).toEqual([]);
  });

  it("never reads a first apply's unknown values as compliant", () => {
    const stack = synthesizedStack("dev");
    const everything = new Set(
      Object.entries(stack.resource).flatMap(([type, named]) =>
        Object.keys(named).map((n) => `${type}.${n}`),
      ),
    );
    const findings = violations(
      evaluate("dev", planFromSynth(stack, { ...targetOf("dev"), unknown: everything })),
    );
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) expect(finding.message).toMatch(/unknown until apply/);
  });
});
