import fc from "fast-check";
import { canonicalBlocks, declaredTwice } from "../../gate/terraform-json";
import { synthesizedStack } from "../support/gate";
import { inArrayForms } from "../support/terraform-json-forms";
import { arrayForms } from "../properties/arbitraries";
import { check } from "../properties/fast-check-config";

// The gate reads a stack joined to a plan (--config) in CDKTF's form, whichever of the forms
// Terraform's JSON syntax allows it was written in.

describe("canonicalBlocks", () => {
  const stack = synthesizedStack("prod");

  it("returns a stack in CDKTF's form as it is", () => {
    expect(canonicalBlocks(stack)).toBe(stack);
  });

  it("reads every array form back into CDKTF's form", () => {
    check(
      fc.property(arrayForms, (written) => {
        expect(canonicalBlocks(inArrayForms(stack, written))).toEqual(stack);
      }),
      20,
    );
  });

  it("keeps the first body of a name declared twice, and skips what is not an object", () => {
    const document = {
      resource: [
        { aws_sqs_queue: { q: { name: "first" } } },
        {
          aws_sqs_queue: [{ q: { name: "second" } }, "junk"],
          aws_sns_topic: { t: [{ name: "t" }, { fifo_topic: true }] },
        },
      ],
    };
    expect(canonicalBlocks(document)).toEqual({
      resource: {
        aws_sqs_queue: { q: { name: "first" } },
        aws_sns_topic: { t: { name: "t", fifo_topic: true } },
      },
    });
  });
});

describe("declaredTwice", () => {
  it("finds nothing in CDKTF's form, whose keys JSON keeps unique", () => {
    expect(declaredTwice(synthesizedStack("prod"))).toBeUndefined();
  });

  it("names the first resource or data source the array forms declare again", () => {
    expect(
      declaredTwice({ resource: [{ aws_sqs_queue: { q: {} } }, { aws_sqs_queue: [{ r: {} }, { q: {} }] }] }),
    ).toBe("aws_sqs_queue.q");
    expect(declaredTwice({ data: { aws_region: [{ r: {} }, { r: {} }] } })).toBe("data.aws_region.r");
    expect(
      declaredTwice({ resource: [{ aws_sqs_queue: { q: {} } }], data: [{ aws_sqs_queue: { q: {} } }] }),
    ).toBe(undefined);
  });
});
