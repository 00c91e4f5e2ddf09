import fc from "fast-check";
import type { Finding } from "../../gate/findings";
import {
  evaluate,
  shippedEnvironments,
  synthesizedStack,
  violations,
  type TerraformJson,
} from "../support/gate";
import { planFromSynth } from "../support/plan";
import { arrayForms } from "./arbitraries";
import { check } from "./fast-check-config";
import { inArrayForms } from "../support/terraform-json-forms";

/*
 * Relations between the findings of related stacks, on the shipped environments: whatever resource,
 * table or rename the generator picks, the relation must hold.
 */

type Block = Record<string, unknown>;

const synthesized = new Map(shippedEnvironments.map((env) => [env.name, synthesizedStack(env.name)]));
const stackOf = (name: string): TerraformJson => structuredClone(synthesized.get(name) as TerraformJson);
const environmentName = fc.constantFrom(...synthesized.keys());

const key = (f: Finding) => `${f.rule} ${f.address}`;
const violationKeys = (findings: Finding[]) => new Set(violations(findings).map(key));

/** Protections a table must keep, each with the rule that reports its loss. */
const TABLE_PROTECTIONS: Record<string, { rule: string; remove: (table: Block) => void }> = {
  encryption: { rule: "GR-ENC-001", remove: (table) => delete table.server_side_encryption },
  pitr: { rule: "GR-DP-001", remove: (table) => (table.point_in_time_recovery = { enabled: false }) },
  "deletion protection": {
    rule: "GR-DP-002",
    remove: (table) => (table.deletion_protection_enabled = false),
  },
};
const protection = fc.constantFrom(...Object.keys(TABLE_PROTECTIONS));

/** Picks one of a stack's resources of a type by index, whatever the number of them. */
function pick(stack: TerraformJson, type: string, index: number): [string, Block] {
  const entries = Object.entries(stack.resource[type] ?? {});
  return entries[index % entries.length];
}

/** Every resource address of a stack, as [type, name]. */
const addresses = (stack: TerraformJson): [string, string][] =>
  Object.entries(stack.resource).flatMap(([type, named]) =>
    Object.keys(named).map((n): [string, string] => [type, n]),
  );

/** Renames a resource and every `${type.name.` reference to it, as renaming a construct would. */
function rename(stack: TerraformJson, type: string, from: string, to: string): TerraformJson {
  const text = JSON.stringify(stack).split(`${type}.${from}.`).join(`${type}.${to}.`);
  const renamed = JSON.parse(text) as TerraformJson;
  const named = renamed.resource[type];
  renamed.resource[type] = Object.fromEntries(
    Object.entries(named).map(([n, b]) => [n === from ? to : n, b]),
  );
  return renamed;
}

describe("metamorphic properties of the shipped stacks", () => {
  it("removing a table's encryption, PITR or deletion protection always adds a violation on that table", () => {
    check(
      fc.property(environmentName, fc.nat(), protection, (env, index, which) => {
        const stack = stackOf(env);
        const [name, table] = pick(stack, "aws_dynamodb_table", index);
        const before = violationKeys(evaluate(env, stack));
        TABLE_PROTECTIONS[which].remove(table);
        const after = violationKeys(evaluate(env, stack));
        const expected = `${TABLE_PROTECTIONS[which].rule} aws_dynamodb_table.${name}`;
        expect(before.has(expected)).toBe(false);
        expect(after.has(expected)).toBe(true);
      }),
      8,
    );
  });

  it("adding a compliant copy of a resource never removes a violation", () => {
    check(
      fc.property(
        environmentName,
        fc.nat(),
        fc.nat(),
        protection,
        (env, tableIndex, resourceIndex, which) => {
          const stack = stackOf(env);
          // Start from a stack with a violation, so there is something that could be lost.
          TABLE_PROTECTIONS[which].remove(pick(stack, "aws_dynamodb_table", tableIndex)[1]);
          const before = violationKeys(evaluate(env, stack));
          const all = addresses(synthesized.get(env) as TerraformJson);
          const [type, name] = all[resourceIndex % all.length];
          // The copy is taken from the compliant shipped stack, under a new name.
          stack.resource[type][`${name}_copy`] = structuredClone(
            synthesized.get(env)?.resource[type][name] as Block,
          );
          const after = violationKeys(evaluate(env, stack));
          for (const violation of before) expect(after).toContain(violation);
        },
      ),
      8,
    );
  });

  it("renaming a resource changes only the addresses in the findings", () => {
    check(
      fc.property(
        environmentName,
        fc.nat(),
        fc.nat(),
        protection,
        fc.stringMatching(/^[a-z][a-z0-9_]{2,10}$/),
        (env, tableIndex, resourceIndex, which, suffix) => {
          const stack = stackOf(env);
          TABLE_PROTECTIONS[which].remove(pick(stack, "aws_dynamodb_table", tableIndex)[1]);
          const all = addresses(stack);
          const [type, from] = all[resourceIndex % all.length];
          const to = `renamed_${suffix}`;
          fc.pre(!(stack.resource[type] ?? {})[to]);
          const oldAddress = `${type}.${from}`;
          const newAddress = `${type}.${to}`;
          const expected = evaluate(env, stack)
            .map((f) => ({
              ...f,
              address: f.address === oldAddress ? newAddress : f.address,
              message: f.message.split(oldAddress).join(newAddress),
            }))
            .map((f) => JSON.stringify(f))
            .sort();
          const actual = evaluate(env, rename(stack, type, from, to))
            .map((f) => JSON.stringify(f))
            .sort();
          expect(actual).toEqual(expected);
        },
      ),
      8,
    );
  });

  it("writing the stack in the array forms of Terraform's JSON syntax gives the same findings", () => {
    check(
      fc.property(
        environmentName,
        fc.subarray(Object.keys(TABLE_PROTECTIONS)),
        fc.nat(),
        arrayForms,
        (env, removed, tableIndex, forms) => {
          const stack = stackOf(env);
          const [, table] = pick(stack, "aws_dynamodb_table", tableIndex);
          for (const which of removed) TABLE_PROTECTIONS[which].remove(table);
          expect(evaluate(env, inArrayForms(stack, forms))).toEqual(evaluate(env, stack));
        },
      ),
      10,
    );
  });

  it("the plan rendering gives the same rule ids on the same addresses", () => {
    check(
      fc.property(
        environmentName,
        fc.subarray(Object.keys(TABLE_PROTECTIONS), { minLength: 1 }),
        fc.nat(),
        (env, removed, tableIndex) => {
          const stack = stackOf(env);
          const [, table] = pick(stack, "aws_dynamodb_table", tableIndex);
          for (const which of removed) TABLE_PROTECTIONS[which].remove(table);
          const { account } = shippedEnvironments.find((e) => e.name === env) ?? shippedEnvironments[0];
          const plan = planFromSynth(stack, { accountId: account.id, region: account.region });
          const fromStack = violations(evaluate(env, stack)).map(key).sort();
          const fromPlan = violations(evaluate(env, plan)).map(key).sort();
          expect(fromStack.length).toBeGreaterThan(0);
          expect(fromPlan).toEqual(fromStack);
        },
      ),
      10,
    );
  });
});
