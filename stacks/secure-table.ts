import { DynamodbResourcePolicy } from "@cdktf/provider-aws/lib/dynamodb-resource-policy";
import {
  DynamodbTable,
  type DynamodbTableGlobalSecondaryIndex,
} from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import type { GrantConfig, LeadingKeysConfig, OnDemandThroughputConfig, TableConfig } from "../config/schema";
import { DECRYPT_ACTIONS, ENCRYPT_DECRYPT_ACTIONS, type EncryptionKey } from "./encryption-key";
import { ITEM_READ_ACTIONS, ITEM_WRITE_ACTIONS, TABLE_DATA_ACTIONS } from "./iam/dynamodb-actions";
import { mergeConditions, PolicyDocument, type Conditions } from "./iam/policy-document";
import type { DeploymentTarget } from "./iam/arns";
import type { Grantee } from "./iam/role";
import { replicationServiceLinkedRoleArn, type TableReplica } from "./table-replicas";

export interface SecureTableProps {
  table: TableConfig;
  /** Encrypts the table, its indexes, streams and backups. Never the AWS-owned or `aws/dynamodb` key. */
  encryptionKey: EncryptionKey;
  /**
   * The only VPC endpoints data-plane calls may arrive through (the gateway endpoint, and the interface
   * endpoint when there is one); the table's resource policy denies the rest.
   */
  vpcEndpointIds: string[];
  /** Global-table replicas, each with a key of its own region. Default: none. */
  replicas?: TableReplica[];
  /** Where the table lives: names the replication service-linked role the resource policy must never deny. */
  target: DeploymentTarget;
  /** Explicit tags: policies require owner, environment and data-classification on every table. */
  tags: Record<string, string>;
}

/**
 * Return values a write may ask for. ALL_OLD and ALL_NEW would echo attributes outside the team's
 * list (a PutItem over someone else's item returns all of it), so only the updated ones are allowed.
 */
const SAFE_RETURN_VALUES = ["NONE", "UPDATED_OLD", "UPDATED_NEW"];

function leadingKeyConditions(keys: LeadingKeysConfig): Conditions {
  // ForAllValues: every key in the request must match; ForAnyValue would let a batch smuggle in others.
  if ("numericRange" in keys) {
    return {
      "ForAllValues:NumericGreaterThanEquals": { "dynamodb:LeadingKeys": String(keys.numericRange.min) },
      "ForAllValues:NumericLessThanEquals": { "dynamodb:LeadingKeys": String(keys.numericRange.max) },
    };
  }
  if ("prefix" in keys) return { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": `${keys.prefix}*` } };
  return { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": keys.values } };
}

/** DynamoDB's on_demand_throughput block: request-unit ceilings for an on-demand table or index. */
function onDemandCeilings(ceilings: OnDemandThroughputConfig | undefined) {
  if (ceilings === undefined) return {};
  return {
    onDemandThroughput: {
      maxReadRequestUnits: ceilings.maxReadRequestUnits,
      maxWriteRequestUnits: ceilings.maxWriteRequestUnits,
    },
  };
}

/** A single condition value stays a string, so single-endpoint policies read as before. */
function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}

function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join("");
}

/**
 * A DynamoDB table the way the talk recommends it: encrypted with a customer-managed key,
 * point-in-time recovery and deletion protection on, and data reachable only through the
 * environment's VPC endpoint.
 */
export class SecureTable extends Construct {
  readonly table: DynamodbTable;
  readonly config: TableConfig;
  readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: SecureTableProps) {
    super(scope, id);
    const { table: config } = props;
    this.config = config;
    this.encryptionKey = props.encryptionKey;
    for (const key of [this.encryptionKey, ...(props.replicas ?? []).map((r) => r.encryptionKey)]) {
      key.allowAccountUseThrough(
        "AccountUsesKeyThroughDynamoDb",
        ["dynamodb"],
        [...ENCRYPT_DECRYPT_ACTIONS, "kms:CreateGrant"],
      );
      // DynamoDB describes the key itself to validate it and report its state.
      key.allowServicePrincipal("DynamoDbDescribesKey", "dynamodb.amazonaws.com", [
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:ListGrants",
      ]);
    }

    this.table = new DynamodbTable(this, "table", {
      name: config.name,
      hashKey: config.partitionKey.name,
      rangeKey: config.sortKey?.name,
      attribute: this.keyAttributes(),
      billingMode: config.billing.mode,
      ...(config.billing.mode === "PROVISIONED"
        ? { readCapacity: config.billing.readCapacity, writeCapacity: config.billing.writeCapacity }
        : {}),
      globalSecondaryIndex: config.globalSecondaryIndexes.map((index): DynamodbTableGlobalSecondaryIndex => {
        const projection = index.projection;
        return {
          name: index.name,
          hashKey: index.partitionKey.name,
          rangeKey: index.sortKey?.name,
          projectionType: typeof projection === "string" ? projection : "INCLUDE",
          nonKeyAttributes: typeof projection === "string" ? undefined : projection.include,
          ...(config.billing.mode === "PROVISIONED"
            ? { readCapacity: config.billing.readCapacity, writeCapacity: config.billing.writeCapacity }
            : {}),
          ...onDemandCeilings(index.onDemandThroughput ?? config.onDemandThroughput),
        };
      }),
      streamEnabled: config.stream !== undefined,
      streamViewType: config.stream,
      serverSideEncryption: { enabled: true, kmsKeyArn: this.encryptionKey.arn },
      // A replica does not inherit the table's protections: each one gets its own key, PITR and
      // deletion protection, and the table's tags.
      replica: (props.replicas ?? []).map((replica) => ({
        regionName: replica.region,
        kmsKeyArn: replica.encryptionKey.arn,
        pointInTimeRecovery: config.pointInTimeRecovery,
        deletionProtectionEnabled: config.deletionProtection,
        propagateTags: true,
      })),
      pointInTimeRecovery: {
        enabled: config.pointInTimeRecovery,
        ...(config.pointInTimeRecovery ? { recoveryPeriodInDays: config.pointInTimeRecoveryDays } : {}),
      },
      ...onDemandCeilings(config.onDemandThroughput),
      deletionProtectionEnabled: config.deletionProtection,
      tags: props.tags,
    });

    const resourcePolicy = new PolicyDocument({
      // Control-plane calls are left alone so deployments (and this policy's own updates) keep working.
      // Streams have their own resource policy; their readers are mostly Lambda triggers, outside any VPC.
      Sid: "DenyDataAccessOutsideVpcEndpoint",
      Effect: "Deny",
      Principal: "*",
      Action: [...TABLE_DATA_ACTIONS],
      Resource: [this.table.arn, `${this.table.arn}/index/*`],
      Condition: {
        StringNotEquals: { "aws:SourceVpce": oneOrMany(props.vpcEndpointIds) },
        // Replication runs as this role, never through an endpoint; denying it would stop a replica
        // for good after 20 hours (REPLICATION_NOT_AUTHORIZED). Only DynamoDB can assume it.
        ArnNotEquals: { "aws:PrincipalArn": replicationServiceLinkedRoleArn(props.target) },
      },
    });
    new DynamodbResourcePolicy(this, "resource-policy", {
      resourceArn: this.table.arn,
      policy: resourcePolicy.render(),
    });
  }

  get arn(): string {
    return this.table.arn;
  }

  get name(): string {
    return this.config.name;
  }

  /** ARNs of the table, its indexes and streams: what an endpoint policy must let through. */
  get dataResourceArns(): string[] {
    return [this.arn, `${this.arn}/index/*`, `${this.arn}/stream/*`];
  }

  /**
   * Fine-grained item access as in the talk's Alice and Bob policies, with its gaps closed:
   * - reads pin `dynamodb:Select` to SPECIFIC_ATTRIBUTES, since a request without a projection
   *   otherwise returns every attribute despite the `dynamodb:Attributes` limit;
   * - writes may not ask for ALL_OLD / ALL_NEW return values;
   * - no Scan or PartiQL, which name no partition key and so pass any leading-key condition;
   * - every call must come through the environment's VPC endpoint;
   * - the table key may be used only by DynamoDB on the caller's behalf (`kms:ViaService`).
   */
  grantItemAccess(grantee: Grantee, grant: GrantConfig, vpcEndpointIds: string[]): void {
    const vpcEndpointId = oneOrMany(vpcEndpointIds);
    const statementPrefix = pascalCase(this.config.name);
    const resources = [this.arn, ...grant.indexes.map((index) => `${this.arn}/index/${index}`)];
    const itemScope = mergeConditions(leadingKeyConditions(grant.leadingKeys), {
      "ForAllValues:StringEquals": { "dynamodb:Attributes": grant.attributes },
    });
    grantee.addToPrincipalPolicy({
      Sid: `Read${statementPrefix}Items`,
      Effect: "Allow",
      Action: [...ITEM_READ_ACTIONS],
      Resource: resources,
      Condition: mergeConditions(itemScope, {
        StringEquals: { "dynamodb:Select": "SPECIFIC_ATTRIBUTES", "aws:SourceVpce": vpcEndpointId },
      }),
    });
    if (grant.access === "read-write") {
      grantee.addToPrincipalPolicy({
        Sid: `Write${statementPrefix}Items`,
        Effect: "Allow",
        Action: [...ITEM_WRITE_ACTIONS],
        Resource: [this.arn],
        Condition: mergeConditions(itemScope, {
          StringEquals: { "aws:SourceVpce": vpcEndpointId },
          StringEqualsIfExists: { "dynamodb:ReturnValues": SAFE_RETURN_VALUES },
        }),
      });
    }
    this.encryptionKey.grantUseThrough(
      grantee,
      `Use${statementPrefix}KeyThroughDynamoDb`,
      "dynamodb",
      grant.access === "read-write" ? ENCRYPT_DECRYPT_ACTIONS : DECRYPT_ACTIONS,
    );
  }

  private keyAttributes(): { name: string; type: string }[] {
    const keys = [
      this.config.partitionKey,
      this.config.sortKey,
      ...this.config.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ].filter((key): key is NonNullable<typeof key> => key !== undefined);
    const byName = new Map(keys.map((key) => [key.name, key.type]));
    return [...byName].map(([name, type]) => ({ name, type }));
  }
}
