import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { PublishCommandInput } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import {
  buildAlertMessage,
  MAX_MESSAGE_BYTES,
  MAX_SUBJECT_LENGTH,
  sanitizeSubject,
} from "../../functions/deletion-alert/alert-message";
import type { DynamoDbApiCallEvent } from "../../functions/deletion-alert/alert-message";
import { handler } from "../../functions/deletion-alert/handler";

const SNS_MESSAGE_LIMIT_BYTES = 262_144;
const PROCESSED_AT = new Date("2024-05-14T09:30:01.000Z");
const ORDERS_ARN = "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";

const snsMock = mockClient(SNSClient);
const originalTopicArn = process.env.TOPIC_ARN;

beforeEach(() => {
  snsMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: "edge-case-message" });
  process.env.TOPIC_ARN = "arn:aws:sns:us-east-1:111122223333:EmailDelivery";
  jest.useFakeTimers().setSystemTime(PROCESSED_AT);
});

afterEach(() => {
  jest.useRealTimers();
  if (originalTopicArn === undefined) delete process.env.TOPIC_ARN;
  else process.env.TOPIC_ARN = originalTopicArn;
});

function loadEvent(name: string): DynamoDbApiCallEvent {
  const file = join(__dirname, "..", "fixtures", "deletion-alert", `${name}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as DynamoDbApiCallEvent;
}

async function publishedFor(event: DynamoDbApiCallEvent): Promise<PublishCommandInput> {
  await handler(event);
  expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
  return snsMock.commandCalls(PublishCommand)[0].args[0].input;
}

function utf8Bytes(text: string | undefined): number {
  return Buffer.byteLength(text ?? "", "utf8");
}

describe("deletion-alert: missing fields degrade to readable text", () => {
  it("falls back to the user name, an unknown account and an unknown table, with no parameters", async () => {
    const input = await publishedFor(loadEvent("missing-fields"));

    expect(input.Subject).toBe("An unknown table in account an unknown account deleted by Carol");
    expect(input.Message).toBe(
      [
        "Event processed at 2024-05-14T09:30:01.000Z",
        "",
        "Carol deleted an unknown table in account an unknown account",
        "",
        "API Invocation details:",
        "    DynamoDB API: DeleteTable",
        "    Invoked by: Carol",
        "    Parameters:",
        "        None",
        "",
      ].join("\n"),
    );
  });

  it("falls back to the principal id when there is no user name either", async () => {
    const event = loadEvent("missing-fields");
    delete event.detail.userIdentity?.userName;

    const input = await publishedFor(event);

    expect(input.Subject).toBe(
      "An unknown table in account an unknown account deleted by AIDAEXAMPLECAROL0001",
    );
    expect(input.Message).toContain("\n    Invoked by: AIDAEXAMPLECAROL0001\n");
  });

  it("names an unknown principal when the identity says nothing", async () => {
    const event = loadEvent("missing-fields");
    event.detail.userIdentity = null;
    event.detail.errorMessage = "Requested resource not found";

    const input = await publishedFor(event);

    expect(input.Subject).toBe(
      "Attempted delete of DynamoDB table in account an unknown account by an unknown principal",
    );
    expect(input.Message?.split("\n").slice(2, 10)).toEqual([
      "It appears that an unknown principal attempted to delete a table which failed with the error message:",
      "",
      "    Requested resource not found",
      "",
      "API Invocation details:",
      "    DynamoDB API: DeleteTable",
      "    Invoked by: an unknown principal",
      "    Parameters:",
    ]);
  });

  it("uses the ARN's sixth field for the invoker and keeps the ARN in the details", async () => {
    const event = loadEvent("missing-fields");
    event.detail.userIdentity = {
      arn: "arn:aws:sts::111122223333:assumed-role/ApplicationRole/worker70",
      accountId: "111122223333",
      userName: "ignored-when-an-arn-exists",
    };
    event.detail.requestParameters = { tableName: "Orders" };

    const input = await publishedFor(event);

    expect(input.Subject).toBe(
      "Table Orders in account 111122223333 deleted by assumed-role/ApplicationRole/worker70",
    );
    expect(input.Message).toContain(
      "\n    Invoked by: arn:aws:sts::111122223333:assumed-role/ApplicationRole/worker70\n",
    );
  });

  it.each([
    ["null", null],
    ["absent", undefined],
    ["empty", {}],
  ])("prints None when requestParameters is %s", (_label, requestParameters) => {
    const event = loadEvent("jane-delete-table");
    event.detail.requestParameters = requestParameters;

    const { subject, message } = buildAlertMessage(event.detail, PROCESSED_AT);

    expect(subject).toBe("An unknown table in account 676190956703 deleted by user/Jane");
    expect(message.endsWith("\n    Parameters:\n        None\n")).toBe(true);
  });

  it("treats an errorCode without an errorMessage as a failure and shows the code", () => {
    const event = loadEvent("jane-delete-table");
    event.detail.errorCode = "ResourceInUseException";

    const { subject, message } = buildAlertMessage(event.detail, PROCESSED_AT);

    expect(subject).toBe("Attempted delete of DynamoDB table in account 676190956703 by user/Jane");
    expect(message.split("\n").slice(2, 5)).toEqual([
      "It appears that user/Jane attempted to delete a table which failed with the error message:",
      "",
      "    ResourceInUseException",
    ]);
  });

  it("indents every line of a multi-line error message", () => {
    const event = loadEvent("bob-delete-table-denied");
    event.detail.errorMessage = "first line\nsecond line";

    const { message } = buildAlertMessage(event.detail, PROCESSED_AT);

    expect(message).toContain(
      "error message:\n\n    first line\n    second line\n\nAPI Invocation details:\n",
    );
  });

  it.each(["constructor", "__proto__", "toString"])(
    "treats the event name %s as an unknown API, not an object property",
    (eventName) => {
      const event = loadEvent("jane-delete-table");
      event.detail.eventName = eventName;

      const { subject, message } = buildAlertMessage(event.detail, PROCESSED_AT);

      expect(subject).toBe(
        `DynamoDB ${eventName} called on table JanesTable in account 676190956703 by user/Jane`,
      );
      expect(message.split("\n")[2]).toBe(
        `user/Jane called ${eventName} on the table JanesTable in account 676190956703`,
      );
    },
  );

  it("builds an alert even from an event without a detail", () => {
    expect(buildAlertMessage(undefined, PROCESSED_AT)).toEqual({
      subject:
        "An unknown DynamoDB API called on a DynamoDB resource in account an unknown account by an unknow...",
      message: [
        "Event processed at 2024-05-14T09:30:01.000Z",
        "",
        "an unknown principal called an unknown API on a DynamoDB resource in account an unknown account",
        "",
        "API Invocation details:",
        "    DynamoDB API: an unknown API",
        "    Invoked by: an unknown principal",
        "    Parameters:",
        "        None",
        "",
      ].join("\n"),
    });
  });
});

describe("deletion-alert: SNS subject rules", () => {
  it("truncates a long subject to 99 characters ending in ...", async () => {
    const event = loadEvent("jane-delete-table");
    const longName = `Orders_${"x".repeat(248)}`;
    event.detail.requestParameters = { tableName: longName };

    const input = await publishedFor(event);

    expect(input.Subject).toBe(`Table ${longName}`.slice(0, 96) + "...");
    expect(input.Subject).toHaveLength(MAX_SUBJECT_LENGTH);
    expect(outcomeContains(input.Message, longName)).toBe(true);
  });

  it("replaces control characters and line breaks in the subject with single spaces", async () => {
    const event = loadEvent("jane-delete-table");
    event.detail.requestParameters = { tableName: "Janes\r\nBcc: attacker@example.com\t\u0007\u2028Table" };

    const input = await publishedFor(event);

    expect(input.Subject).toBe(
      "Table Janes Bcc: attacker@example.com Table in account 676190956703 deleted by user/Jane",
    );
    expect(input.Subject).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
  });

  it("leaves a subject of exactly 99 characters alone and cuts one of 100", () => {
    const exact = "a".repeat(MAX_SUBJECT_LENGTH);

    expect(sanitizeSubject(exact)).toBe(exact);
    expect(sanitizeSubject(`${exact}b`)).toBe(`${"a".repeat(96)}...`);
  });

  it("never splits a surrogate pair when truncating", () => {
    const subject = sanitizeSubject(`${"a".repeat(95)}\u{1F525}\u{1F525}tail`);

    expect(subject).toBe(`${"a".repeat(95)}...`);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
  });
});

describe("deletion-alert: SNS message size", () => {
  it("cuts oversized parameters by UTF-8 bytes and says so", async () => {
    // 100,000 three-byte characters: well under the limit in UTF-16 units, far over it in bytes.
    const event = loadEvent("put-resource-policy");
    event.detail.requestParameters = { resourceArn: ORDERS_ARN, policy: "\u20ac".repeat(100_000) };

    const small = loadEvent("put-resource-policy");
    small.detail.requestParameters = { resourceArn: ORDERS_ARN, policy: "\u20ac" };
    const fullSize = utf8Bytes(buildAlertMessage(small.detail, PROCESSED_AT).message) + 3 * 99_999;

    const input = await publishedFor(event);
    const message = input.Message ?? "";

    expect(fullSize).toBeGreaterThan(SNS_MESSAGE_LIMIT_BYTES);
    expect(message.length).toBeLessThan(SNS_MESSAGE_LIMIT_BYTES);
    expect(utf8Bytes(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(MAX_MESSAGE_BYTES).toBeLessThan(SNS_MESSAGE_LIMIT_BYTES);
    expect(message).toContain(
      `\n    Parameters:\n        resourceArn: ${ORDERS_ARN}\n        policy: \u20ac\u20ac`,
    );
    expect(message).not.toContain("\uFFFD");
    expect(
      message.endsWith(
        `\u20ac\n        [Parameters truncated: the full message was ${fullSize} bytes, over the 256 KiB SNS limit.]\n`,
      ),
    ).toBe(true);
    expect(input.Subject).toBe(
      "Resource policy of table Orders in account 111122223333 replaced by user/Alice",
    );
  });

  it("keeps a message that fits untouched", () => {
    const event = loadEvent("put-resource-policy");
    event.detail.requestParameters = { policy: "p".repeat(200_000) };

    const { message } = buildAlertMessage(event.detail, PROCESSED_AT);

    expect(message.endsWith(`        policy: ${"p".repeat(200_000)}\n`)).toBe(true);
    expect(message).not.toContain("[Parameters truncated");
  });

  it("replaces unpaired surrogates, which cannot be sent as UTF-8", () => {
    const event = loadEvent("jane-delete-table");
    event.detail.requestParameters = { tableName: "Bad\uD800Name" };

    const { subject, message } = buildAlertMessage(event.detail, PROCESSED_AT);

    expect(subject).toBe("Table Bad\uFFFDName in account 676190956703 deleted by user/Jane");
    expect(message).toContain("        tableName: Bad\uFFFDName\n");
  });
});

function outcomeContains(message: string | undefined, text: string): boolean {
  return message?.split("\n")[2]?.includes(text) ?? false;
}
