import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { accountRootArn, viaService, type DeploymentTarget } from "./iam/arns";
import type { Grantee } from "./iam/role";
import { PolicyDocument, type Conditions, type PolicyStatement } from "./iam/policy-document";

/*
 * Key administration without key use. `kms:CreateGrant` is deliberately absent: an administrator who
 * can create grants can grant themselves Decrypt and read the data the key protects.
 */
const ADMINISTRATION_ACTIONS = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:UpdateKeyDescription",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:EnableKeyRotation",
  "kms:DisableKeyRotation",
  "kms:RotateKeyOnDemand",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:RevokeGrant",
  "kms:RetireGrant",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
];

/** What a service needs to encrypt and decrypt on a caller's behalf. */
export const ENCRYPT_DECRYPT_ACTIONS = [
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:GenerateDataKey*",
  "kms:ReEncrypt*",
  "kms:DescribeKey",
];
export const DECRYPT_ACTIONS = ["kms:Decrypt", "kms:DescribeKey"];

export interface EncryptionKeyProps {
  target: DeploymentTarget;
  /** Alias name without the `alias/` prefix, e.g. `dev/dynamodb/ProductCatalog`. */
  alias: string;
  description: string;
  /** Days KMS waits before deleting the key once scheduled (7-30). */
  deletionWindowDays: number;
  /** Explicit tags: policies require owner, environment and data-classification on every key. */
  tags: Record<string, string>;
  /**
   * The provider for another region (a replica's key must live in the replica's region); target.region
   * must then be that region, so kms:ViaService names the service endpoint there. Default: the stack's.
   */
  provider?: TerraformProvider;
}

/**
 * A customer-managed KMS key with rotation on. The account root administers it but cannot use it
 * directly: use is granted per service (`kms:ViaService`) or per service principal, so the key
 * policy never has `Principal: "*"`.
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  private readonly policy: PolicyDocument;
  private readonly target: DeploymentTarget;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    this.target = props.target;
    this.policy = new PolicyDocument({
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: accountRootArn(props.target) },
      Action: ADMINISTRATION_ACTIONS,
      Resource: "*",
    });
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: props.deletionWindowDays,
      policy: this.policy.render(),
      tags: props.tags,
      provider: props.provider,
    });
    new KmsAlias(this, "alias", {
      name: `alias/${props.alias}`,
      targetKeyId: this.key.keyId,
      provider: props.provider,
    });
  }

  get arn(): string {
    return this.key.arn;
  }

  /**
   * Key-policy side: principals of this account may use the key, but only through `services`
   * (e.g. DynamoDB); what each principal may do is then up to its IAM policies.
   */
  allowAccountUseThrough(sid: string, services: string[], actions: string[] = ENCRYPT_DECRYPT_ACTIONS): void {
    this.policy.addStatements({
      Sid: sid,
      Effect: "Allow",
      Principal: { AWS: accountRootArn(this.target) },
      Action: actions,
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:ViaService": services.map((service) => viaService(service, this.target)),
          "kms:CallerAccount": this.target.accountId,
        },
      },
    });
  }

  /** Key-policy side: an AWS service principal (logs, cloudtrail, events) may use the key, scoped by `conditions`. */
  allowServicePrincipal(
    sid: string,
    servicePrincipal: string,
    actions: string[],
    conditions?: Conditions,
  ): void {
    const statement: PolicyStatement = {
      Sid: sid,
      Effect: "Allow",
      Principal: { Service: servicePrincipal },
      Action: actions,
      Resource: "*",
    };
    if (conditions) statement.Condition = conditions;
    this.policy.addStatements(statement);
  }

  /** Identity side: lets `grantee` use this key, only when `service` calls KMS for it. */
  grantUseThrough(
    grantee: Grantee,
    sid: string,
    service: string,
    actions: string[] = ENCRYPT_DECRYPT_ACTIONS,
  ): void {
    grantee.addToPrincipalPolicy({
      Sid: sid,
      Effect: "Allow",
      Action: actions,
      Resource: this.arn,
      Condition: { StringEquals: { "kms:ViaService": viaService(service, this.target) } },
    });
  }
}
