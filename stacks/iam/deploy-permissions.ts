import { BACKUP_SERVICE_POLICY } from "../backup-vault";
import { partitionOf } from "./arns";
import type { Conditions } from "./policy-document";

/*
 * What the pipeline needs to plan and apply an environment stack, by the Terraform resource types
 * the stack synthesizes. tests/stacks/deploy-permissions.test.ts synthesizes every shipped
 * environment and fails when one uses a type this table does not list, so a new construct cannot
 * ship without saying what deploying it takes. Action names are checked against the IAM reference
 * data by the gate (GR-FGA-007).
 *
 * `read` is what `terraform plan` calls to refresh the resource (the plan role gets only these);
 * `write` is what create, update and delete call (the deploy role gets both). Each grant is scoped
 * to the environment's own names (every resource it creates starts with `<env>-`, tables are named
 * in its config) or, where AWS has no name to scope by, to its `environment` tag; only actions
 * that take no resource (Describe*, List*) use `*`.
 */

/** The environment a grant is scoped to. */
export interface EnvironmentScope {
  name: string;
  accountId: string;
  /** The environment's region (may differ from the state bucket's). */
  region: string;
  /** Where its global tables keep replicas: each replica and its key live there. */
  replicaRegions: readonly string[];
  tables: readonly string[];
  /** ARN of the permissions boundary every role the environment creates must carry. */
  permissionsBoundaryArn: string;
  /** The names of the roles the environment creates (stacks/iam/role-names.ts), by who uses them. */
  roles: {
    all: readonly string[];
    lambda: readonly string[];
    backup: readonly string[];
    events: readonly string[];
  };
}

export interface Grant {
  actions: readonly string[];
  resources: (scope: EnvironmentScope) => string[];
  conditions?: (scope: EnvironmentScope) => Conditions;
}

export interface ResourceTypePermissions {
  read: readonly Grant[];
  write: readonly Grant[];
}

const arn = (s: EnvironmentScope, service: string, resource: string, global = false): string =>
  `arn:${partitionOf(s.region)}:${service}:${global ? "" : s.region}:${s.accountId}:${resource}`;

const named =
  (service: string, resource: (s: EnvironmentScope) => string, global = false) =>
  (s: EnvironmentScope) => [arn(s, service, resource(s), global)];
const everywhere = () => ["*"];
const taggedWithEnvironment = (s: EnvironmentScope): Conditions => ({
  StringEquals: { "aws:ResourceTag/environment": s.name },
});
const requestTaggedWithEnvironment = (s: EnvironmentScope): Conditions => ({
  StringEquals: { "aws:RequestTag/environment": s.name },
});

/** The environment's region and its replica regions, where its tables and their keys live. */
const dataRegions = (s: EnvironmentScope) => [s.region, ...s.replicaRegions];
const inDataRegions = (service: string, resource: (s: EnvironmentScope) => string) => (s: EnvironmentScope) =>
  dataRegions(s).map((region) => arn({ ...s, region }, service, resource(s)));
const tables = (s: EnvironmentScope) =>
  s.tables.flatMap((table) => inDataRegions("dynamodb", () => `table/${table}`)(s));
const keys = inDataRegions("kms", () => "key/*");
// DynamoDB creates its replication role the first time a table gets a replica.
const REPLICATION_SERVICE = "replication.dynamodb.amazonaws.com";
const roleArns = (names: readonly string[], s: EnvironmentScope) =>
  names.map((name) => arn(s, "iam", `role/${name}`, true));
const roles = (s: EnvironmentScope) => roleArns(s.roles.all, s);
const functions = named("lambda", (s) => `function:${s.name}-*`);
const topics = named("sns", (s) => `${s.name}-*`);
const queues = named("sqs", (s) => `${s.name}-*`);
const logGroups = (s: EnvironmentScope) => [
  arn(s, "logs", `log-group:/aws/lambda/${s.name}-*`),
  arn(s, "logs", `log-group:/aws/lambda/${s.name}-*:*`),
];
// The alert rules, and in each replica region the rule that forwards its keys' events.
const eventRules = (s: EnvironmentScope) => inDataRegions("events", () => `rule/${s.name}-*`)(s);
const backupVaults = named("backup", (s) => `backup-vault:${s.name}-*`);
// A backup plan's ARN carries its generated id, not its name: its tags scope it instead.
const backupPlans = named("backup", () => "backup-plan:*");
const backupServicePolicy = (s: EnvironmentScope) =>
  `arn:${partitionOf(s.region)}:iam::aws:policy/${BACKUP_SERVICE_POLICY}`;
const trails = named("cloudtrail", (s) => `trail/${s.name}-*`);
const auditBuckets = (s: EnvironmentScope) => [
  `arn:${partitionOf(s.region)}:s3:::${s.name}-dynamodb-audit-*`,
];
const ec2 = named("ec2", () => "*");
const withBoundary = (s: EnvironmentScope): Conditions => ({
  StringEquals: { "iam:PermissionsBoundary": s.permissionsBoundaryArn },
});

const VPC_READS: Grant = {
  actions: [
    "ec2:DescribeVpcs",
    "ec2:DescribeVpcAttribute",
    "ec2:DescribeSubnets",
    "ec2:DescribeRouteTables",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSecurityGroupRules",
    "ec2:DescribePrefixLists",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeAvailabilityZones",
  ],
  resources: everywhere,
};

// Resources created here are tagged at creation (the provider's default tags include `environment`).
const createTagged = (actions: string[]): Grant => ({
  actions: [...actions, "ec2:CreateTags"],
  resources: ec2,
  conditions: requestTaggedWithEnvironment,
});
const deleteTagged = (actions: string[]): Grant => ({
  actions,
  resources: ec2,
  conditions: taggedWithEnvironment,
});

const KMS_KEY_READS: Grant = {
  actions: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
  resources: keys,
  conditions: taggedWithEnvironment,
};

export const DEPLOY_PERMISSIONS: Readonly<Record<string, ResourceTypePermissions>> = {
  aws_dynamodb_table: {
    read: [
      {
        actions: [
          "dynamodb:DescribeTable",
          "dynamodb:DescribeContinuousBackups",
          "dynamodb:DescribeTimeToLive",
          "dynamodb:ListTagsOfResource",
        ],
        resources: tables,
      },
    ],
    write: [
      {
        actions: [
          "dynamodb:CreateTable",
          "dynamodb:UpdateTable",
          "dynamodb:DeleteTable",
          "dynamodb:UpdateContinuousBackups",
          "dynamodb:UpdateTimeToLive",
          "dynamodb:TagResource",
          "dynamodb:UntagResource",
          // A replica block is an UpdateTable with ReplicaUpdates, authorized on the replica too.
          "dynamodb:CreateTableReplica",
          "dynamodb:DeleteTableReplica",
        ],
        resources: tables,
      },
      {
        // DynamoDB creates a grant on the table's key for the caller; only through DynamoDB.
        actions: ["kms:CreateGrant", "kms:DescribeKey"],
        resources: keys,
        conditions: (s) => ({
          StringEquals: {
            "aws:ResourceTag/environment": s.name,
            "kms:ViaService": dataRegions(s).map((region) => `dynamodb.${region}.amazonaws.com`),
          },
          Bool: { "kms:GrantIsForAWSResource": "true" },
        }),
      },
      {
        actions: ["iam:CreateServiceLinkedRole"],
        resources: (s) => [
          arn(
            s,
            "iam",
            `role/aws-service-role/${REPLICATION_SERVICE}/AWSServiceRoleForDynamoDBReplication`,
            true,
          ),
        ],
        conditions: () => ({ StringEquals: { "iam:AWSServiceName": REPLICATION_SERVICE } }),
      },
    ],
  },
  aws_dynamodb_resource_policy: {
    read: [{ actions: ["dynamodb:GetResourcePolicy"], resources: tables }],
    write: [{ actions: ["dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy"], resources: tables }],
  },
  aws_kms_key: {
    read: [KMS_KEY_READS],
    write: [
      // CreateKey names no key yet: only the tags it is created with can scope it.
      {
        actions: ["kms:CreateKey", "kms:TagResource"],
        resources: everywhere,
        conditions: requestTaggedWithEnvironment,
      },
      {
        actions: [
          "kms:PutKeyPolicy",
          "kms:UpdateKeyDescription",
          "kms:EnableKeyRotation",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:ScheduleKeyDeletion",
        ],
        resources: keys,
        conditions: taggedWithEnvironment,
      },
    ],
  },
  aws_kms_alias: {
    read: [{ actions: ["kms:ListAliases"], resources: everywhere }],
    write: [
      // An alias call is authorized on the alias and on its key: the alias by name, the key by tag.
      {
        actions: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
        resources: inDataRegions("kms", (s) => `alias/${s.name}/*`),
      },
      {
        actions: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
        resources: keys,
        conditions: taggedWithEnvironment,
      },
    ],
  },
  aws_iam_role: {
    read: [
      {
        actions: [
          "iam:GetRole",
          "iam:ListRolePolicies",
          "iam:ListAttachedRolePolicies",
          "iam:ListInstanceProfilesForRole",
        ],
        resources: roles,
      },
    ],
    write: [
      // A role exists only with the boundary: whatever its policies say, it cannot exceed it.
      {
        actions: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
        resources: roles,
        conditions: withBoundary,
      },
      {
        actions: [
          "iam:DeleteRole",
          "iam:UpdateRole",
          "iam:UpdateRoleDescription",
          "iam:UpdateAssumeRolePolicy",
          "iam:TagRole",
          "iam:UntagRole",
        ],
        resources: roles,
      },
    ],
  },
  aws_iam_role_policy: {
    read: [{ actions: ["iam:GetRolePolicy", "iam:ListRolePolicies"], resources: roles }],
    write: [
      { actions: ["iam:PutRolePolicy"], resources: roles, conditions: withBoundary },
      { actions: ["iam:DeleteRolePolicy"], resources: roles },
    ],
  },
  aws_lambda_function: {
    read: [
      {
        actions: [
          "lambda:GetFunction",
          "lambda:GetFunctionConfiguration",
          "lambda:GetFunctionCodeSigningConfig",
          "lambda:GetFunctionRecursionConfig",
          "lambda:GetRuntimeManagementConfig",
          "lambda:ListVersionsByFunction",
          "lambda:ListTags",
        ],
        resources: functions,
      },
    ],
    write: [
      {
        actions: [
          "lambda:CreateFunction",
          "lambda:UpdateFunctionCode",
          "lambda:UpdateFunctionConfiguration",
          "lambda:DeleteFunction",
          "lambda:TagResource",
          "lambda:UntagResource",
        ],
        resources: functions,
      },
      // The function's role, handed to Lambda and nothing else.
      {
        actions: ["iam:PassRole"],
        resources: (s) => roleArns(s.roles.lambda, s),
        conditions: () => ({ StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } }),
      },
    ],
  },
  aws_lambda_permission: {
    read: [{ actions: ["lambda:GetPolicy"], resources: functions }],
    write: [{ actions: ["lambda:AddPermission", "lambda:RemovePermission"], resources: functions }],
  },
  aws_lambda_function_event_invoke_config: {
    read: [{ actions: ["lambda:GetFunctionEventInvokeConfig"], resources: functions }],
    write: [
      {
        actions: [
          "lambda:PutFunctionEventInvokeConfig",
          "lambda:UpdateFunctionEventInvokeConfig",
          "lambda:DeleteFunctionEventInvokeConfig",
        ],
        resources: functions,
      },
    ],
  },
  aws_sns_topic: {
    read: [{ actions: ["sns:GetTopicAttributes", "sns:ListTagsForResource"], resources: topics }],
    write: [
      {
        actions: [
          "sns:CreateTopic",
          "sns:DeleteTopic",
          "sns:SetTopicAttributes",
          "sns:TagResource",
          "sns:UntagResource",
        ],
        resources: topics,
      },
    ],
  },
  aws_sns_topic_policy: {
    read: [{ actions: ["sns:GetTopicAttributes"], resources: topics }],
    write: [{ actions: ["sns:SetTopicAttributes"], resources: topics }],
  },
  aws_sns_topic_subscription: {
    // A subscription's ARN is its topic's ARN and an id, so the topic's name scopes both.
    read: [{ actions: ["sns:GetSubscriptionAttributes"], resources: topics }],
    write: [
      { actions: ["sns:Subscribe", "sns:Unsubscribe", "sns:SetSubscriptionAttributes"], resources: topics },
    ],
  },
  aws_sqs_queue: {
    read: [{ actions: ["sqs:GetQueueAttributes", "sqs:ListQueueTags"], resources: queues }],
    write: [
      {
        actions: [
          "sqs:CreateQueue",
          "sqs:DeleteQueue",
          "sqs:SetQueueAttributes",
          "sqs:TagQueue",
          "sqs:UntagQueue",
        ],
        resources: queues,
      },
    ],
  },
  aws_sqs_queue_policy: {
    read: [{ actions: ["sqs:GetQueueAttributes"], resources: queues }],
    write: [{ actions: ["sqs:SetQueueAttributes"], resources: queues }],
  },
  aws_cloudwatch_log_group: {
    read: [
      { actions: ["logs:DescribeLogGroups"], resources: named("logs", () => "log-group:*") },
      { actions: ["logs:ListTagsForResource"], resources: logGroups },
    ],
    write: [
      {
        actions: [
          "logs:CreateLogGroup",
          "logs:DeleteLogGroup",
          "logs:PutRetentionPolicy",
          "logs:DeleteRetentionPolicy",
          "logs:AssociateKmsKey",
          "logs:DisassociateKmsKey",
          "logs:TagResource",
          "logs:UntagResource",
        ],
        resources: logGroups,
      },
    ],
  },
  aws_cloudwatch_event_rule: {
    read: [{ actions: ["events:DescribeRule", "events:ListTagsForResource"], resources: eventRules }],
    write: [
      {
        actions: [
          "events:PutRule",
          "events:DeleteRule",
          "events:EnableRule",
          "events:DisableRule",
          "events:TagResource",
          "events:UntagResource",
        ],
        resources: eventRules,
      },
    ],
  },
  aws_cloudwatch_event_target: {
    read: [{ actions: ["events:ListTargetsByRule"], resources: eventRules }],
    write: [
      { actions: ["events:PutTargets", "events:RemoveTargets"], resources: eventRules },
      // A replica region's rule forwards to the alert region's bus with its role, handed to EventBridge only.
      {
        actions: ["iam:PassRole"],
        resources: (s) => roleArns(s.roles.events, s),
        conditions: () => ({ StringEquals: { "iam:PassedToService": "events.amazonaws.com" } }),
      },
    ],
  },
  aws_cloudtrail: {
    read: [
      { actions: ["cloudtrail:DescribeTrails"], resources: everywhere },
      {
        actions: [
          "cloudtrail:GetTrail",
          "cloudtrail:GetTrailStatus",
          "cloudtrail:GetEventSelectors",
          "cloudtrail:GetInsightSelectors",
          "cloudtrail:ListTags",
        ],
        resources: trails,
      },
    ],
    write: [
      {
        actions: [
          "cloudtrail:CreateTrail",
          "cloudtrail:UpdateTrail",
          "cloudtrail:DeleteTrail",
          "cloudtrail:StartLogging",
          "cloudtrail:StopLogging",
          "cloudtrail:PutEventSelectors",
          "cloudtrail:AddTags",
          "cloudtrail:RemoveTags",
        ],
        resources: trails,
      },
    ],
  },
  aws_s3_bucket: {
    read: [
      {
        actions: [
          "s3:ListBucket",
          "s3:GetBucketAcl",
          "s3:GetBucketCORS",
          "s3:GetBucketWebsite",
          "s3:GetBucketLogging",
          "s3:GetBucketRequestPayment",
          "s3:GetBucketTagging",
          "s3:GetBucketObjectLockConfiguration",
          "s3:GetAccelerateConfiguration",
          "s3:GetLifecycleConfiguration",
          "s3:GetReplicationConfiguration",
        ],
        resources: auditBuckets,
      },
    ],
    write: [
      { actions: ["s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketTagging"], resources: auditBuckets },
    ],
  },
  aws_s3_bucket_policy: {
    read: [{ actions: ["s3:GetBucketPolicy"], resources: auditBuckets }],
    write: [{ actions: ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"], resources: auditBuckets }],
  },
  aws_s3_bucket_public_access_block: {
    read: [{ actions: ["s3:GetBucketPublicAccessBlock"], resources: auditBuckets }],
    write: [{ actions: ["s3:PutBucketPublicAccessBlock"], resources: auditBuckets }],
  },
  aws_s3_bucket_ownership_controls: {
    read: [{ actions: ["s3:GetBucketOwnershipControls"], resources: auditBuckets }],
    write: [{ actions: ["s3:PutBucketOwnershipControls"], resources: auditBuckets }],
  },
  aws_s3_bucket_versioning: {
    read: [{ actions: ["s3:GetBucketVersioning"], resources: auditBuckets }],
    write: [{ actions: ["s3:PutBucketVersioning"], resources: auditBuckets }],
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    read: [{ actions: ["s3:GetEncryptionConfiguration"], resources: auditBuckets }],
    write: [{ actions: ["s3:PutEncryptionConfiguration"], resources: auditBuckets }],
  },
  aws_vpc: {
    read: [VPC_READS],
    write: [
      createTagged(["ec2:CreateVpc"]),
      deleteTagged(["ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:CreateTags", "ec2:DeleteTags"]),
    ],
  },
  aws_subnet: {
    read: [VPC_READS],
    write: [
      createTagged(["ec2:CreateSubnet"]),
      // The subnet is new; the VPC it goes into may be another stack's.
      { actions: ["ec2:CreateSubnet"], resources: named("ec2", () => "vpc/*") },
      deleteTagged(["ec2:DeleteSubnet", "ec2:ModifySubnetAttribute", "ec2:CreateTags", "ec2:DeleteTags"]),
    ],
  },
  aws_route_table: {
    read: [VPC_READS],
    write: [
      createTagged(["ec2:CreateRouteTable"]),
      { actions: ["ec2:CreateRouteTable"], resources: named("ec2", () => "vpc/*") },
      deleteTagged(["ec2:DeleteRouteTable", "ec2:CreateTags", "ec2:DeleteTags"]),
    ],
  },
  aws_route_table_association: {
    read: [VPC_READS],
    write: [
      {
        actions: [
          "ec2:AssociateRouteTable",
          "ec2:DisassociateRouteTable",
          "ec2:ReplaceRouteTableAssociation",
        ],
        resources: ec2,
        conditions: taggedWithEnvironment,
      },
    ],
  },
  aws_vpc_endpoint: {
    read: [VPC_READS],
    write: [
      createTagged(["ec2:CreateVpcEndpoint"]),
      // A gateway endpoint goes into a VPC and onto route tables that may be another stack's; an
      // interface endpoint into subnets, behind a security group.
      {
        actions: ["ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint"],
        resources: (s) => [
          arn(s, "ec2", "vpc/*"),
          arn(s, "ec2", "route-table/*"),
          arn(s, "ec2", "subnet/*"),
          arn(s, "ec2", "security-group/*"),
        ],
      },
      deleteTagged(["ec2:DeleteVpcEndpoints", "ec2:ModifyVpcEndpoint", "ec2:CreateTags", "ec2:DeleteTags"]),
    ],
  },
  aws_security_group: {
    read: [VPC_READS],
    write: [
      createTagged(["ec2:CreateSecurityGroup"]),
      // The group is new; the VPC it goes into may be another stack's.
      { actions: ["ec2:CreateSecurityGroup"], resources: named("ec2", () => "vpc/*") },
      deleteTagged([
        "ec2:DeleteSecurityGroup",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:ModifySecurityGroupRules",
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
        "ec2:CreateTags",
        "ec2:DeleteTags",
      ]),
    ],
  },
  aws_default_security_group: {
    read: [VPC_READS],
    write: [
      // Terraform adopts the VPC's default group, which AWS creates untagged, and strips its rules:
      // no tag or name can scope that, so only the account and region do.
      {
        actions: [
          "ec2:RevokeSecurityGroupIngress",
          "ec2:RevokeSecurityGroupEgress",
          "ec2:CreateTags",
          "ec2:DeleteTags",
        ],
        resources: named("ec2", () => "security-group/*"),
      },
    ],
  },
  aws_iam_role_policy_attachment: {
    read: [{ actions: ["iam:ListAttachedRolePolicies"], resources: roles }],
    write: [
      // Only AWS Backup's documented service policy, and only to a role that carries the boundary.
      {
        actions: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
        resources: roles,
        conditions: (s) => ({
          StringEquals: {
            "iam:PolicyARN": backupServicePolicy(s),
            "iam:PermissionsBoundary": s.permissionsBoundaryArn,
          },
        }),
      },
    ],
  },
  aws_backup_vault: {
    read: [{ actions: ["backup:DescribeBackupVault", "backup:ListTags"], resources: backupVaults }],
    write: [
      {
        actions: [
          "backup:CreateBackupVault",
          "backup:DeleteBackupVault",
          "backup:TagResource",
          "backup:UntagResource",
        ],
        resources: backupVaults,
      },
      // A vault with a customer-managed key mounts AWS Backup's storage, an action with no resource.
      { actions: ["backup-storage:MountCapsule"], resources: everywhere },
      {
        actions: ["kms:CreateGrant", "kms:DescribeKey"],
        resources: keys,
        conditions: (s) => ({
          StringEquals: {
            "aws:ResourceTag/environment": s.name,
            "kms:ViaService": `backup.${s.region}.amazonaws.com`,
          },
          Bool: { "kms:GrantIsForAWSResource": "true" },
        }),
      },
    ],
  },
  aws_backup_vault_lock_configuration: {
    read: [{ actions: ["backup:DescribeBackupVault"], resources: backupVaults }],
    // No DeleteBackupVaultLockConfiguration: once the lock is immutable nobody can remove it, and
    // until then removing it is a decision for an administrator, not a pipeline.
    write: [{ actions: ["backup:PutBackupVaultLockConfiguration"], resources: backupVaults }],
  },
  aws_backup_plan: {
    read: [{ actions: ["backup:GetBackupPlan", "backup:ListTags"], resources: backupPlans }],
    write: [
      {
        actions: ["backup:CreateBackupPlan", "backup:TagResource"],
        resources: backupPlans,
        conditions: requestTaggedWithEnvironment,
      },
      {
        actions: ["backup:UpdateBackupPlan", "backup:DeleteBackupPlan", "backup:UntagResource"],
        resources: backupPlans,
        conditions: taggedWithEnvironment,
      },
    ],
  },
  aws_backup_selection: {
    read: [{ actions: ["backup:GetBackupSelection"], resources: backupPlans }],
    write: [
      {
        actions: ["backup:CreateBackupSelection", "backup:DeleteBackupSelection"],
        resources: backupPlans,
        conditions: taggedWithEnvironment,
      },
      {
        actions: ["iam:PassRole"],
        resources: (s) => roleArns(s.roles.backup, s),
        conditions: () => ({ StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } }),
      },
    ],
  },
};

/** The resource types this table covers. */
export const COVERED_RESOURCE_TYPES = Object.keys(DEPLOY_PERMISSIONS).sort();
