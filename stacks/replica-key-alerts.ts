import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import { apiCallPattern, KMS_KEY_ALERT_EVENTS } from "./iam/alerted-events";
import { eventRuleArn, partitionOf, type DeploymentTarget } from "./iam/arns";
import { PolicyDocument } from "./iam/policy-document";
import { Role } from "./iam/role";
import { keyAlertForwarderRoleName } from "./iam/role-names";
import type { ReplicaRegion } from "./table-replicas";

export interface ReplicaKeyAlertsProps {
  /** Where the alert function runs: the environment's own region. */
  target: DeploymentTarget;
  namePrefix: string;
  /** The replica region, with its provider. */
  region: ReplicaRegion;
  /** The replicas' keys in that region. */
  keyArns: string[];
}

/** The default event bus of a region: where EventBridge delivers the events of that region. */
export function defaultEventBusArn(target: DeploymentTarget): string {
  return `arn:${partitionOf(target.region)}:events:${target.region}:${target.accountId}:event-bus/default`;
}

/**
 * EventBridge rules see only their own region's events, and a replica's key lives in the replica's
 * region: scheduling its deletion there would alert nobody. A rule in that region matches the same KMS
 * calls on the replicas' keys and forwards them to the default bus of the environment's region, where
 * the alert rule (which lists these keys too) hands them to the alert function.
 */
export class ReplicaKeyAlerts extends Construct {
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: ReplicaKeyAlertsProps) {
    super(scope, id);
    const replicaTarget = props.region.target;
    const ruleName = `${props.namePrefix}-dynamodb-key-changes-${replicaTarget.region}`;
    this.rule = new CloudwatchEventRule(this, "rule", {
      provider: props.region.provider,
      name: ruleName,
      description: `Deletion, disabling or a new key policy of the replicas' KMS keys in ${replicaTarget.region}, forwarded to ${props.target.region} (from CloudTrail)`,
      eventPattern: apiCallPattern("aws.kms", "kms.amazonaws.com", KMS_KEY_ALERT_EVENTS, {
        resources: { ARN: props.keyArns },
      }),
    });
    const alertBus = defaultEventBusArn(props.target);
    const forwarder = new Role(this, "forwarder", {
      name: keyAlertForwarderRoleName(props.namePrefix, replicaTarget.region),
      description: `EventBridge forwards the replica keys' events from ${replicaTarget.region} to ${props.target.region}`,
      trustPolicy: new PolicyDocument({
        Sid: "ThisRuleForwards",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": props.target.accountId },
          ArnEquals: { "aws:SourceArn": eventRuleArn(replicaTarget, ruleName) },
        },
      }),
    });
    forwarder.addToPrincipalPolicy({
      Sid: "ForwardToTheAlertRegion",
      Effect: "Allow",
      Action: "events:PutEvents",
      Resource: alertBus,
    });
    new CloudwatchEventTarget(this, "target", {
      provider: props.region.provider,
      rule: this.rule.name,
      targetId: "alert-region-event-bus",
      arn: alertBus,
      roleArn: forwarder.arn,
    });
  }
}
