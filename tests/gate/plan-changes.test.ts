import {
  evaluate,
  shippedEnvironments,
  synthesizedStack,
  violations,
  type TerraformJson,
  targetOf,
} from "../support/gate";
import { planFromSynth } from "../support/plan";
import { moved, recreated, renamed, replacing, updating } from "../support/plan-changes";

/*
 * The change-aware rules on plans of the shipped environments: a table destroyed (a rename without a
 * `moved` block, a replacement), the same rename with a `moved` block, and protections turned off in
 * an update. Each plan is rendered from the real synthesized stack.
 */

const first = (stack: TerraformJson, type: string) => `${type}.${Object.keys(stack.resource[type])[0]}`;
const verdict = (name: string, plan: unknown) =>
  violations(evaluate(name, plan)).map((f) => [f.rule, f.address, f.message] as const);

describe.each(shippedEnvironments.map((e) => e.name))("plans of %s", (name) => {
  const stack = synthesizedStack(name);
  const table = first(stack, "aws_dynamodb_table");
  const key = `aws_kms_key.${Object.entries(stack.resource.aws_kms_key).find(([, k]) => String(k.description).includes("table"))?.[0]}`;

  it("fails a rename without a moved block on the old table's address, saying the data is destroyed", () => {
    const renamedStack = renamed(stack, table, "Catalog");
    const plan = recreated(planFromSynth(renamedStack, targetOf(name)), "aws_dynamodb_table.Catalog", table);
    const found = verdict(name, plan);
    expect(found.map(([rule, address]) => [rule, address])).toEqual([["GR-CHG-001", table]]);
    expect(found[0][2]).toMatch(/the plan deletes this table .*every item in it is destroyed/);
  });

  it("passes the same rename with a moved block", () => {
    const renamedStack = renamed(stack, table, "Catalog");
    const plan = moved(planFromSynth(renamedStack, targetOf(name)), "aws_dynamodb_table.Catalog", table);
    expect(verdict(name, plan)).toEqual([]);
  });

  it("fails a replacement, naming the attribute that forces it", () => {
    const plan = replacing(planFromSynth(stack, targetOf(name)), table, { hash_key: "Id" });
    const found = verdict(name, plan);
    expect(found.map(([rule, address]) => [rule, address])).toEqual([["GR-CHG-001", table]]);
    expect(found[0][2]).toContain("because hash_key changes");
    expect(found[0][2]).toContain("the new one starts empty");
  });

  it("says deletion protection turned off as the change it is, beside the end state", () => {
    const off = structuredClone(stack);
    off.resource.aws_dynamodb_table[table.split(".")[1]].deletion_protection_enabled = false;
    const plan = updating(planFromSynth(off, targetOf(name)), table, { deletion_protection_enabled: true });
    const found = verdict(name, plan);
    expect(found.map(([rule, address]) => [rule, address])).toEqual([
      ["GR-CHG-005", table],
      ["GR-DP-002", table],
    ]);
    expect(found[0][2]).toContain("deletion_protection_enabled: true -> false");
  });

  it("fails a table key being disabled", () => {
    const disabled = structuredClone(stack);
    disabled.resource.aws_kms_key[key.split(".")[1]].is_enabled = false;
    const plan = updating(planFromSynth(disabled, targetOf(name)), key, { is_enabled: true });
    const found = verdict(name, plan);
    expect(found.map(([rule, address]) => [rule, address])).toEqual([["GR-CHG-002", key]]);
    expect(found[0][2]).toContain(`which encrypts ${table}`);
  });
});
