import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { DATA_PLANE_ACTIONS } from "./dynamodb-actions";
import { partitionOf } from "./arns";
import { ENCRYPT_DECRYPT_ACTIONS } from "../encryption-key";
import type { EnvironmentScope } from "./deploy-permissions";
import { PolicyDocument } from "./policy-document";

/**
 * Gives every IAM role in a stack the environment's permissions boundary. An aspect rather than a
 * prop, so a role added by a future construct cannot be created without it: the deploy role may
 * create roles only with this boundary attached (iam:PermissionsBoundary).
 */
export class PermissionsBoundary implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.boundaryArn;
  }
}

/**
 * The most any role an environment creates can ever do, whatever its own policies say: the
 * environment's tables through DynamoDB, its keys through the services that use them, its own
 * alert topic, failure queue and log groups. No IAM, no STS, nothing of other environments.
 */
export function boundaryDocument(scope: EnvironmentScope): PolicyDocument {
  const partition = partitionOf(scope.region);
  const regional = (service: string, resource: string) =>
    `arn:${partition}:${service}:${scope.region}:${scope.accountId}:${resource}`;
  const tables = scope.tables.flatMap((table) => {
    const arn = regional("dynamodb", `table/${table}`);
    return [arn, `${arn}/index/*`, `${arn}/stream/*`];
  });
  return new PolicyDocument(
    {
      Sid: "EnvironmentTables",
      Effect: "Allow",
      Action: [...DATA_PLANE_ACTIONS],
      Resource: tables,
    },
    {
      Sid: "EnvironmentKeysThroughServices",
      Effect: "Allow",
      Action: ENCRYPT_DECRYPT_ACTIONS,
      Resource: regional("kms", "key/*"),
      Condition: {
        StringEquals: {
          "aws:ResourceTag/environment": scope.name,
          "kms:ViaService": ["dynamodb", "sns", "sqs", "lambda", "logs", "backup"].map(
            (service) => `${service}.${scope.region}.amazonaws.com`,
          ),
        },
      },
    },
    {
      // AWS Backup and DynamoDB keep a grant on the key while they back a table up or restore it.
      Sid: "EnvironmentKeyGrantsForBackups",
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Resource: regional("kms", "key/*"),
      Condition: {
        StringEquals: {
          "aws:ResourceTag/environment": scope.name,
          "kms:ViaService": ["dynamodb", "backup"].map(
            (service) => `${service}.${scope.region}.amazonaws.com`,
          ),
        },
        Bool: { "kms:GrantIsForAWSResource": "true" },
      },
    },
    {
      // What AWS Backup's service role does to the environment's tables (AWSBackupServiceRolePolicyForBackup).
      Sid: "EnvironmentTableBackups",
      Effect: "Allow",
      Action: [
        "dynamodb:DescribeTable",
        "dynamodb:ListTagsOfResource",
        "dynamodb:CreateBackup",
        "dynamodb:DescribeBackup",
        "dynamodb:DeleteBackup",
        "dynamodb:StartAwsBackupJob",
      ],
      Resource: [
        ...tables,
        ...scope.tables.map((table) => `${regional("dynamodb", `table/${table}`)}/backup/*`),
      ],
    },
    {
      // Recovery points go to the environment's vault, and copies to the vaults its config names.
      Sid: "EnvironmentBackupVaults",
      Effect: "Allow",
      Action: ["backup:DescribeBackupVault", "backup:CopyIntoBackupVault"],
      Resource: [
        regional("backup", `backup-vault:${scope.name}-*`),
        `arn:${partition}:backup:*:*:backup-vault:*`,
      ],
    },
    {
      Sid: "EnvironmentAlerts",
      Effect: "Allow",
      Action: ["sns:Publish", "sqs:SendMessage"],
      Resource: [regional("sns", `${scope.name}-*`), regional("sqs", `${scope.name}-*`)],
    },
    {
      // A replica region's rule forwards its keys' events to the environment's default bus.
      Sid: "EnvironmentAlertForwarding",
      Effect: "Allow",
      Action: "events:PutEvents",
      Resource: regional("events", "event-bus/default"),
    },
    {
      Sid: "EnvironmentFunctionLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: regional("logs", `log-group:/aws/lambda/${scope.name}-*:*`),
    },
  );
}
