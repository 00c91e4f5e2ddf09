/*
 * DynamoDB actions by what they touch. Checked against the IAM reference data in
 * tests/stacks/dynamodb-actions.test.ts, so a renamed or missing action fails the build.
 */

/** Item reads that honour dynamodb:Select, so the attribute restriction cannot be skipped. */
export const ITEM_READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"] as const;

/** Item writes; dynamodb:ReturnValues limits what they echo back. */
export const ITEM_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
] as const;

/**
 * Reads that bypass dynamodb:LeadingKeys: a Scan or a PartiQL statement names no partition key, so a
 * `ForAllValues` key condition holds vacuously. Never granted to a team with restricted keys.
 */
export const KEY_UNRESTRICTED_ACTIONS = [
  "dynamodb:Scan",
  "dynamodb:PartiQLSelect",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
] as const;

export const STREAM_READ_ACTIONS = [
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
] as const;

/** Every action on a table's or index's items: what a table's resource policy can restrict. */
export const TABLE_DATA_ACTIONS = [
  ...ITEM_READ_ACTIONS,
  ...ITEM_WRITE_ACTIONS,
  ...KEY_UNRESTRICTED_ACTIONS,
] as const;

/** Every action that reads table data, streams included: what the VPC endpoint lets through. */
export const DATA_PLANE_ACTIONS = [...TABLE_DATA_ACTIONS, ...STREAM_READ_ACTIONS] as const;

/** Control-plane calls that destroy data or its protections: what the alerts watch for. */
export const DESTRUCTIVE_CONTROL_PLANE_ACTIONS = [
  "dynamodb:DeleteTable",
  "dynamodb:UpdateTable",
  "dynamodb:DeleteBackup",
  "dynamodb:UpdateContinuousBackups",
  "dynamodb:DeleteResourcePolicy",
  "dynamodb:PutResourcePolicy",
] as const;

/** The event names (API names) CloudTrail records for the destructive calls. */
export const DESTRUCTIVE_EVENT_NAMES = DESTRUCTIVE_CONTROL_PLANE_ACTIONS.map((action) =>
  action.slice("dynamodb:".length),
);
