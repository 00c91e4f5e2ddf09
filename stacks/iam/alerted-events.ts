import { DESTRUCTIVE_EVENT_NAMES } from "./dynamodb-actions";

/*
 * Every CloudTrail event by which a table's data is lost, leaves, or loses a protection: what the
 * deletion alerts watch and what GR-MON-001 requires (policies/rules/monitoring/deletion_alerting.rego
 * keeps the same lists). Grouped by the EventBridge source that delivers them.
 */

/** aws.dynamodb: the destructive control-plane calls, plus data leaving (exports, streams) and TTL purges. */
export const DYNAMODB_ALERT_EVENTS = [
  ...DESTRUCTIVE_EVENT_NAMES,
  "ExportTableToPointInTime",
  "DisableKinesisStreamingDestination",
  "UpdateTimeToLive",
] as const;

/** aws.backup: the locked vault and its recovery points. */
export const BACKUP_ALERT_EVENTS = [
  "DeleteBackupVault",
  "DeleteRecoveryPoint",
  "PutBackupVaultLockConfiguration",
  "DeleteBackupVaultLockConfiguration",
] as const;

/** aws.kms, on the tables' keys: a key scheduled for deletion or disabled makes its table unreadable. */
export const KMS_KEY_ALERT_EVENTS = ["ScheduleKeyDeletion", "DisableKey", "PutKeyPolicy"] as const;

/**
 * The EventBridge pattern of one service's API calls as CloudTrail records them; `detail` adds
 * filters, e.g. the key ARNs CloudTrail lists in a KMS record's resources.
 */
export function apiCallPattern(
  source: string,
  eventSource: string,
  eventNames: readonly string[],
  detail: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    source: [source],
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: { eventSource: [eventSource], eventName: [...eventNames], ...detail },
  });
}
