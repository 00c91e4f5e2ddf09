import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Testing } from "cdktf";
import { DESTRUCTIVE_EVENT_NAMES } from "../../stacks/iam/dynamodb-actions";
import {
  asList,
  policyStatements,
  referencesType,
  resources,
  single,
  statement,
  synthesize,
} from "../support/synth";

describe("deletion alerts", () => {
  const synth = synthesize();
  const ruleNamed = (name: string) => {
    const found = resources(synth, "aws_cloudwatch_event_rule").find(([, r]) => r.name === name);
    if (!found) throw new Error(`no rule ${name}`);
    return found;
  };
  const [ruleId, rule] = ruleNamed("dev-dynamodb-destructive-calls");
  const forRule = (type: string, attribute: string, id: string) =>
    resources(synth, type).filter(([, block]) =>
      String(block[attribute]).startsWith(`\${aws_cloudwatch_event_rule.${id}.`),
    );
  const [[, target]] = forRule("aws_cloudwatch_event_target", "rule", ruleId);
  const fn = single(synth, "aws_lambda_function");
  const topic = single(synth, "aws_sns_topic");

  it("matches destructive DynamoDB API calls recorded by CloudTrail, DeleteTable first", () => {
    expect(JSON.parse(String(rule.event_pattern))).toEqual({
      source: ["aws.dynamodb"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["dynamodb.amazonaws.com"],
        eventName: [
          "DeleteTable",
          "UpdateTable",
          "DeleteBackup",
          "UpdateContinuousBackups",
          "DeleteResourcePolicy",
          "PutResourcePolicy",
          "ExportTableToPointInTime",
          "DisableKinesisStreamingDestination",
          "UpdateTimeToLive",
        ],
      },
    });
    expect(DESTRUCTIVE_EVENT_NAMES[0]).toBe("DeleteTable");
  });

  it("matches AWS Backup vault and recovery point deletions and vault lock changes", () => {
    const [, backup] = ruleNamed("dev-dynamodb-backup-changes");
    expect(JSON.parse(String(backup.event_pattern))).toEqual({
      source: ["aws.backup"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["backup.amazonaws.com"],
        eventName: [
          "DeleteBackupVault",
          "DeleteRecoveryPoint",
          "PutBackupVaultLockConfiguration",
          "DeleteBackupVaultLockConfiguration",
        ],
      },
    });
  });

  it("matches deletion, disabling and policy changes of the tables' keys only", () => {
    const [, keys] = ruleNamed("dev-dynamodb-key-changes");
    const pattern = JSON.parse(String(keys.event_pattern)) as {
      source: string[];
      detail: { eventName: string[]; resources: { ARN: string[] } };
    };
    expect(pattern.source).toEqual(["aws.kms"]);
    expect(pattern.detail.eventName).toEqual(["ScheduleKeyDeletion", "DisableKey", "PutKeyPolicy"]);
    const [[tableKeyId]] = resources(synth, "aws_kms_key").filter(([, k]) =>
      String(k.description).includes("table ProductCatalog"),
    );
    expect(pattern.detail.resources.ARN).toEqual([`\${aws_kms_key.${tableKeyId}.arn}`]);
  });

  it("sends every rule to the function, which only those rules may invoke", () => {
    for (const [id] of resources(synth, "aws_cloudwatch_event_rule")) {
      const targets = forRule("aws_cloudwatch_event_target", "rule", id);
      expect(targets).toHaveLength(1);
      expect(referencesType(targets[0][1].arn, "aws_lambda_function")).toBe(true);
      expect(targets[0][1].dead_letter_config).toBeDefined();
      const permissions = forRule("aws_lambda_permission", "source_arn", id);
      expect(permissions).toHaveLength(1);
      expect(permissions[0][1]).toMatchObject({
        principal: "events.amazonaws.com",
        source_account: "111122223333",
      });
    }
  });

  it("targets the alert function, with retries and a dead-letter queue", () => {
    expect(referencesType(target.rule, "aws_cloudwatch_event_rule")).toBe(true);
    expect(referencesType(target.arn, "aws_lambda_function")).toBe(true);
    expect(referencesType((target.dead_letter_config as { arn: string }).arn, "aws_sqs_queue")).toBe(true);
    expect(target.retry_policy).toMatchObject({ maximum_retry_attempts: 185 });
  });

  it("lets only this rule invoke the function", () => {
    expect(synth.synthesized).toHaveResourceWithProperties(LambdaPermission, {
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      source_account: "111122223333",
    });
    const [[, permission]] = forRule("aws_lambda_permission", "source_arn", ruleId);
    expect(permission.statement_id).toBe("EventBridgeInvokesOnRuleMatch");
  });

  it("sends failed invocations to the encrypted failure queue", () => {
    const invokeConfig = single(synth, "aws_lambda_function_event_invoke_config");
    expect(
      referencesType(
        (invokeConfig.destination_config as { on_failure: { destination: string } }).on_failure.destination,
        "aws_sqs_queue",
      ),
    ).toBe(true);
    expect(referencesType(single(synth, "aws_sqs_queue").kms_master_key_id, "aws_kms_key")).toBe(true);
    const queuePolicy = policyStatements(single(synth, "aws_sqs_queue_policy"));
    expect(statement(queuePolicy, "EventBridgeSendsUndeliveredEvents")).toMatchObject({
      Principal: { Service: "events.amazonaws.com" },
      Condition: {
        ArnEquals: {
          "aws:SourceArn": [
            "arn:aws:events:us-east-1:111122223333:rule/dev-dynamodb-destructive-calls",
            "arn:aws:events:us-east-1:111122223333:rule/dev-dynamodb-backup-changes",
            "arn:aws:events:us-east-1:111122223333:rule/dev-dynamodb-key-changes",
          ],
        },
      },
    });
  });

  it("publishes to a KMS-encrypted topic with an e-mail subscription per address", () => {
    expect(referencesType(topic.kms_master_key_id, "aws_kms_key")).toBe(true);
    expect(resources(synth, "aws_sns_topic_subscription").map(([, s]) => [s.protocol, s.endpoint])).toEqual([
      ["email", "dynamodb-alerts-dev@example.com"],
    ]);
  });

  it("limits publishing on the topic to the alert function's role, over TLS", () => {
    const statements = policyStatements(single(synth, "aws_sns_topic_policy"));
    const publish = statement(statements, "OnlyTheAlertFunctionPublishes");
    expect(publish.Effect).toBe("Allow");
    expect(publish.Action).toBe("sns:Publish");
    expect(referencesType((publish.Principal as { AWS: string }).AWS, "aws_iam_role")).toBe(true);
    expect(statements.filter((s) => s.Effect === "Allow")).toHaveLength(1);
    expect(statement(statements, "DenyInsecureTransport").Effect).toBe("Deny");
  });

  it("runs the bundled function on a supported runtime, with the topic from its environment", () => {
    expect(synth.synthesized).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "dev-dynamodb-deletion-alert",
      runtime: "nodejs24.x",
      handler: "index.handler",
      architectures: ["arm64"],
    });
    expect(
      referencesType(
        (fn.environment as { variables: { TOPIC_ARN: string } }).variables.TOPIC_ARN,
        "aws_sns_topic",
      ),
    ).toBe(true);
    expect(referencesType(fn.kms_key_arn, "aws_kms_key")).toBe(true);
  });

  it("takes source_code_hash from the deployed archive's bytes, as Lambda computes CodeSha256", () => {
    const outdir = Testing.fullSynth(synth.stack);
    const archive = join(outdir, "stacks", "dev", String(fn.filename));
    expect(existsSync(archive)).toBe(true);
    expect(fn.source_code_hash).toBe(createHash("sha256").update(readFileSync(archive)).digest("base64"));
  });

  it("logs to an encrypted group with retention", () => {
    const logs = single(synth, "aws_cloudwatch_log_group");
    expect(logs).toMatchObject({ name: "/aws/lambda/dev-dynamodb-deletion-alert", retention_in_days: 30 });
    expect(referencesType(logs.kms_key_id, "aws_kms_key")).toBe(true);
    expect(fn.logging_config).toMatchObject({
      log_group: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..+\.name\}$/),
    });
  });

  it("gives the function role only what it needs", () => {
    const [[roleName]] = resources(synth, "aws_iam_role").filter(
      ([, r]) => r.name === "dev-dynamodb-deletion-alert-role",
    );
    const [[, policy]] = resources(synth, "aws_iam_role_policy").filter(
      ([, p]) => p.role === `\${aws_iam_role.${roleName}.id}`,
    );
    const statements = policyStatements(policy);
    expect(statements.map((s) => s.Sid)).toEqual([
      "WriteOwnLogs",
      "PublishAlerts",
      "ReportFailures",
      "EncryptAlertsThroughSns",
      "EncryptFailuresThroughSqs",
      "DecryptEnvironmentThroughLambda",
    ]);
    for (const s of statements) expect(asList(s.Resource)).not.toContain("*");
  });
});
