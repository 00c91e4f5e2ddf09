import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { partitionOf, type DeploymentTarget } from "./iam/arns";
import { EncryptionKey } from "./encryption-key";

/** One global-table replica: its region and the customer-managed key it is encrypted with there. */
export interface TableReplica {
  region: string;
  encryptionKey: EncryptionKey;
}

/**
 * The role DynamoDB replicates global tables as (created by DynamoDB with the first global table).
 * A resource policy that denies it stops replication; after 20 hours in REPLICATION_NOT_AUTHORIZED a
 * replica is irreversibly converted to a single-Region table.
 */
export function replicationServiceLinkedRoleArn(target: DeploymentTarget): string {
  return `arn:${partitionOf(target.region)}:iam::${target.accountId}:role/aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication`;
}

export interface ReplicaRegionProps {
  target: DeploymentTarget;
  region: string;
  /** The same default tags as the stack's own provider, so replica keys are tagged alike. */
  defaultTags: Record<string, string>;
}

/**
 * A provider for one replica region (alias = the region name), and the per-table keys created there.
 * DynamoDB requires a replica's key to be in the replica's region, so every table gets one key per
 * region rather than a key shared across regions.
 */
export class ReplicaRegion extends Construct {
  readonly provider: AwsProvider;
  readonly target: DeploymentTarget;

  constructor(scope: Construct, id: string, props: ReplicaRegionProps) {
    super(scope, id);
    this.target = { ...props.target, region: props.region };
    this.provider = new AwsProvider(this, "provider", {
      alias: props.region.replace(/-/g, "_"),
      region: props.region,
      allowedAccountIds: [props.target.accountId],
      defaultTags: [{ tags: props.defaultTags }],
    });
  }

  /** A customer-managed key in this region for one table's replica, its policy like the table key's. */
  tableKey(
    scope: Construct,
    id: string,
    props: { alias: string; description: string; deletionWindowDays: number; tags: Record<string, string> },
  ): EncryptionKey {
    return new EncryptionKey(scope, id, { ...props, target: this.target, provider: this.provider });
  }
}
