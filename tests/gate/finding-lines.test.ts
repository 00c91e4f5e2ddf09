import { linesOf, type StackDocument } from "../../gate/inputs";
import { synthesizedStack, targetOf } from "../support/gate";
import { planFromSynth } from "../support/plan";

/*
 * Reports point each finding at the line where its resource is declared. The gate finds every line
 * in one scan of the text; the reference here searches the text once per address, as the gate did
 * before (which took seconds on a first plan with thousands of findings).
 */

function document(format: StackDocument["format"], text: string): StackDocument {
  return { stack: "dev", source: "dev.json", format, document: JSON.parse(text), text };
}

function searchedOnce(doc: StackDocument, address: string): number {
  const key =
    doc.format === "plan"
      ? `"address"\\s*:\\s*${JSON.stringify(address).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`
      : `${JSON.stringify(
          address
            .split(".")
            .slice(address.startsWith("data.") ? 2 : 1)
            .join("."),
        ).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:\\s*\\{`;
  const match = new RegExp(key).exec(doc.text);
  return match ? doc.text.slice(0, match.index).split("\n").length : 1;
}

const stack = synthesizedStack("dev");
const addresses = Object.entries(stack.resource).flatMap(([type, named]) =>
  Object.keys(named).map((name) => `${type}.${name}`),
);
const plan = planFromSynth(stack, targetOf("dev"));

describe("finding lines", () => {
  it.each([
    ["cdk.tf.json", "cdktf" as const, JSON.stringify(stack, null, 2)],
    ["an indented plan", "plan" as const, JSON.stringify(plan, null, 2)],
    ["a compact plan, as Terraform writes it", "plan" as const, JSON.stringify(plan)],
  ])("are the lines a search per address finds, in %s", (_, format, text) => {
    const doc = document(format, text);
    const wanted = [...addresses, "", "aws_s3_bucket.not_in_the_stack"];
    const expected = Object.fromEntries(
      wanted.map((address) => [address, address === "" ? 1 : searchedOnce(doc, address)]),
    );
    expect(linesOf(doc, wanted)).toEqual(expected);
    expect(new Set(Object.values(expected)).size).toBeGreaterThan(
      format === "plan" && !text.includes("\n") ? 0 : 10,
    );
  });

  it("reads for_each keys that hold quotes and dots, and gives repeated addresses one line", () => {
    const text = JSON.stringify(
      {
        format_version: "1.2",
        resource_changes: [
          { address: 'aws_s3_bucket.b["a.b"]' },
          { address: 'aws_s3_bucket.b["say \\"hi\\""]' },
        ],
      },
      null,
      1,
    );
    const doc = document("plan", text);
    const wanted = ['aws_s3_bucket.b["a.b"]', 'aws_s3_bucket.b["say \\"hi\\""]', 'aws_s3_bucket.b["a.b"]'];
    expect(linesOf(doc, wanted)).toEqual(
      Object.fromEntries(wanted.map((address) => [address, searchedOnce(doc, address)])),
    );
  });
});
