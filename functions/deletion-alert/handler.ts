import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { DynamoDbApiCallEvent } from "./alert-message";
import { buildAlertMessage } from "./alert-message";

// Created once so warm invocations reuse its connections; the default configuration picks up the
// Lambda's AWS_REGION and, in tests or local stacks, AWS_ENDPOINT_URL_SNS.
const sns = new SNSClient({});

export interface AlertResult {
  messageId: string | undefined;
}

/** Publishes an email-ready alert for one DynamoDB API call matched by the EventBridge rule. */
export const handler = async (event: DynamoDbApiCallEvent): Promise<AlertResult> => {
  const topicArn = topicArnFromEnvironment();
  const { subject, message } = buildAlertMessage(event.detail, new Date());
  const response = await sns.send(
    new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }),
  );
  return { messageId: response.MessageId };
};

// Read per invocation, not at module load, so a missing value fails with this explanation
// instead of an opaque init error.
function topicArnFromEnvironment(): string {
  const topicArn = process.env.TOPIC_ARN?.trim();
  if (topicArn === undefined || topicArn === "") {
    throw new Error(
      "TOPIC_ARN environment variable is not set: set it to the ARN of the SNS topic that receives " +
        "DynamoDB alerts (the ddb-guardrails stack sets it on this function).",
    );
  }
  return topicArn;
}
