import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Construct } from "constructs";
import { privateBucket } from "./private-bucket";
import { DECRYPT_ACTIONS, EncryptionKey } from "./encryption-key";
import type { DeploymentTarget } from "./iam/arns";
import { denyInsecureTransport, PolicyDocument } from "./iam/policy-document";
import type { Grantee } from "./iam/role";

export interface StateBucketProps {
  target: DeploymentTarget;
  bucketName: string;
  /** Alias name of the bucket's key, without `alias/`. */
  keyAlias: string;
  /** Tags for the key (owner, environment and data-classification are required on keys). */
  tags: Record<string, string>;
}

/** One environment's state object, and the lock file S3-native locking writes beside it. */
export interface StateObject {
  key: string;
}

/**
 * The bucket Terraform keeps every environment's state in: state holds secrets in plain text, so it
 * is encrypted with its own customer-managed key, versioned (a bad apply's state can be restored),
 * private, owned by the account alone and reachable only over TLS. Locks are S3-native lock files
 * (`<key>.tflock`, Terraform >= 1.10) beside each state object, so no DynamoDB lock table exists.
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const { target } = props;
    this.encryptionKey = new EncryptionKey(this, "key", {
      target,
      alias: props.keyAlias,
      description: `Encrypts Terraform state in s3://${props.bucketName}`,
      deletionWindowDays: 30,
      tags: props.tags,
    });
    // Principals of the account use the key only through S3; their IAM policies say for which objects.
    this.encryptionKey.allowAccountUseThrough("AccountUsesKeyThroughS3", ["s3"]);

    this.bucket = privateBucket(this, {
      bucketName: props.bucketName,
      encryptionKeyArn: this.encryptionKey.arn,
      tags: props.tags,
    });
    const everything = [this.bucket.arn, `${this.bucket.arn}/*`];
    new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: new PolicyDocument(
        denyInsecureTransport("s3:*", everything),
        {
          Sid: "DenyOtherAccounts",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: everything,
          Condition: { StringNotEquals: { "aws:PrincipalAccount": target.accountId } },
        },
        {
          // A backend without kms_key_id asks for SSE-S3, which would bypass the bucket's key.
          Sid: "DenyStateWithoutTheBucketKey",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:PutObject",
          Resource: `${this.bucket.arn}/*`,
          Condition: { StringEquals: { "s3:x-amz-server-side-encryption": "AES256" } },
        },
      ).render(),
    });
  }

  get arn(): string {
    return this.bucket.arn;
  }

  /** List the state object and its lock file, and nothing else of the bucket. */
  private grantList(grantee: Grantee, sidPrefix: string, state: StateObject): void {
    grantee.addToPrincipalPolicy({
      Sid: `${sidPrefix}ListsItsState`,
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: this.bucket.arn,
      Condition: { StringEquals: { "s3:prefix": [state.key, `${state.key}.tflock`] } },
    });
  }

  /** Read one state object: what `terraform plan -lock=false` needs. */
  grantRead(grantee: Grantee, sidPrefix: string, state: StateObject): void {
    this.grantList(grantee, sidPrefix, state);
    grantee.addToPrincipalPolicy({
      Sid: `${sidPrefix}ReadsItsState`,
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `${this.bucket.arn}/${state.key}`,
    });
    this.encryptionKey.grantUseThrough(grantee, `${sidPrefix}DecryptsState`, "s3", DECRYPT_ACTIONS);
  }

  /** Read and write one state object and take its lock: what `terraform apply` needs. */
  grantReadWrite(grantee: Grantee, sidPrefix: string, state: StateObject): void {
    this.grantList(grantee, sidPrefix, state);
    grantee.addToPrincipalPolicy({
      Sid: `${sidPrefix}WritesItsState`,
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: `${this.bucket.arn}/${state.key}`,
    });
    grantee.addToPrincipalPolicy({
      Sid: `${sidPrefix}TakesItsLock`,
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${this.bucket.arn}/${state.key}.tflock`,
    });
    this.encryptionKey.grantUseThrough(grantee, `${sidPrefix}EncryptsState`, "s3", [
      "kms:Decrypt",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:DescribeKey",
    ]);
  }
}
