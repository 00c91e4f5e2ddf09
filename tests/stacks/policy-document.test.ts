import { Testing, TerraformOutput, TerraformStack } from "cdktf";
import { mergeConditions, PolicyDocument } from "../../stacks/iam/policy-document";

describe("policy documents", () => {
  it("renders statements added after the document was handed out", () => {
    const stack = new TerraformStack(Testing.app(), "policy");
    const document = new PolicyDocument();
    new TerraformOutput(stack, "policy", { value: document.render() });
    document.addStatements({ Sid: "Late", Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" });
    const output = JSON.parse(Testing.synth(stack)).output.policy.value;
    expect(JSON.parse(output)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "Late", Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" }],
    });
  });

  it("refuses two statements with one Sid", () => {
    const document = new PolicyDocument({ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" });
    expect(() => document.addStatements({ Sid: "A", Effect: "Deny", Action: "s3:*", Resource: "*" })).toThrow(
      /unique: "A"/,
    );
  });

  it("merges conditions per operator and refuses a key set twice", () => {
    expect(
      mergeConditions(
        { StringEquals: { "aws:SourceVpce": "vpce-1" } },
        { StringEquals: { "dynamodb:Select": "SPECIFIC_ATTRIBUTES" } },
      ),
    ).toEqual({ StringEquals: { "aws:SourceVpce": "vpce-1", "dynamodb:Select": "SPECIFIC_ATTRIBUTES" } });
    expect(() =>
      mergeConditions(
        { Bool: { "aws:SecureTransport": "true" } },
        { Bool: { "aws:SecureTransport": "false" } },
      ),
    ).toThrow(/set twice/);
  });
});
