import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { main } from "../../gate/cli";
import { compareFindings, SEVERITIES, type Finding } from "../../gate/findings";
import { GateError } from "../../gate/gate-error";
import { compiledPolicy, PRODUCTION_CONTEXT } from "../support/gate";
import { cdktfDocument, iamPolicyDocument, planDocument } from "./arbitraries";
import { check, SEED } from "./fast-check-config";

/*
 * Whatever the gate is handed, it either returns well-formed findings, sorted and the same every
 * time, or refuses with a GateError: never another exception.
 */

const context = PRODUCTION_CONTEXT;
const RULE_ID = /^GR-[A-Z]+-\d{3}$/;

function gate(document: unknown): Finding[] | GateError {
  try {
    return compiledPolicy().evaluate({ stack: "random", document, context, waivers: [] });
  } catch (error) {
    if (error instanceof GateError) return error;
    throw error;
  }
}

function wellFormedAndDeterministic(document: unknown): void {
  const first = gate(document);
  if (first instanceof GateError) {
    expect(first.message).not.toBe("");
    return;
  }
  for (const finding of first) {
    expect(finding.rule).toMatch(RULE_ID);
    expect(SEVERITIES).toContain(finding.severity);
    expect(finding.stack).toBe("random");
    expect(typeof finding.address).toBe("string");
    expect(finding.message).not.toBe("");
  }
  expect([...first].sort(compareFindings)).toEqual(first);
  expect(gate(structuredClone(document))).toEqual(first);
}

describe("the gate on random input", () => {
  it("any JSON value", () => {
    check(fc.property(fc.jsonValue({ maxDepth: 4 }), wellFormedAndDeterministic), 80);
  });

  it("cdk.tf.json-like documents", () => {
    check(fc.property(cdktfDocument, wellFormedAndDeterministic), 80);
  });

  it("plan-like documents", () => {
    check(fc.property(planDocument, wellFormedAndDeterministic), 80);
  });

  it("IAM policy documents in every policy attribute the rules read", () => {
    const stack = fc
      .tuple(iamPolicyDocument, iamPolicyDocument, iamPolicyDocument, iamPolicyDocument)
      .map(([role, trust, table, key]) => ({
        resource: {
          aws_iam_role: { r: { name: "r", assume_role_policy: trust } },
          aws_iam_role_policy: { p: { role: "${aws_iam_role.r.name}", policy: role } },
          aws_dynamodb_table: {
            t: {
              name: "Orders",
              hash_key: "pk",
              server_side_encryption: { enabled: true, kms_key_arn: "${aws_kms_key.k.arn}" },
            },
          },
          aws_dynamodb_resource_policy: { d: { resource_arn: "${aws_dynamodb_table.t.arn}", policy: table } },
          aws_kms_key: { k: { enable_key_rotation: true, policy: key } },
          aws_vpc_endpoint: { e: { service_name: "com.amazonaws.us-east-1.dynamodb", policy: role } },
        },
      }));
    let withFindings = 0;
    check(
      fc.property(stack, (document) => {
        wellFormedAndDeterministic(document);
        const findings = gate(document);
        if (!(findings instanceof GateError) && findings.length > 0) withFindings++;
      }),
      60,
    );
    // The documents reach the rules: most random statements are findings of some IAM rule.
    expect(withFindings).toBeGreaterThan(10);
  });
});

describe("the CLI on random files", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "gate-properties-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 0, 1 or 2 with a message, never with an unexpected error", async () => {
    const text = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      cdktfDocument.map((value) => JSON.stringify(value)),
      planDocument.map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 40 }),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, async (contents) => {
        const file = join(dir, `stack${n++}.json`);
        writeFileSync(file, contents);
        const out: string[] = [];
        const err: string[] = [];
        const code = await main(["check", file, "--format", "json", "--account-id", "111122223333"], {
          stdout: (t) => out.push(t),
          stderr: (t) => err.push(t),
        });
        expect([0, 1, 2]).toContain(code);
        expect(err.join("")).not.toContain("unexpected error");
        if (code === 2) expect(err.join("")).toMatch(/^ddb-guardrails: /);
        else expect(() => JSON.parse(out.join("")) as unknown).not.toThrow();
      }),
      { seed: SEED, numRuns: 30 },
    );
  });
});
