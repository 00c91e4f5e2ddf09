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
  | "put-resource-policy";

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
    event.detail.eventName = "UpdateTimeToLive";

    const input = await publishedFor(event);

    expect(input.Subject).toBe(
      `Attempted call of DynamoDB UpdateTimeToLive in account 111122223333 by ${ALICE}`,
    );
    expect(outcomeLine(input.Message)).toBe(
      `It appears that ${ALICE} attempted to call UpdateTimeToLive on a DynamoDB resource which failed` +
        " with the error message:",
    );
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
