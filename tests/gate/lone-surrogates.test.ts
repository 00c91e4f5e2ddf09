import { withLoneSurrogatesReplaced } from "../../gate/lone-surrogates";
import { GuardrailsPolicy } from "../../gate/policy";
import { PRODUCTION_CONTEXT, synthesizedStack, type TerraformJson } from "../support/gate";

// A string cut in the middle of an emoji keeps a lone surrogate. OPA's JSON parser refuses one,
// Terraform (Go's decoder) reads it as U+FFFD: the gate must read it as Terraform does.

const context = PRODUCTION_CONTEXT;
const halfEmoji = "Orders 🎉".slice(0, -1);

describe("withLoneSurrogatesReplaced", () => {
  it("replaces lone high and low surrogates as JSON.stringify escapes them", () => {
    const json = JSON.stringify({ a: halfEmoji, b: "🎉".slice(1), [halfEmoji]: 1 });
    expect(JSON.parse(withLoneSurrogatesReplaced(json))).toEqual({
      a: "Orders \ufffd",
      b: "\ufffd",
      "Orders \ufffd": 1,
    });
  });

  it("leaves whole characters, escaped backslashes and text that only looks like an escape", () => {
    const json = JSON.stringify({ emoji: "🎉", text: "\\ud83d", both: `\\${halfEmoji}` });
    expect(JSON.parse(withLoneSurrogatesReplaced(json))).toEqual({
      emoji: "🎉",
      text: "\\ud83d",
      both: "\\Orders \ufffd",
    });
  });

  it("returns a string without any as it is", () => {
    const json = JSON.stringify(synthesizedStack("dev"));
    expect(withLoneSurrogatesReplaced(json)).toBe(json);
  });
});

describe("the gate on a stack holding a lone surrogate", () => {
  const policy = GuardrailsPolicy.loadSync();

  function withTag(value: string): TerraformJson {
    const stack = synthesizedStack("dev");
    const [name] = Object.keys(stack.resource.aws_dynamodb_table);
    const table = stack.resource.aws_dynamodb_table[name];
    table.tags = { ...(table.tags as Record<string, string>), description: value };
    return stack;
  }

  it("gates it as Terraform reads it, with U+FFFD in its place", () => {
    const input = (document: TerraformJson) => ({ stack: "dev", document, context, waivers: [] });
    expect(policy.evaluate(input(withTag(halfEmoji)))).toEqual(
      policy.evaluate(input(withTag("Orders \ufffd"))),
    );
  });
});
