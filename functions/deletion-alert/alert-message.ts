import type { EventBridgeEvent } from "aws-lambda";

/**
 * The part of a CloudTrail `userIdentity` the alert reads. Every field is optional because the
 * shape depends on the identity type (IAM user, assumed role, AWS service, …).
 */
export interface CloudTrailUserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
}

/** A resource CloudTrail names in a record, e.g. the KMS key a KMS call acted on. */
export interface CloudTrailResource {
  ARN?: string;
  accountId?: string;
  type?: string;
}

/**
 * A partial CloudTrail record for a call the alert watches (DynamoDB control plane, AWS Backup vaults,
 * the tables' KMS keys), as EventBridge delivers it in `detail`.
 */
export interface DynamoDbApiCallDetail {
  eventVersion?: string;
  userIdentity?: CloudTrailUserIdentity | null;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string | null;
  errorMessage?: string | null;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  requestID?: string;
  eventID?: string;
  eventType?: string;
  apiVersion?: string;
  readOnly?: boolean;
  managementEvent?: boolean;
  recipientAccountId?: string;
  eventCategory?: string;
  resources?: CloudTrailResource[] | null;
}

export type DynamoDbApiCallEvent = EventBridgeEvent<"AWS API Call via CloudTrail", DynamoDbApiCallDetail>;

export interface AlertMessage {
  subject: string;
  message: string;
}

/** SNS rejects subjects of 100 characters or more. */
export const MAX_SUBJECT_LENGTH = 99;

/**
 * SNS accepts at most 256 KiB (262,144 bytes) of UTF-8 message; the 1 KiB of headroom keeps a
 * message that was cut to fit from sitting exactly on the boundary.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024 - 1024;

const INDENT = "    ";
const ELLIPSIS = "...";

type RequestParameters = Record<string, unknown>;

/** A resource reference in two forms: short for the length-capped subject, complete for the body. */
interface Target {
  subject: string;
  sentence: string;
}

/** How one DynamoDB API is phrased; the talk's DeleteTable wording is the template for the rest. */
interface ApiWording {
  /** Infinitive, as in "attempted to delete a table". */
  verb: string;
  /** As in "Table Orders … deleted by user/Bob". */
  pastVerb: string;
  /** As in "user/Bob deleted the table Orders"; defaults to pastVerb. */
  activeVerb?: string;
  /** Completes "Attempted … in account": the action and resource kind, never the resource's name. */
  attempt: string;
  /** Completes "attempted to <verb> …"; generic because a failed call may name nothing real. */
  attemptObject: string;
  target: (parameters: RequestParameters, record: DynamoDbApiCallDetail) => Target;
}

const tableTarget = (parameters: RequestParameters): Target => {
  const name = text(parameters.tableName);
  if (name === undefined) return { subject: "an unknown table", sentence: "an unknown table" };
  return { subject: `table ${name}`, sentence: `the table ${name}` };
};

const backupTarget = (parameters: RequestParameters): Target => {
  const arn = text(parameters.backupArn);
  if (arn === undefined) return { subject: "an unknown backup", sentence: "an unknown backup" };
  const short = shortArn(arn);
  return { subject: short.startsWith("backup ") ? short : `backup ${short}`, sentence: `the backup ${arn}` };
};

const pointInTimeRecoveryTarget = (parameters: RequestParameters): Target => {
  const table = tableTarget(parameters).subject;
  return {
    subject: `point-in-time recovery of ${table}`,
    sentence: `the continuous backups (point-in-time recovery) of ${table}`,
  };
};

const resourcePolicyTarget = (parameters: RequestParameters): Target => {
  const arn = text(parameters.resourceArn);
  if (arn === undefined) {
    return {
      subject: "resource policy of an unknown resource",
      sentence: "the resource policy of an unknown resource",
    };
  }
  return { subject: `resource policy of ${shortArn(arn)}`, sentence: `the resource policy of ${arn}` };
};

const exportTarget = (parameters: RequestParameters): Target => {
  const arn = text(parameters.tableArn);
  const bucket = text(parameters.s3Bucket);
  const destination = bucket === undefined ? "" : ` to S3 bucket ${bucket}`;
  if (arn === undefined) return { subject: "an unknown table", sentence: `an unknown table${destination}` };
  return { subject: shortArn(arn), sentence: `the table ${arn}${destination}` };
};

const kinesisTarget = (parameters: RequestParameters): Target => {
  const table = tableTarget(parameters).subject;
  const stream = text(parameters.streamArn);
  return {
    subject: `Kinesis streaming of ${table}`,
    sentence: `the Kinesis streaming destination ${stream ?? "(unknown stream)"} of ${table}`,
  };
};

const timeToLiveTarget = (parameters: RequestParameters): Target => {
  const table = tableTarget(parameters).subject;
  return { subject: `time to live of ${table}`, sentence: `the time to live (expiry of items) of ${table}` };
};

const vaultName = (parameters: RequestParameters): string =>
  text(parameters.backupVaultName) ?? "(unknown vault)";

const vaultTarget = (parameters: RequestParameters): Target => ({
  subject: `backup vault ${vaultName(parameters)}`,
  sentence: `the backup vault ${vaultName(parameters)}`,
});

const vaultLockTarget = (parameters: RequestParameters): Target => ({
  subject: `lock of backup vault ${vaultName(parameters)}`,
  sentence: `the lock of backup vault ${vaultName(parameters)}`,
});

const recoveryPointTarget = (parameters: RequestParameters): Target => ({
  subject: `recovery point in backup vault ${vaultName(parameters)}`,
  sentence: `the recovery point ${text(parameters.recoveryPointArn) ?? "(unknown)"} in backup vault ${vaultName(parameters)}`,
});

/** CloudTrail names the key a KMS call acted on in resources, whatever alias or id the caller passed. */
function keyArnOf(parameters: RequestParameters, record: DynamoDbApiCallDetail): string {
  const resources = Array.isArray(record.resources) ? record.resources : [];
  const key = resources.find((resource) => resource?.type === "AWS::KMS::Key");
  return text(key?.ARN) ?? text(parameters.keyId) ?? "(unknown key)";
}

/** The subject's short form of a key: its id's first group ("1234abcd"), enough to tell keys apart. */
function shortKey(arn: string): string {
  const id = arn.split("/").pop() ?? arn;
  return id.startsWith("mrk-") ? id.slice(0, 12) : id.split("-")[0];
}

const keyTarget = (parameters: RequestParameters, record: DynamoDbApiCallDetail): Target => {
  const arn = keyArnOf(parameters, record);
  const days = parameters.pendingWindowInDays;
  const window = typeof days === "number" ? ` (deleted after ${days} days unless cancelled)` : "";
  return { subject: `KMS key ${shortKey(arn)}`, sentence: `the KMS key ${arn}${window}` };
};

const keyPolicyTarget = (parameters: RequestParameters, record: DynamoDbApiCallDetail): Target => {
  const arn = keyArnOf(parameters, record);
  return { subject: `policy of KMS key ${shortKey(arn)}`, sentence: `the key policy of ${arn}` };
};

const API_WORDING: Readonly<Record<string, ApiWording>> = {
  DeleteTable: {
    verb: "delete",
    pastVerb: "deleted",
    attempt: "delete of DynamoDB table",
    attemptObject: "a table",
    target: tableTarget,
  },
  UpdateTable: {
    verb: "update",
    pastVerb: "updated",
    attempt: "update of DynamoDB table",
    attemptObject: "a table",
    target: tableTarget,
  },
  DeleteBackup: {
    verb: "delete",
    pastVerb: "deleted",
    attempt: "delete of DynamoDB backup",
    attemptObject: "a backup",
    target: backupTarget,
  },
  UpdateContinuousBackups: {
    verb: "change",
    pastVerb: "changed",
    attempt: "change of DynamoDB point-in-time recovery",
    attemptObject: "the continuous backups (point-in-time recovery) of a table",
    target: pointInTimeRecoveryTarget,
  },
  DeleteResourcePolicy: {
    verb: "delete",
    pastVerb: "deleted",
    attempt: "delete of DynamoDB resource policy",
    attemptObject: "a resource policy",
    target: resourcePolicyTarget,
  },
  PutResourcePolicy: {
    verb: "replace",
    pastVerb: "replaced",
    attempt: "replacement of DynamoDB resource policy",
    attemptObject: "a resource policy",
    target: resourcePolicyTarget,
  },
  ExportTableToPointInTime: {
    verb: "export",
    pastVerb: "exported",
    attempt: "export of DynamoDB table",
    attemptObject: "a table's data",
    target: exportTarget,
  },
  DisableKinesisStreamingDestination: {
    verb: "disable",
    pastVerb: "disabled",
    attempt: "disable of DynamoDB Kinesis streaming",
    attemptObject: "a table's Kinesis streaming destination",
    target: kinesisTarget,
  },
  UpdateTimeToLive: {
    verb: "change",
    pastVerb: "changed",
    attempt: "change of DynamoDB time to live",
    attemptObject: "the time to live (expiry of items) of a table",
    target: timeToLiveTarget,
  },
  DeleteBackupVault: {
    verb: "delete",
    pastVerb: "deleted",
    attempt: "delete of AWS Backup vault",
    attemptObject: "a backup vault",
    target: vaultTarget,
  },
  DeleteRecoveryPoint: {
    verb: "delete",
    pastVerb: "deleted",
    attempt: "delete of AWS Backup recovery point",
    attemptObject: "a recovery point",
    target: recoveryPointTarget,
  },
  PutBackupVaultLockConfiguration: {
    verb: "change",
    pastVerb: "changed",
    attempt: "change of AWS Backup vault lock",
    attemptObject: "the lock of a backup vault",
    target: vaultLockTarget,
  },
  DeleteBackupVaultLockConfiguration: {
    verb: "remove",
    pastVerb: "removed",
    attempt: "removal of AWS Backup vault lock",
    attemptObject: "the lock of a backup vault",
    target: vaultLockTarget,
  },
  ScheduleKeyDeletion: {
    verb: "schedule the deletion of",
    pastVerb: "scheduled for deletion",
    activeVerb: "scheduled the deletion of",
    attempt: "deletion of KMS key",
    attemptObject: "a KMS key",
    target: keyTarget,
  },
  DisableKey: {
    verb: "disable",
    pastVerb: "disabled",
    attempt: "disable of KMS key",
    attemptObject: "a KMS key",
    target: keyTarget,
  },
  PutKeyPolicy: {
    verb: "replace",
    pastVerb: "replaced",
    attempt: "replacement of KMS key policy",
    attemptObject: "a key policy",
    target: keyPolicyTarget,
  },
};

/** How the message names the service an event came from; DynamoDB when CloudTrail says nothing. */
const SERVICE_NAMES: Readonly<Record<string, string>> = {
  "dynamodb.amazonaws.com": "DynamoDB",
  "backup.amazonaws.com": "AWS Backup",
  "kms.amazonaws.com": "AWS KMS",
};

function serviceOf(record: DynamoDbApiCallDetail): string {
  const source = text(record.eventSource);
  return source !== undefined && Object.hasOwn(SERVICE_NAMES, source) ? SERVICE_NAMES[source] : "DynamoDB";
}

/** The four outcome phrases, fully resolved for one event. */
interface Phrases {
  failedSubject: string;
  failedAction: string;
  succeededSubject: string;
  succeededLine: string;
}

interface Actor {
  invokerId: string;
  account: string;
}

/**
 * Builds the SNS subject and message for one DynamoDB API call seen through CloudTrail.
 * Never throws: CloudTrail records vary, and a missing field must not cost the alert.
 */
export function buildAlertMessage(
  detail: DynamoDbApiCallDetail | null | undefined,
  processedAt: Date,
): AlertMessage {
  const record = detail ?? {};
  const invokerArn = describeInvoker(record.userIdentity);
  const actor: Actor = {
    invokerId: invokerIdFrom(record.userIdentity, invokerArn),
    account: text(record.userIdentity?.accountId) ?? "an unknown account",
  };
  const parameters = requestParametersOf(record);
  const service = serviceOf(record);
  const phrases = phrasesFor(text(record.eventName), parameters, actor, record, service);
  const error = errorTextOf(record);

  const head =
    `Event processed at ${processedAt.toISOString()}\n\n` +
    (error === undefined ? `${phrases.succeededLine}\n` : failureLines(actor, phrases, error)) +
    "\nAPI Invocation details:\n" +
    `${INDENT}${service} API: ${text(record.eventName) ?? "an unknown API"}\n` +
    `${INDENT}Invoked by: ${invokerArn}\n` +
    `${INDENT}Parameters:\n`;

  return {
    subject: sanitizeSubject(error === undefined ? phrases.succeededSubject : phrases.failedSubject),
    message: fitMessage(head, parameterLines(parameters)),
  };
}

/**
 * Makes any text acceptable as an SNS subject: control characters and line breaks become spaces
 * and the result is cut to {@link MAX_SUBJECT_LENGTH} characters, ending in "..." when cut.
 */
export function sanitizeSubject(subject: string): string {
  const clean = wellFormed(subject)
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ")
    .replace(/ {2,}/g, " ")
    .trim();
  if (clean.length <= MAX_SUBJECT_LENGTH) return clean;
  return truncateCodePoints(clean, MAX_SUBJECT_LENGTH - ELLIPSIS.length).trimEnd() + ELLIPSIS;
}

function failureLines(actor: Actor, phrases: Phrases, error: string): string {
  const indented = error
    .split(/\r?\n/)
    .map((line) => INDENT + line)
    .join("\n");
  return (
    `It appears that ${actor.invokerId} attempted to ${phrases.failedAction} ` +
    `which failed with the error message:\n\n${indented}\n`
  );
}

function phrasesFor(
  eventName: string | undefined,
  parameters: RequestParameters,
  actor: Actor,
  record: DynamoDbApiCallDetail,
  service: string,
): Phrases {
  // hasOwn, because event names such as "constructor" would otherwise find Object.prototype members.
  if (eventName === undefined || !Object.hasOwn(API_WORDING, eventName)) {
    return genericPhrases(eventName, parameters, actor, service);
  }
  const wording = API_WORDING[eventName];
  const where = `in account ${actor.account}`;
  const target = wording.target(parameters, record);
  return {
    failedSubject: `Attempted ${wording.attempt} ${where} by ${actor.invokerId}`,
    failedAction: `${wording.verb} ${wording.attemptObject}`,
    succeededSubject: `${capitalize(target.subject)} ${where} ${wording.pastVerb} by ${actor.invokerId}`,
    succeededLine: `${actor.invokerId} ${wording.activeVerb ?? wording.pastVerb} ${target.sentence} ${where}`,
  };
}

/** Wording for APIs it has none for, so a widened EventBridge rule still yields a readable alert. */
function genericPhrases(
  eventName: string | undefined,
  parameters: RequestParameters,
  actor: Actor,
  service: string,
): Phrases {
  const where = `in account ${actor.account}`;
  const api = eventName ?? "an unknown API";
  const apiInSubject = eventName === undefined ? `an unknown ${service} API` : `${service} ${eventName}`;
  const target = genericTarget(parameters, service);
  return {
    failedSubject: `Attempted call of ${apiInSubject} ${where} by ${actor.invokerId}`,
    failedAction: `call ${api} on a ${service} resource`,
    succeededSubject: `${capitalize(apiInSubject)} called on ${target.subject} ${where} by ${actor.invokerId}`,
    succeededLine: `${actor.invokerId} called ${api} on ${target.sentence} ${where}`,
  };
}

function genericTarget(parameters: RequestParameters, service: string): Target {
  if (text(parameters.tableName) !== undefined) return tableTarget(parameters);
  if (text(parameters.backupVaultName) !== undefined) return vaultTarget(parameters);
  const arn = text(parameters.resourceArn) ?? text(parameters.backupArn);
  if (arn === undefined) return { subject: `a ${service} resource`, sentence: `a ${service} resource` };
  const short = shortArn(arn);
  return { subject: short, sentence: `the resource ${arn}` };
}

/**
 * A short name for a DynamoDB ARN, so the subject keeps room for who acted: "table Orders",
 * "backup of table Orders"; other ARNs shrink to their resource part.
 */
function shortArn(arn: string): string {
  const resource = text(arn.split(":").slice(5).join(":")) ?? arn;
  const table = /^table\/([^/]+)(?:\/(backup|stream|index)\/.+)?$/.exec(resource);
  if (table === null) return resource;
  return table[2] === undefined ? `table ${table[1]}` : `${table[2]} of table ${table[1]}`;
}

/** The talk's rule: the sixth ':'-separated field of the ARN, e.g. "user/Bob". */
function invokerIdFrom(identity: CloudTrailUserIdentity | null | undefined, fallback: string): string {
  const arn = text(identity?.arn);
  return (arn === undefined ? undefined : text(arn.split(":")[5])) ?? fallback;
}

function describeInvoker(identity: CloudTrailUserIdentity | null | undefined): string {
  return (
    text(identity?.arn) ??
    text(identity?.userName) ??
    text(identity?.principalId) ??
    // AWS services acting on their own (e.g. a backup plan's retention) carry only invokedBy.
    text(identity?.invokedBy) ??
    "an unknown principal"
  );
}

/** Like the talk, errorMessage marks a failure; errorCode alone does too (CloudTrail omits some messages). */
function errorTextOf(record: DynamoDbApiCallDetail): string | undefined {
  return text(record.errorMessage) ?? text(record.errorCode);
}

function requestParametersOf(record: DynamoDbApiCallDetail): RequestParameters {
  const parameters: unknown = record.requestParameters;
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) return {};
  return parameters as RequestParameters;
}

function parameterLines(parameters: RequestParameters): string {
  const entries = Object.entries(parameters);
  if (entries.length === 0) return `${INDENT}${INDENT}None\n`;
  return entries.map(([key, value]) => `${INDENT}${INDENT}${key}: ${renderValue(value)}\n`).join("");
}

function renderValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Cuts the parameters (the only unbounded part) so the whole message fits {@link MAX_MESSAGE_BYTES}. */
function fitMessage(head: string, parameters: string): string {
  const message = wellFormed(head + parameters);
  const size = utf8Length(message);
  if (size <= MAX_MESSAGE_BYTES) return message;
  const note = `\n${INDENT}${INDENT}[Parameters truncated: the full message was ${size} bytes, over the 256 KiB SNS limit.]\n`;
  const budget = Math.max(0, MAX_MESSAGE_BYTES - utf8Length(note));
  return truncateUtf8(message, budget) + note;
}

/** Lone surrogates cannot be encoded as UTF-8, and the SDK's request serializer throws on them. */
function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function utf8Length(value: string): number {
  return encoder.encode(value).length;
}

function truncateUtf8(value: string, maxBytes: number): string {
  const bytes = encoder.encode(value);
  if (bytes.length <= maxBytes) return value;
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return decoder.decode(bytes.subarray(0, end));
}

function truncateCodePoints(value: string, maxLength: number): string {
  let result = "";
  for (const codePoint of value) {
    if (result.length + codePoint.length > maxLength) break;
    result += codePoint;
  }
  return result;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
