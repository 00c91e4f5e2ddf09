import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import {
  asList,
  environment,
  policyStatements,
  resources,
  synthesize,
  type SynthesizedStack,
} from "../support/synth";

const keys = (synth: SynthesizedStack) => resources(synth, "aws_kms_key").map(([, block]) => block);

describe("customer-managed keys", () => {
  const synth = synthesize();

  it("creates one key per table plus separate audit and alerting keys, all rotated", () => {
    const descriptions = keys(synth).map((key) => String(key.description));
    expect(descriptions).toHaveLength(3);
    expect(descriptions).toEqual(
      expect.arrayContaining([
        expect.stringContaining("Encrypts DynamoDB table ProductCatalog"),
        expect.stringContaining("audit trail"),
        expect.stringContaining("deletion alerts"),
      ]),
    );
    for (const key of keys(synth)) {
      expect(key).toMatchObject({
        enable_key_rotation: true,
        rotation_period_in_days: 365,
        deletion_window_in_days: 7,
      });
    }
    expect(synth.synthesized).toHaveResourceWithProperties(KmsAlias, {
      name: "alias/dev/dynamodb/ProductCatalog",
    });
  });

  it("waits 30 days before deleting a production key", () => {
    const production = synthesize(
      environment((d) => {
        d.tier = "production";
        d.backend = { bucket: "state-bucket-example", region: "us-east-1" };
        d.tables[0].onDemandThroughput = { maxReadRequestUnits: 100, maxWriteRequestUnits: 50 };
      }),
    );
    expect(production.synthesized).toHaveResourceWithProperties(KmsKey, { deletion_window_in_days: 30 });
    for (const key of keys(production)) expect(key.deletion_window_in_days).toBe(30);
  });

  it("tags every key with owner, environment and data classification", () => {
    for (const key of keys(synth)) {
      expect(key.tags).toMatchObject({
        owner: "platform-team",
        environment: "dev",
        "data-classification": expect.any(String),
      });
    }
  });

  it("never allows Principal * in a key policy", () => {
    for (const key of keys(synth)) {
      for (const s of policyStatements(key)) {
        expect(s.Principal).not.toBe("*");
        expect(asList(typeof s.Principal === "object" ? s.Principal.AWS : undefined)).not.toContain("*");
      }
    }
  });

  it("lets the account administer the table key but not use it or grant it outside DynamoDB", () => {
    const tableKey = keys(synth).find((key) => String(key.description).includes("table ProductCatalog"));
    if (!tableKey) throw new Error("no table key");
    const statements = policyStatements(tableKey);
    const admin = statements.find((s) => s.Sid === "AccountAdministersKey");
    expect(admin?.Principal).toEqual({ AWS: "arn:aws:iam::111122223333:root" });
    for (const forbidden of [
      "kms:Decrypt",
      "kms:Encrypt",
      "kms:CreateGrant",
      "kms:*",
      "kms:GenerateDataKey*",
    ]) {
      expect(asList(admin?.Action)).not.toContain(forbidden);
    }
    const use = statements.find((s) => s.Sid === "AccountUsesKeyThroughDynamoDb");
    expect(asList(use?.Action)).toEqual(expect.arrayContaining(["kms:Decrypt", "kms:CreateGrant"]));
    expect(use?.Condition).toEqual({
      StringEquals: {
        "kms:ViaService": ["dynamodb.us-east-1.amazonaws.com"],
        "kms:CallerAccount": "111122223333",
      },
    });
    // Every statement that allows using the key is scoped to a service.
    for (const s of statements.filter((x) =>
      asList(x.Action).some((a) => /Decrypt|Encrypt|GenerateDataKey/.test(a)),
    )) {
      expect(s.Condition ?? (typeof s.Principal === "object" && s.Principal.Service)).toBeTruthy();
    }
  });
});
