import { GateError } from "../../gate/gate-error";
import { REPORTED_DEPTH, tooDeepPath } from "../../gate/nesting";
import { GuardrailsPolicy } from "../../gate/policy";
import { PRODUCTION_CONTEXT, synthesizedStack, type TerraformJson } from "../support/gate";
import { planFromSynth } from "../support/plan";

// Serializing the input and the policy's JSON parser recurse once per level: a value nested some
// thousands of levels deep (no Terraform writes one, other tools might) runs them out of stack. The
// gate must refuse it as a GateError that says where, never crash or report a bare stack overflow.

const context = PRODUCTION_CONTEXT;

/** levels arrays, one inside the other, around a string. */
function nested(levels: number): unknown {
  let value: unknown = "x";
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

function withDeepValue(stack: TerraformJson, levels: number): TerraformJson {
  const tables = stack.resource.aws_dynamodb_table;
  const [name] = Object.keys(tables);
  return {
    ...stack,
    resource: {
      ...stack.resource,
      aws_dynamodb_table: { ...tables, [name]: { ...tables[name], deep: nested(levels) } },
    },
  };
}

describe("tooDeepPath", () => {
  it("finds nothing in a stack as CDKTF writes it", () => {
    expect(tooDeepPath(synthesizedStack("prod"))).toBeUndefined();
  });

  it("names the first value deeper than the limit, in document order, shortened", () => {
    const document = { a: { b: [1, { c: nested(5) }] }, z: nested(50) };
    // c is the first container below three levels.
    expect(tooDeepPath(document, 3)).toBe("a.b[1].c");
    expect(tooDeepPath(document, 10)).toBe("z[0][0][0][0][0]…");
    expect(tooDeepPath(document, 60)).toBeUndefined();
  });

  it("walks a chain far deeper than JavaScript's stack without overflowing itself", () => {
    expect(tooDeepPath({ deep: nested(500_000) })).toBe("deep[0][0][0][0][0]…");
  });
});

describe("the gate on a value nested too deeply", () => {
  const policy = GuardrailsPolicy.loadSync();
  const stack = synthesizedStack("dev");
  const [table] = Object.keys(stack.resource.aws_dynamodb_table);

  it("refuses a stack with a GateError naming the file and the path", () => {
    const attempt = () =>
      policy.evaluate(
        { stack: "dev", document: withDeepValue(stack, 200_000), context, waivers: [] },
        "cdktf.out/stacks/dev/cdk.tf.json",
      );
    expect(attempt).toThrow(GateError);
    expect(attempt).toThrow(
      new RegExp(
        String.raw`^stack dev \(cdktf\.out/stacks/dev/cdk\.tf\.json\) nests values too deeply to gate: ` +
          String.raw`resource\.aws_dynamodb_table\.${table}\.deep\[0\]\[0\]… is more than 1,000 levels deep, ` +
          "where Terraform and CDKTF write a few dozen; fix the tool that wrote the file$",
      ),
    );
  });

  it("names the joined stack when that is where the value is", () => {
    const plan = planFromSynth(stack, { accountId: context.account_id, region: "us-east-1" });
    // The joined stack is sent pruned to what the plan leaves unknown, and its providers.
    const { aws } = stack.provider as { aws: Record<string, unknown>[] };
    const configuration = {
      ...stack,
      provider: { aws: [{ ...aws[0], deep: nested(200_000) }, ...aws.slice(1)] },
    };
    const attempt = () =>
      policy.evaluate(
        { stack: "dev", document: plan, configuration, context, waivers: [] },
        "plans/dev.json",
      );
    expect(attempt).toThrow(
      /nests values too deeply to gate: the joined stack's provider\.aws\[0\]\.deep\[0\]/,
    );
  });

  it("still gates a value deeper than it reports but not too deep to read", () => {
    const input = (document: TerraformJson) => ({ stack: "dev", document, context, waivers: [] });
    expect(policy.evaluate(input(withDeepValue(stack, REPORTED_DEPTH + 500)))).toEqual(
      policy.evaluate(input(stack)),
    );
  });
});
