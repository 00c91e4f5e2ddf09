import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { Construct } from "constructs";

export interface PrivateBucketProps {
  bucketName: string;
  /** The customer-managed key that encrypts every object by default (with an S3 bucket key). */
  encryptionKeyArn: string;
  tags?: Record<string, string>;
}

/**
 * A bucket nobody outside the account can reach and nothing can be lost from: public access blocked,
 * ACLs off (the bucket owner owns every object), versioning on, and objects encrypted by default with a
 * customer-managed key. The resources are created in `scope` under fixed ids, so the constructs that
 * use it keep the addresses they had when they wrote these blocks themselves. The bucket policy is
 * the caller's: who may write differs for every bucket.
 */
export function privateBucket(scope: Construct, props: PrivateBucketProps): S3Bucket {
  const bucket = new S3Bucket(scope, "bucket", {
    bucket: props.bucketName,
    ...(props.tags !== undefined ? { tags: props.tags } : {}),
  });
  new S3BucketPublicAccessBlock(scope, "public-access-block", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, "ownership", {
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  });
  // Versioning keeps overwritten or deleted objects recoverable.
  new S3BucketVersioningA(scope, "versioning", {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  });
  new S3BucketServerSideEncryptionConfigurationA(scope, "encryption", {
    bucket: bucket.id,
    rule: [
      {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: "aws:kms",
          kmsMasterKeyId: props.encryptionKeyArn,
        },
        bucketKeyEnabled: true,
      },
    ],
  });
  return bucket;
}
