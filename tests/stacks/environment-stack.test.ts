import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { loadEnvironments } from "../../config/load";
import { resources, synthesize } from "../support/synth";

const environments = loadEnvironments();

/** What "done" means for every shipped environment: each stack stands on its own. */
describe.each(environments.map((env) => [env.name, env] as const))("the %s stack", (name, env) => {
  const synth = synthesize(env);
  const count = (type: string) => resources(synth, type).length;

  // `toBeValidTerraform` would need `terraform init`, which fetches the provider: not possible offline.
  it("passes every construct validation", () => {
    const errors = synth.stack.node.findAll().flatMap((construct) => construct.node.validate());
    expect(errors).toEqual([]);
  });

  it("declares the table, its key, the endpoint, the alerting chain and one role per team", () => {
    expect(count("aws_dynamodb_table")).toBe(env.tables.length);
    expect(count("aws_dynamodb_resource_policy")).toBe(env.tables.length);
    expect(count("aws_kms_key")).toBe(env.tables.length + 2);
    expect(count("aws_vpc_endpoint")).toBe(1);
    for (const type of [
      "aws_cloudtrail",
      "aws_cloudwatch_event_rule",
      "aws_cloudwatch_event_target",
      "aws_lambda_function",
      "aws_lambda_permission",
      "aws_sns_topic",
      "aws_sns_topic_policy",
    ]) {
      expect([type, count(type)]).toEqual([type, 1]);
    }
    expect(count("aws_sns_topic_subscription")).toBe(env.alerts.emails.length);
    const roles = resources(synth, "aws_iam_role").map(([, r]) => r.name);
    for (const team of env.teams) expect(roles).toContain(`${name}-${team.name}-data-access`);
  });

  it("refuses to deploy into any other account, and tags everything", () => {
    expect(synth.synthesized).toHaveProviderWithProperties(AwsProvider, {
      region: env.account.region,
      allowed_account_ids: [env.account.id],
      default_tags: [
        {
          tags: expect.objectContaining({
            owner: "platform-team",
            environment: name,
            "managed-by": "ddb-guardrails",
          }),
        },
      ],
    });
  });

  it("keeps state where the environment says, encrypted and locked in S3 when remote", () => {
    const backend = synth.json.terraform.backend as Record<string, Record<string, unknown>>;
    if (env.backend) {
      expect(backend.s3).toEqual({
        bucket: env.backend.bucket,
        key: `ddb-guardrails/${name}.tfstate`,
        region: env.backend.region,
        encrypt: true,
        use_lockfile: true,
        ...(env.backend.kmsKeyId === undefined ? {} : { kms_key_id: env.backend.kmsKeyId }),
      });
    } else {
      expect(backend.local).toEqual({ path: `terraform.${name}.tfstate` });
    }
  });

  it("holds every policy as a JSON string that parses, never an HCL expression", () => {
    const policyAttributes = ["policy", "assume_role_policy"];
    let seen = 0;
    for (const blocks of Object.values(synth.json.resource)) {
      for (const block of Object.values(blocks)) {
        for (const attribute of policyAttributes.filter((a) => a in block)) {
          const value = block[attribute];
          expect(typeof value).toBe("string");
          expect(String(value)).not.toContain("jsonencode");
          expect(() => JSON.parse(String(value))).not.toThrow();
          seen += 1;
        }
      }
    }
    expect(seen).toBeGreaterThan(10);
  });
});
