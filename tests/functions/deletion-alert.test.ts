import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { PublishCommandInput } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import type { DynamoDbApiCallEvent } from "../../functions/deletion-alert/alert-message";
import { handler } from "../../functions/deletion-alert/handler";

const TOPIC_ARN = "arn:aws:sns:us-east-1:676190956703:EmailDelivery";
const MESSAGE_ID = "db03f9fd-336b-4711-9cee-b3057d2c76f5";
const ROLE_ARN = "arn:aws:sts::111122223333:assumed-role/ApplicationRole/worker70";
const ROLE = "assumed-role/ApplicationRole/worker70";
const ALICE = "user/Alice";
const ORDERS_ARN = "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
const BACKUP_ARN = `${ORDERS_ARN}/backup/01715677950000-a1b2c3d4`;
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_ARN = `arn:aws:kms:us-east-1:111122223333:key/${KEY_ID}`;
const RECOVERY_POINT_ARN =
  "arn:aws:backup:us-east-1:111122223333:recovery-point:3f5a0b1c-7d2e-4f6a-9b8c-1d2e3f4a5b6c";

const snsMock = mockClient(SNSClient);
const originalTopicArn = process.env.TOPIC_ARN;

beforeEach(() => {
  snsMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: MESSAGE_ID });
  process.env.TOPIC_ARN = TOPIC_ARN;
});

afterEach(() => {
  jest.useRealTimers();
  if (originalTopicArn === undefined) delete process.env.TOPIC_ARN;
  else process.env.TOPIC_ARN = originalTopicArn;
});

type FixtureName =
  | "bob-delete-table-denied"
  | "jane-delete-table"
  | "update-table"
  | "delete-backup"
  | "update-continuous-backups"
  | "delete-resource-policy"
  | "put-resource-policy"
  | "export-table-to-point-in-time"
  | "disable-kinesis-streaming-destination"
  | "update-time-to-live"
  | "delete-backup-vault"
  | "delete-recovery-point"
  | "put-backup-vault-lock-configuration"
  | "delete-backup-vault-lock-configuration"
  | "schedule-key-deletion"
  | "disable-key"
  | "put-key-policy";

/** A fresh copy on every call, so a test may mutate its event without leaking into the next. */
function loadEvent(name: FixtureName): DynamoDbApiCallEvent {
  const file = join(__dirname, "..", "fixtures", "deletion-alert", `${name}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as DynamoDbApiCallEvent;
}

/** Turns a fixture into the failed call CloudTrail records when IAM denies it. */
function denied(event: DynamoDbApiCallEvent, errorMessage: string): DynamoDbApiCallEvent {
  return {
    ...event,
    detail: { ...event.detail, errorCode: "AccessDenied", errorMessage, responseElements: null },
  };
}

async function publishedFor(
  event: DynamoDbApiCallEvent,
  at = "2024-05-14T09:30:01.000Z",
): Promise<PublishCommandInput> {
  jest.useFakeTimers().setSystemTime(new Date(at));
  await handler(event);
  expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
  return snsMock.commandCalls(PublishCommand)[0].args[0].input;
}

/** The line after "Event processed at …" and its blank line: the talk's outcome sentence. */
function outcomeLine(message: string | undefined): string | undefined {
  return message?.split("\n")[2];
}

describe("deletion-alert handler: the talk's sample emails", () => {
  it("reports Bob's denied DeleteTable in the format of the talk's email", async () => {
    jest.useFakeTimers().setSystemTime(new Date("2018-11-10T20:15:45.867Z"));

    const result = await handler(loadEvent("bob-delete-table-denied"));

    expect(result).toEqual({ messageId: MESSAGE_ID });
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC_ARN,
      Subject: "Attempted delete of DynamoDB table in account 676190956703 by user/Bob",
      Message: [
        "Event processed at 2018-11-10T20:15:45.867Z",
        "",
        "It appears that user/Bob attempted to delete a table which failed with the error message:",
        "",
        "    User: arn:aws:iam::676190956703:user/Bob is not authorized to perform: dynamodb:DeleteTable" +
          " on resource: arn:aws:dynamodb:us-east-1:676190956703:table/MyTestTable",
        "",
        "API Invocation details:",
        "    DynamoDB API: DeleteTable",
        "    Invoked by: arn:aws:iam::676190956703:user/Bob",
        "    Parameters:",
        "        tableName: MyTestTable",
        "",
      ].join("\n"),
    });
  });

  it("reports Jane's successful DeleteTable in the format of the talk's email", async () => {
    const input = await publishedFor(loadEvent("jane-delete-table"), "2018-11-11T00:25:38.814Z");

    expect(input).toEqual({
      TopicArn: TOPIC_ARN,
      Subject: "Table JanesTable in account 676190956703 deleted by user/Jane",
      Message: [
        "Event processed at 2018-11-11T00:25:38.814Z",
        "",
        "user/Jane deleted the table JanesTable in account 676190956703",
        "",
        "API Invocation details:",
        "    DynamoDB API: DeleteTable",
        "    Invoked by: arn:aws:iam::676190956703:user/Jane",
        "    Parameters:",
        "        tableName: JanesTable",
        "",
      ].join("\n"),
    });
  });
});

describe("deletion-alert handler: every event name the rule matches", () => {
  const succeeded: [FixtureName, string, string][] = [
    [
      "jane-delete-table",
      "Table JanesTable in account 676190956703 deleted by user/Jane",
      "user/Jane deleted the table JanesTable in account 676190956703",
    ],
    [
      "update-table",
      `Table Orders in account 111122223333 updated by ${ROLE}`,
      `${ROLE} updated the table Orders in account 111122223333`,
    ],
    [
      "delete-backup",
      `Backup of table Orders in account 111122223333 deleted by ${ROLE}`,
      `${ROLE} deleted the backup ${BACKUP_ARN} in account 111122223333`,
    ],
    [
      "update-continuous-backups",
      `Point-in-time recovery of table Orders in account 111122223333 changed by ${ALICE}`,
      `${ALICE} changed the continuous backups (point-in-time recovery) of table Orders in account 111122223333`,
    ],
    [
      "delete-resource-policy",
      `Resource policy of table Orders in account 111122223333 deleted by ${ALICE}`,
      `${ALICE} deleted the resource policy of ${ORDERS_ARN} in account 111122223333`,
    ],
    [
      "put-resource-policy",
      `Resource policy of table Orders in account 111122223333 replaced by ${ALICE}`,
      `${ALICE} replaced the resource policy of ${ORDERS_ARN} in account 111122223333`,
    ],
    [
      "export-table-to-point-in-time",
      `Table Orders in account 111122223333 exported by ${ROLE}`,
      `${ROLE} exported the table ${ORDERS_ARN} to S3 bucket exfil-bucket-444455556666 in account 111122223333`,
    ],
    [
      "disable-kinesis-streaming-destination",
      `Kinesis streaming of table Orders in account 111122223333 disabled by ${ALICE}`,
      `${ALICE} disabled the Kinesis streaming destination arn:aws:kinesis:us-east-1:111122223333:stream/orders-changes` +
        " of table Orders in account 111122223333",
    ],
    [
      "update-time-to-live",
      // Cut at SNS's subject limit, like any long role session name.
      "Time to live of table Orders in account 111122223333 changed by assumed-role/ApplicationRole/wor...",
      `${ROLE} changed the time to live (expiry of items) of table Orders in account 111122223333`,
    ],
    [
      "delete-backup-vault",
      `Backup vault prod-dynamodb in account 111122223333 deleted by ${ALICE}`,
      `${ALICE} deleted the backup vault prod-dynamodb in account 111122223333`,
    ],
    [
      "delete-recovery-point",
      "Recovery point in backup vault prod-dynamodb in account 111122223333 deleted by assumed-role/App...",
      `${ROLE} deleted the recovery point ${RECOVERY_POINT_ARN} in backup vault prod-dynamodb in account 111122223333`,
    ],
    [
      "put-backup-vault-lock-configuration",
      `Lock of backup vault prod-dynamodb in account 111122223333 changed by ${ALICE}`,
      `${ALICE} changed the lock of backup vault prod-dynamodb in account 111122223333`,
    ],
    [
      "delete-backup-vault-lock-configuration",
      `Lock of backup vault prod-dynamodb in account 111122223333 removed by ${ALICE}`,
      `${ALICE} removed the lock of backup vault prod-dynamodb in account 111122223333`,
    ],
    [
      "schedule-key-deletion",
      // The caller named the key by alias; CloudTrail's resources name the key itself.
      "KMS key 1234abcd in account 111122223333 scheduled for deletion by assumed-role/ApplicationRole/...",
      `${ROLE} scheduled the deletion of the KMS key ${KEY_ARN} (deleted after 7 days unless cancelled) in account 111122223333`,
    ],
    [
      "disable-key",
      `KMS key 1234abcd in account 111122223333 disabled by ${ROLE}`,
      `${ROLE} disabled the KMS key ${KEY_ARN} in account 111122223333`,
    ],
    [
      "put-key-policy",
      `Policy of KMS key 1234abcd in account 111122223333 replaced by ${ALICE}`,
      `${ALICE} replaced the key policy of ${KEY_ARN} in account 111122223333`,
    ],
  ];

  it.each(succeeded)("%s: names the resource and who changed it", async (fixture, subject, outcome) => {
    const input = await publishedFor(loadEvent(fixture));

    expect(input.Subject).toBe(subject);
    expect(outcomeLine(input.Message)).toBe(outcome);
  });

  const failed: [FixtureName, string, string][] = [
    [
      "jane-delete-table",
      "Attempted delete of DynamoDB table in account 676190956703 by user/Jane",
      "It appears that user/Jane attempted to delete a table which failed with the error message:",
    ],
    [
      "update-table",
      `Attempted update of DynamoDB table in account 111122223333 by ${ROLE}`,
      `It appears that ${ROLE} attempted to update a table which failed with the error message:`,
    ],
    [
      "delete-backup",
      // 100 characters in full: a role session name is the usual reason a subject is cut.
      "Attempted delete of DynamoDB backup in account 111122223333 by assumed-role/ApplicationRole/work...",
      `It appears that ${ROLE} attempted to delete a backup which failed with the error message:`,
    ],
    [
      "update-continuous-backups",
      `Attempted change of DynamoDB point-in-time recovery in account 111122223333 by ${ALICE}`,
      `It appears that ${ALICE} attempted to change the continuous backups (point-in-time recovery) of a table` +
        " which failed with the error message:",
    ],
    [
      "delete-resource-policy",
      `Attempted delete of DynamoDB resource policy in account 111122223333 by ${ALICE}`,
      `It appears that ${ALICE} attempted to delete a resource policy which failed with the error message:`,
    ],
    [
      "put-resource-policy",
      `Attempted replacement of DynamoDB resource policy in account 111122223333 by ${ALICE}`,
      `It appears that ${ALICE} attempted to replace a resource policy which failed with the error message:`,
    ],
    [
      "export-table-to-point-in-time",
      "Attempted export of DynamoDB table in account 111122223333 by assumed-role/ApplicationRole/worker70",
      `It appears that ${ROLE} attempted to export a table's data which failed with the error message:`,
    ],
    [
      "disable-kinesis-streaming-destination",
      `Attempted disable of DynamoDB Kinesis streaming in account 111122223333 by ${ALICE}`,
      `It appears that ${ALICE} attempted to disable a table's Kinesis streaming destination which failed with the error message:`,
    ],
    [
      "update-time-to-live",
      "Attempted change of DynamoDB time to live in account 111122223333 by assumed-role/ApplicationRol...",
      `It appears that ${ROLE} attempted to change the time to live (expiry of items) of a table which failed with the error message:`,
    ],
    [
      "delete-backup-vault",
      `Attempted delete of AWS Backup vault in account 111122223333 by ${ALICE}`,
      `It appears that ${ALICE} attempted to delete a backup vault which failed with the error message:`,
    ],
    [
      "delete-recovery-point",
      "Attempted delete of AWS Backup recovery point in account 111122223333 by assumed-role/Applicatio...",
      `It appears that ${ROLE} attempted to delete a recovery point which failed with the error message:`,
    ],
    [
      "put-backup-vault-lock-configuration",
      `Attempted change of AWS Backup vault lock in account 111122223333 by ${ALICE}`,
      `It appears that ${ALICE} attempted to change the lock of a backup vault which failed with the error message:`,
    ],
    [
      "delete-backup-vault-lock-configuration",
      `Attempted removal of AWS Backup vault lock in account 111122223333 by ${ALICE}`,
      `It appears that ${ALICE} attempted to remove the lock of a backup vault which failed with the error message:`,
    ],
    [
      "schedule-key-deletion",
      `Attempted deletion of KMS key in account 111122223333 by ${ROLE}`,
      `It appears that ${ROLE} attempted to schedule the deletion of a KMS key which failed with the error message:`,
    ],
    [
      "disable-key",
      `Attempted disable of KMS key in account 111122223333 by ${ROLE}`,
      `It appears that ${ROLE} attempted to disable a KMS key which failed with the error message:`,
    ],
    [
      "put-key-policy",
      `Attempted replacement of KMS key policy in account 111122223333 by ${ALICE}`,
      `It appears that ${ALICE} attempted to replace a key policy which failed with the error message:`,
    ],
  ];

  it.each(failed)("%s denied: reports the attempt and the error", async (fixture, subject, outcome) => {
    const input = await publishedFor(denied(loadEvent(fixture), "Not allowed."));

    expect(input.Subject).toBe(subject);
    expect(input.Message?.split("\n").slice(2, 5)).toEqual([outcome, "", "    Not allowed."]);
  });

  it("lists UpdateTable's parameters with JSON for structures and plain text for scalars", async () => {
    const input = await publishedFor(loadEvent("update-table"));

    expect(input.Message?.split("\n").slice(4)).toEqual([
      "API Invocation details:",
      "    DynamoDB API: UpdateTable",
      `    Invoked by: ${ROLE_ARN}`,
      "    Parameters:",
      "        tableName: Orders",
      "        billingMode: PAY_PER_REQUEST",
      "        deletionProtectionEnabled: false",
      "",
    ]);
  });

  it("renders nested request parameters as compact JSON and policy documents as sent", async () => {
    const pitr = await publishedFor(loadEvent("update-continuous-backups"));
    snsMock.resetHistory();
    const policy = await publishedFor(loadEvent("put-resource-policy"));

    expect(pitr.Message).toContain(
      '\n        pointInTimeRecoverySpecification: {"pointInTimeRecoveryEnabled":false}\n',
    );
    expect(policy.Message).toContain(
      '\n        policy: {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":' +
        '{"AWS":"arn:aws:iam::111122223333:role/ApplicationRole"},"Action":"dynamodb:*",' +
        `"Resource":"${ORDERS_ARN}"}]}\n        confirmRemoveSelfResourceAccess: false\n`,
    );
  });

  it("still sends a readable alert for an event name it has no wording for", async () => {
    const event = loadEvent("delete-resource-policy");
    event.detail.eventName = "TagResource";
    event.detail.requestParameters = { resourceArn: ORDERS_ARN, tags: [{ key: "team", value: "orders" }] };

    const input = await publishedFor(event);

    expect(input.Subject).toBe(
      `DynamoDB TagResource called on table Orders in account 111122223333 by ${ALICE}`,
    );
    expect(outcomeLine(input.Message)).toBe(
      `${ALICE} called TagResource on the resource ${ORDERS_ARN} in account 111122223333`,
    );
    expect(input.Message?.split("\n").slice(4)).toEqual([
      "API Invocation details:",
      "    DynamoDB API: TagResource",
      "    Invoked by: arn:aws:iam::111122223333:user/Alice",
      "    Parameters:",
      `        resourceArn: ${ORDERS_ARN}`,
      '        tags: [{"key":"team","value":"orders"}]',
      "",
    ]);
  });

  it("reports a denied call of an unknown event name as an attempt", async () => {
    const event = denied(loadEvent("delete-resource-policy"), "Not allowed.");
    event.detail.eventName = "UpdateKinesisStreamingDestination";

    const input = await publishedFor(event);

    expect(input.Subject).toBe(
      `Attempted call of DynamoDB UpdateKinesisStreamingDestination in account 111122223333 by ${ALICE}`,
    );
    expect(outcomeLine(input.Message)).toBe(
      `It appears that ${ALICE} attempted to call UpdateKinesisStreamingDestination on a DynamoDB resource` +
        " which failed with the error message:",
    );
  });

  it("names the service of AWS Backup and KMS events in the details and in unknown wordings", async () => {
    const key = await publishedFor(loadEvent("schedule-key-deletion"));
    expect(key.Message?.split("\n").slice(4, 10)).toEqual([
      "API Invocation details:",
      "    AWS KMS API: ScheduleKeyDeletion",
      `    Invoked by: ${ROLE_ARN}`,
      "    Parameters:",
      "        keyId: alias/prod/dynamodb/Orders",
      "        pendingWindowInDays: 7",
    ]);
    snsMock.resetHistory();
    const event = loadEvent("delete-backup-vault");
    event.detail.eventName = "DeleteBackupVaultAccessPolicy";
    const vault = await publishedFor(event);
    expect(vault.Subject).toMatch(
      /^AWS Backup DeleteBackupVaultAccessPolicy called on backup vault prod-dynamodb in account /,
    );
    expect(vault.Message).toContain("\n    AWS Backup API: DeleteBackupVaultAccessPolicy\n");
  });

  it("names a KMS key by the id the caller passed when CloudTrail lists no resources", async () => {
    const event = loadEvent("disable-key");
    delete event.detail.resources;
    const input = await publishedFor(event);
    expect(input.Subject).toBe(`KMS key 1234abcd in account 111122223333 disabled by ${ROLE}`);
  });
});

describe("deletion-alert handler: publishing", () => {
  it.each([undefined, "", "   "])("refuses to run with TOPIC_ARN=%p and explains the fix", async (value) => {
    if (value === undefined) delete process.env.TOPIC_ARN;
    else process.env.TOPIC_ARN = value;

    await expect(handler(loadEvent("jane-delete-table"))).rejects.toThrow(
      "TOPIC_ARN environment variable is not set: set it to the ARN of the SNS topic that receives " +
        "DynamoDB alerts (the ddb-guardrails stack sets it on this function).",
    );
    expect(snsMock).not.toHaveReceivedCommand(PublishCommand);
  });

  it("reads TOPIC_ARN on every invocation", async () => {
    const otherTopic = "arn:aws:sns:eu-west-1:111122223333:SecurityAlerts";
    await handler(loadEvent("jane-delete-table"));
    process.env.TOPIC_ARN = otherTopic;
    await handler(loadEvent("jane-delete-table"));

    expect(snsMock).toHaveReceivedNthSpecificCommandWith(1, PublishCommand, { TopicArn: TOPIC_ARN });
    expect(snsMock).toHaveReceivedNthSpecificCommandWith(2, PublishCommand, { TopicArn: otherTopic });
  });

  it("lets an SNS failure fail the invocation so EventBridge retries it", async () => {
    snsMock.on(PublishCommand).rejects(new Error("Throttling: Rate exceeded"));

    await expect(handler(loadEvent("jane-delete-table"))).rejects.toThrow("Throttling: Rate exceeded");
  });
});
