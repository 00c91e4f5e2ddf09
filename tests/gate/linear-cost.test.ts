import { Testing } from "cdktf";
import { syntheticEnvironment } from "../../bench/synthetic-environments";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { bundleFunction } from "../../stacks/function-bundle";
import { compiledPolicy, type TerraformJson } from "../support/gate";
import { planFromSynth } from "../support/plan";
import { ALERT_FUNCTION_ENTRY } from "../support/synth";

/*
 * The policy's memory is a deterministic function of its input, so its growth can be held to linear
 * without timing anything (timings live in `npm run bench`). A rule that compares every table with
 * every other (GR-MON-001 once tested each table's key against every ARN an alert rule lists) grows
 * its heap per input byte with the stack: at 120 tables that one was 1.26× its 10-table figure (1.24×
 * on the plan), and a 10,000-resource stack ran for more than ten minutes. Linear rules keep the
 * figure flat.
 */

const context = {
  organization_id: "o-a1b2c3d4e5",
  account_id: "111122223333",
  tier: "production" as const,
  today: "2026-01-01",
};
const SMALL = 10;
const LARGE = 120;

function synthesizedWith(tables: number): TerraformJson {
  const app = Testing.app();
  const stack = new EnvironmentStack(app, {
    environment: syntheticEnvironment(`linear${tables}`, tables),
    alertFunction: bundleFunction(ALERT_FUNCTION_ENTRY),
  });
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

function heapPerInputByte(document: unknown): number {
  const policy = compiledPolicy();
  const findings = policy.evaluate({ stack: "linear", document, context, waivers: [] });
  expect(findings.filter((f) => f.status === "violation")).toEqual([]);
  return policy.lastEvaluationHeapBytes / Buffer.byteLength(JSON.stringify(document));
}

const stacks = { small: synthesizedWith(SMALL), large: synthesizedWith(LARGE) };
const target = { accountId: context.account_id, region: "us-east-1" };

describe("the policy's heap grows linearly with the stack", () => {
  it(`on cdk.tf.json: heap per input byte at ${LARGE} tables within 1.15× of ${SMALL} tables`, () => {
    const growth = heapPerInputByte(stacks.large) / heapPerInputByte(stacks.small);
    expect(growth).toBeLessThan(1.15);
  });

  it(`on its plan rendering: heap per input byte at ${LARGE} tables within 1.15× of ${SMALL} tables`, () => {
    const growth =
      heapPerInputByte(planFromSynth(stacks.large, target)) /
      heapPerInputByte(planFromSynth(stacks.small, target));
    expect(growth).toBeLessThan(1.15);
  });
});

/*
 * What keeps a 10,000-resource stack under 400 MB of peak RSS (npm run bench: the policy heap is 213 MB
 * of the CLI's 368 MB there): at 120 tables the policy takes 20 heap bytes per cdk.tf.json byte and 8
 * per byte of its plan. The budgets leave a fifth of headroom; the policy as it was before its heap
 * was halved (2026-12-02) took 36.6 and 12.2, and fails both. A rule that builds a value for every
 * statement or resource shows here first.
 */
describe("the policy's heap stays within the budget that keeps 10,000 resources under 400 MB", () => {
  it(`on cdk.tf.json: at most 24 heap bytes per input byte at ${LARGE} tables`, () => {
    expect(heapPerInputByte(stacks.large)).toBeLessThan(24);
  });

  it(`on its plan rendering: at most 9.6 heap bytes per input byte at ${LARGE} tables`, () => {
    expect(heapPerInputByte(planFromSynth(stacks.large, target))).toBeLessThan(9.6);
  });
});
