import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import type { BackupConfig, Environment } from "../config/schema";
import { DATA_CLASSIFICATIONS } from "../config/schema";
import { ENCRYPT_DECRYPT_ACTIONS, EncryptionKey } from "./encryption-key";
import { partitionOf, type DeploymentTarget } from "./iam/arns";
import { PolicyDocument } from "./iam/policy-document";
import { Role } from "./iam/role";
import type { SecureTable } from "./secure-table";
import { backupRoleName, backupVaultName } from "./iam/role-names";

/** Whether an environment gets locked backups: on unless disabled, except in development where it is opt-in. */
export function backupEnabled(env: Pick<Environment, "tier" | "backup">): boolean {
  return env.backup.enabled ?? env.tier !== "development";
}

export interface TableBackupsProps {
  target: DeploymentTarget;
  /** Prefix for resource names, e.g. the environment name. */
  namePrefix: string;
  backup: BackupConfig;
  /** Every table of the environment: the selection names each one by reference. */
  tables: SecureTable[];
  /** Days KMS waits before deleting the vault key once scheduled. */
  keyDeletionWindowDays: number;
  /** Tags for the vault, its key and plan; data-classification is set from the tables. */
  tags: Record<string, string>;
}

/*
 * AWS's managed policy for the role a backup plan runs as: it tracks what each service's backup
 * calls need (for DynamoDB: DescribeTable, CreateBackup, StartAwsBackupJob, …), which a hand-written
 * copy would silently fall behind.
 */
/** The AWS managed policy AWS Backup documents for its service role; the deploy role may attach only it. */
export const BACKUP_SERVICE_POLICY = "service-role/AWSBackupServiceRolePolicyForBackup";

/**
 * Backups an administrator of this account cannot delete: an AWS Backup vault encrypted with a
 * customer-managed key of its own, locked in compliance mode (after `changeableForDays` nobody can
 * shorten retention, delete a recovery point early or unlock it, not even the account root), and a
 * daily plan whose selection names every table. Point-in-time recovery is deleted with its table;
 * ransomware or a compromised deploy role that deletes the tables leaves these recovery points.
 * DynamoDB backups land in the vault (and can be copied) through AWS Backup's advanced DynamoDB
 * features, on by default in accounts that started using AWS Backup after November 2021.
 */
export class TableBackups extends Construct {
  readonly key: EncryptionKey;
  readonly vault: BackupVault;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: TableBackupsProps) {
    super(scope, id);
    const { target, backup } = props;
    const name = backupVaultName(props.namePrefix);
    const tags = { ...props.tags, "data-classification": highestClassification(props.tables) };

    // Its own key, not a table's: deleting or disabling a table key must not make the backups unreadable.
    this.key = new EncryptionKey(this, "key", {
      target,
      alias: `${props.namePrefix}/backup`,
      description: `Encrypts the AWS Backup vault of the DynamoDB tables (${props.namePrefix})`,
      deletionWindowDays: props.keyDeletionWindowDays,
      tags,
    });
    this.key.allowAccountUseThrough(
      "AccountUsesKeyThroughBackup",
      ["backup"],
      [...ENCRYPT_DECRYPT_ACTIONS, "kms:CreateGrant"],
    );

    this.vault = new BackupVault(this, "vault", {
      name,
      kmsKeyArn: this.key.arn,
      forceDestroy: false,
      tags,
    });
    // changeable_for_days is what makes the lock compliance mode; without it the lock is governance
    // mode, which anyone with backup:DeleteBackupVaultLockConfiguration can remove.
    new BackupVaultLockConfiguration(this, "lock", {
      backupVaultName: this.vault.name,
      changeableForDays: backup.lock.changeableForDays,
      minRetentionDays: backup.lock.minRetentionDays,
      maxRetentionDays: backup.lock.maxRetentionDays,
    });

    this.plan = new BackupPlan(this, "plan", {
      name,
      rule: [
        {
          ruleName: "daily",
          targetVaultName: this.vault.name,
          schedule: backup.schedule,
          lifecycle: { deleteAfter: backup.retentionDays },
          copyAction: backup.copy
            ? [
                {
                  destinationVaultArn: backup.copy.destinationVaultArn,
                  lifecycle: { deleteAfter: backup.copy.retentionDays ?? backup.retentionDays },
                },
              ]
            : undefined,
        },
      ],
      tags,
    });

    const role = new Role(this, "role", {
      name: backupRoleName(props.namePrefix),
      description: "Runs the DynamoDB backup plan: backs the environment's tables up into its locked vault",
      trustPolicy: new PolicyDocument({
        Sid: "BackupAssumesRole",
        Effect: "Allow",
        Principal: { Service: "backup.amazonaws.com" },
        Action: "sts:AssumeRole",
      }),
    });
    new IamRolePolicyAttachment(this, "service-policy", {
      role: role.role.name,
      policyArn: `arn:${partitionOf(target.region)}:iam::aws:policy/${BACKUP_SERVICE_POLICY}`,
    });
    // The tables and the vault use customer-managed keys, which the managed policy cannot name.
    for (const table of props.tables) {
      table.encryptionKey.grantUseThrough(
        role,
        `Read${table.name.replace(/[^A-Za-z0-9]/g, "")}ThroughDynamoDb`,
        "dynamodb",
        ["kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"],
      );
    }
    this.key.grantUseThrough(role, "EncryptRecoveryPointsThroughBackup", "backup", [
      ...ENCRYPT_DECRYPT_ACTIONS,
      "kms:CreateGrant",
    ]);

    new BackupSelection(this, "selection", {
      name: `${name}-tables`,
      planId: this.plan.id,
      iamRoleArn: role.arn,
      resources: props.tables.map((table) => table.arn),
    });
  }
}

/** The vault holds copies of every table, so it is as sensitive as the most sensitive one. */
function highestClassification(tables: SecureTable[]): string {
  const rank = (table: SecureTable) => DATA_CLASSIFICATIONS.indexOf(table.config.dataClassification);
  return DATA_CLASSIFICATIONS[Math.max(...tables.map(rank))];
}
