import { Testing } from "cdktf";
import type { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { GateError } from "../../gate/gate-error";
import { GuardrailsPolicy } from "../../gate/policy";
import {
  ENFORCE_CONTEXT_KEY,
  ENFORCE_ENV_VAR,
  enforceGuardrailsOnSynth,
  enforcementRequested,
} from "../../gate/synth-enforcement";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { bundleFunction } from "../../stacks/function-bundle";
import { TODAY } from "../support/gate";
import { ALERT_FUNCTION_ENTRY, environment } from "../support/synth";

const context = {
  organization_id: "o-a1b2c3d4e5",
  account_id: "111122223333",
  tier: "development",
  today: TODAY,
};

function devStack(): EnvironmentStack {
  return new EnvironmentStack(Testing.app(), {
    environment: environment(),
    alertFunction: bundleFunction(ALERT_FUNCTION_ENTRY),
  });
}

describe("guardrails enforced during cdktf synth", () => {
  it("is off unless asked for, by environment variable or cdktf.json context", () => {
    expect(enforcementRequested(Testing.app(), {})).toBe(false);
    expect(enforcementRequested(Testing.app(), { [ENFORCE_ENV_VAR]: "true" })).toBe(true);
    expect(enforcementRequested(Testing.app({ context: { [ENFORCE_CONTEXT_KEY]: true } }), {})).toBe(true);
    expect(
      enforcementRequested(Testing.app({ context: { [ENFORCE_CONTEXT_KEY]: true } }), {
        [ENFORCE_ENV_VAR]: "0",
      }),
    ).toBe(false);
  });

  it("lets a compliant stack synthesize", () => {
    const stack = devStack();
    enforceGuardrailsOnSynth(stack, context);
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  it("fails synthesis on a violation, naming rule, resource and fix", () => {
    const stack = devStack();
    enforceGuardrailsOnSynth(stack, context);
    const table = stack.tables[0].table as DynamodbTable;
    table.addOverride("server_side_encryption.enabled", false);
    expect(() => Testing.synth(stack, true)).toThrow(
      /\[GR-ENC-001, critical\] aws_dynamodb_table\.\S+: server-side encryption is disabled/,
    );
  });

  it("fails closed when the policy cannot be loaded", () => {
    const stack = devStack();
    enforceGuardrailsOnSynth(stack, context, [], () => {
      throw new GateError("no compiled policy in build/policies: run `npm run build:policies`");
    });
    expect(() => Testing.synth(stack, true)).toThrow(/guardrails could not run: no compiled policy/);
  });

  it("evaluates the same compiled policy synchronously", () => {
    expect(GuardrailsPolicy.loadSync()).toBeInstanceOf(GuardrailsPolicy);
  });
});
