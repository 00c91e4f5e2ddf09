import { syntheticEnvironment, tablesFor } from "../../bench/synthetic-environments";
import { COMPILED_POLICY_DIR, GuardrailsPolicy } from "../../gate/policy";
import type { TerraformJson } from "../support/gate";
import { planFromSynth } from "../support/plan";
import { synthesize } from "../support/synth";

/*
 * OPA's wasm glob cache corrupts its memory once about a hundred distinct patterns are each used
 * many times in one evaluation: every plan of about 1,000 resources, whose IAM statements name each
 * table's key by its known ARN, stopped with `size_ <= max_size()` (exit 2). Such a plan must gate.
 */

jest.setTimeout(120_000);

it("gates the plan of a 1,000-resource stack, every KMS key ARN known", () => {
  const environment = syntheticEnvironment("many", tablesFor(1000));
  const stack = synthesize(environment).json as unknown as TerraformJson;
  const document = planFromSynth(stack, {
    accountId: environment.account.id,
    region: environment.account.region,
  });
  const policy = GuardrailsPolicy.loadSync(process.env.MANY_PATTERNS_POLICY_DIR ?? COMPILED_POLICY_DIR);
  const findings = policy.evaluate({
    stack: "many",
    document,
    context: {
      organization_id: environment.account.organizationId,
      account_id: environment.account.id,
      tier: environment.tier,
      today: "2026-11-24",
    },
    waivers: [],
  });
  expect(findings.filter((f) => f.status === "violation")).toEqual([]);
});
