import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { loadEnvironments } from "../../config/load";
import { backupEnabled } from "../../stacks/backup-vault";
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
    const backups = backupEnabled(env) ? 1 : 0;
    // A key per table and replica region, the audit and alerting keys, and the backup vault's key
    // where backups are on.
    expect(count("aws_kms_key")).toBe(env.tables.length * (1 + env.replicaRegions.length) + 2 + backups);
    expect(count("aws_vpc_endpoint")).toBe(env.interfaceEndpoint ? 2 : 1);
    for (const type of ["aws_cloudtrail", "aws_lambda_function", "aws_sns_topic", "aws_sns_topic_policy"]) {
      expect([type, count(type)]).toEqual([type, 1]);
    }
    // DynamoDB calls, AWS Backup calls and the tables' keys: a rule, a target and a permission each;
    // and in each replica region a rule and a target forwarding its keys' events to this region.
    expect(count("aws_lambda_permission")).toBe(3);
    for (const type of ["aws_cloudwatch_event_rule", "aws_cloudwatch_event_target"]) {
      expect([type, count(type)]).toEqual([type, 3 + env.replicaRegions.length]);
    }
    for (const type of [
      "aws_backup_vault",
      "aws_backup_vault_lock_configuration",
      "aws_backup_plan",
      "aws_backup_selection",
    ]) {
      expect([type, count(type)]).toEqual([type, backups]);
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
