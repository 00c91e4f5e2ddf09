import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import type { EncryptionKey } from "./encryption-key";
import { LAMBDA_RUNTIME, type FunctionBundle } from "./function-bundle";
import { eventRuleArn, logGroupArn, type DeploymentTarget } from "./iam/arns";
import {
  apiCallPattern,
  BACKUP_ALERT_EVENTS,
  DYNAMODB_ALERT_EVENTS,
  KMS_KEY_ALERT_EVENTS,
} from "./iam/alerted-events";
import { denyInsecureTransport, PolicyDocument } from "./iam/policy-document";
import { Role } from "./iam/role";
import { alertFunctionName, alertFunctionRoleName } from "./iam/role-names";

export interface DeletionAlertsProps {
  target: DeploymentTarget;
  /** Prefix for resource names, e.g. the environment name. */
  namePrefix: string;
  /** Encrypts the topic, the failure queue, the function's logs and environment. */
  encryptionKey: EncryptionKey;
  /** Who is told; each address must confirm the subscription SNS e-mails it. */
  emails: string[];
  logRetentionDays: number;
  /** The bundled alert function (functions/deletion-alert). */
  bundle: FunctionBundle;
  /** The tables' (and backup vault's) KMS keys: scheduling one for deletion, disabling it or replacing its policy alerts too. */
  watchedKeyArns: string[];
}

/** One EventBridge rule on CloudTrail's API-call events of one service. */
interface WatchedCalls {
  /** Construct id prefix; "" keeps the first rule's original ids. */
  id: string;
  /** Distinguishes the rule's Lambda permission statement id. */
  label: string;
  ruleName: string;
  description: string;
  source: string;
  eventSource: string;
  eventNames: readonly string[];
  /** Extra `detail` filters, e.g. the key ARNs CloudTrail lists in a KMS record's resources. */
  detail?: Record<string, unknown>;
}

/** Events older than this are not worth an alert any more; they stay in the failure queue instead. */
const MAXIMUM_EVENT_AGE_SECONDS = 6 * 3600;
const FOURTEEN_DAYS_SECONDS = 14 * 24 * 3600;

/**
 * The talk's "notification when a table deletion is attempted", widened to every call that
 * destroys data or its protections (DeleteTable, UpdateTable, DeleteBackup, …): an EventBridge rule
 * on CloudTrail's API-call events invokes a Lambda that e-mails through an encrypted SNS topic.
 * Nothing is dropped silently: undeliverable events and failed invocations land in an encrypted queue.
 */
export class DeletionAlerts extends Construct {
  readonly topic: SnsTopic;
  readonly rule: CloudwatchEventRule;
  readonly function: LambdaFunction;
  readonly failures: SqsQueue;
  /** Every rule: DynamoDB calls first, then AWS Backup, then the tables' keys. */
  readonly rules: CloudwatchEventRule[] = [];

  constructor(scope: Construct, id: string, props: DeletionAlertsProps) {
    super(scope, id);
    const { target, encryptionKey: key } = props;
    const functionName = alertFunctionName(props.namePrefix);
    const watched: WatchedCalls[] = [
      {
        id: "",
        label: "",
        ruleName: `${props.namePrefix}-dynamodb-destructive-calls`,
        description:
          "Destructive DynamoDB control-plane calls, exports, stream and TTL changes, successful or denied (from CloudTrail)",
        source: "aws.dynamodb",
        eventSource: "dynamodb.amazonaws.com",
        eventNames: DYNAMODB_ALERT_EVENTS,
      },
      {
        id: "backup-",
        label: "Backup",
        ruleName: `${props.namePrefix}-dynamodb-backup-changes`,
        description: "Backup vault and recovery point deletions and vault lock changes (from CloudTrail)",
        source: "aws.backup",
        eventSource: "backup.amazonaws.com",
        eventNames: BACKUP_ALERT_EVENTS,
      },
    ];
    if (props.watchedKeyArns.length > 0) {
      watched.push({
        id: "key-",
        label: "Key",
        ruleName: `${props.namePrefix}-dynamodb-key-changes`,
        description: "Deletion, disabling or a new key policy of the tables' KMS keys (from CloudTrail)",
        source: "aws.kms",
        eventSource: "kms.amazonaws.com",
        eventNames: KMS_KEY_ALERT_EVENTS,
        // CloudTrail lists the key a KMS call acted on in the record's resources, whatever the caller named
        // it by; EventBridge matches a field inside an array of objects against each element.
        detail: { resources: { ARN: props.watchedKeyArns } },
      });
    }
    const ruleArns = watched.map((w) => eventRuleArn(target, w.ruleName));
    const logGroupName = `/aws/lambda/${functionName}`;

    key.allowAccountUseThrough("AccountUsesKeyThroughAlerting", ["sns", "sqs", "lambda"]);
    key.allowServicePrincipal(
      "LogsEncryptAlertFunctionLogs",
      `logs.${target.region}.amazonaws.com`,
      ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn(target, logGroupName) } },
    );
    key.allowServicePrincipal(
      "EventBridgeWritesFailedEvents",
      "events.amazonaws.com",
      ["kms:GenerateDataKey", "kms:Decrypt"],
      {
        ArnEquals: { "aws:SourceArn": ruleArns },
      },
    );

    this.failures = new SqsQueue(this, "failures", {
      name: `${props.namePrefix}-dynamodb-alert-failures`,
      kmsMasterKeyId: key.arn,
      messageRetentionSeconds: FOURTEEN_DAYS_SECONDS,
    });
    new SqsQueuePolicy(this, "failures-policy", {
      queueUrl: this.failures.url,
      policy: new PolicyDocument(
        {
          Sid: "EventBridgeSendsUndeliveredEvents",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: this.failures.arn,
          Condition: { ArnEquals: { "aws:SourceArn": ruleArns } },
        },
        denyInsecureTransport("sqs:*", this.failures.arn),
      ).render(),
    });

    this.topic = new SnsTopic(this, "topic", {
      name: `${props.namePrefix}-dynamodb-alerts`,
      displayName: `DynamoDB alerts (${props.namePrefix})`,
      kmsMasterKeyId: key.arn,
    });
    for (const [index, email] of props.emails.entries()) {
      new SnsTopicSubscription(this, `email-${index}`, {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
      });
    }

    const role = new Role(this, "function-role", {
      name: alertFunctionRoleName(props.namePrefix),
      description: "Runs the DynamoDB deletion alert function: publishes to the alert topic only",
      trustPolicy: new PolicyDocument({
        Sid: "LambdaAssumesRole",
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
      }),
    });
    role.addToPrincipalPolicy({
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${logGroupArn(target, logGroupName)}:*`,
    });
    role.addToPrincipalPolicy({
      Sid: "PublishAlerts",
      Effect: "Allow",
      Action: "sns:Publish",
      Resource: this.topic.arn,
    });
    role.addToPrincipalPolicy({
      Sid: "ReportFailures",
      Effect: "Allow",
      Action: "sqs:SendMessage",
      Resource: this.failures.arn,
    });
    key.grantUseThrough(role, "EncryptAlertsThroughSns", "sns", ["kms:GenerateDataKey*", "kms:Decrypt"]);
    key.grantUseThrough(role, "EncryptFailuresThroughSqs", "sqs", ["kms:GenerateDataKey*", "kms:Decrypt"]);
    key.grantUseThrough(role, "DecryptEnvironmentThroughLambda", "lambda", ["kms:Decrypt"]);

    new SnsTopicPolicy(this, "topic-policy", {
      arn: this.topic.arn,
      policy: new PolicyDocument(
        {
          Sid: "OnlyTheAlertFunctionPublishes",
          Effect: "Allow",
          Principal: { AWS: role.arn },
          Action: "sns:Publish",
          Resource: this.topic.arn,
        },
        denyInsecureTransport("sns:Publish", this.topic.arn),
      ).render(),
    });

    const logGroup = new CloudwatchLogGroup(this, "logs", {
      name: logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: key.arn,
    });
    const code = new TerraformAsset(this, "code", { path: props.bundle.zipPath, type: AssetType.FILE });
    this.function = new LambdaFunction(this, "function", {
      functionName,
      description:
        "E-mails the alert topic when a destructive DynamoDB control-plane call is made or attempted",
      role: role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      handler: props.bundle.handler,
      filename: code.path,
      sourceCodeHash: props.bundle.sourceCodeHash,
      memorySize: 256,
      timeout: 30,
      kmsKeyArn: key.arn,
      environment: { variables: { TOPIC_ARN: this.topic.arn } },
      loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      dependsOn: [logGroup],
    });
    // EventBridge invokes asynchronously: after Lambda's own retries, the event goes to the queue.
    new LambdaFunctionEventInvokeConfig(this, "async-invocation", {
      functionName: this.function.functionName,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: MAXIMUM_EVENT_AGE_SECONDS,
      destinationConfig: { onFailure: { destination: this.failures.arn } },
    });

    const rules = watched.map((calls) => this.watch(calls, target));
    this.rule = rules[0];
  }

  /** A rule for one service's calls, targeting the alert function, which only that rule may invoke. */
  private watch(calls: WatchedCalls, target: DeploymentTarget): CloudwatchEventRule {
    const rule = new CloudwatchEventRule(this, `${calls.id}rule`, {
      name: calls.ruleName,
      description: calls.description,
      eventPattern: apiCallPattern(calls.source, calls.eventSource, calls.eventNames, calls.detail),
    });
    new CloudwatchEventTarget(this, `${calls.id}target`, {
      rule: rule.name,
      targetId: "deletion-alert-function",
      arn: this.function.arn,
      retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: MAXIMUM_EVENT_AGE_SECONDS },
      deadLetterConfig: { arn: this.failures.arn },
    });
    new LambdaPermission(this, `${calls.id}invoke-permission`, {
      statementId: `EventBridgeInvokesOn${calls.label}RuleMatch`,
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
      sourceAccount: target.accountId,
    });
    this.rules.push(rule);
    return rule;
  }
}
