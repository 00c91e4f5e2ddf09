import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Construct } from "constructs";
import { privateBucket } from "./private-bucket";
import type { EncryptionKey } from "./encryption-key";
import { cloudTrailArn, partitionOf, type DeploymentTarget } from "./iam/arns";
import { denyInsecureTransport, PolicyDocument } from "./iam/policy-document";

export interface AuditTrailProps {
  target: DeploymentTarget;
  /** Prefix for the trail and bucket names, e.g. the environment name. */
  namePrefix: string;
  /** Encrypts the log files and the bucket. */
  encryptionKey: EncryptionKey;
  /**
   * Tables whose item-level calls (GetItem, PutItem, …) are also recorded. CloudTrail records
   * control-plane calls always; data events are billed per call.
   * @default none
   */
  dataEventTableArns?: string[];
}

/**
 * The CloudTrail trail that EventBridge's "AWS API Call via CloudTrail" events depend on: the talk's
 * "who did what from where", kept tamper-evident (log file validation), encrypted with a
 * customer-managed key, in a private, versioned bucket only CloudTrail writes to.
 */
export class AuditTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const { target } = props;
    const trailName = `${props.namePrefix}-dynamodb-audit`;
    const trailArn = cloudTrailArn(target, trailName);
    const partition = partitionOf(target.region);

    props.encryptionKey.allowServicePrincipal(
      "CloudTrailEncryptsLogs",
      "cloudtrail.amazonaws.com",
      ["kms:GenerateDataKey*"],
      {
        StringEquals: { "aws:SourceArn": trailArn },
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${partition}:cloudtrail:*:${target.accountId}:trail/*`,
        },
      },
    );
    props.encryptionKey.allowServicePrincipal(
      "CloudTrailDescribesKey",
      "cloudtrail.amazonaws.com",
      ["kms:DescribeKey"],
      {
        StringEquals: { "aws:SourceArn": trailArn },
      },
    );
    // Auditors in the account read the logs; the encryption context limits this to CloudTrail's files.
    props.encryptionKey.allowAccountUseThrough(
      "AccountReadsLogsThroughS3",
      ["s3"],
      ["kms:Decrypt", "kms:DescribeKey"],
    );

    this.bucket = privateBucket(this, {
      bucketName: `${props.namePrefix}-dynamodb-audit-${target.accountId}-${target.region}`,
      encryptionKeyArn: props.encryptionKey.arn,
    });

    const objects = `${this.bucket.arn}/AWSLogs/${target.accountId}/*`;
    const bucketPolicy = new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: new PolicyDocument(
        {
          Sid: "CloudTrailChecksBucketAcl",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:GetBucketAcl",
          Resource: this.bucket.arn,
          Condition: { StringEquals: { "aws:SourceArn": trailArn } },
        },
        {
          Sid: "CloudTrailWritesLogs",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: objects,
          Condition: {
            StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" },
          },
        },
        {
          Sid: "OnlyCloudTrailWritesLogs",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:PutObject",
          Resource: `${this.bucket.arn}/*`,
          // Only service principals may write, and CloudTrail is the only one the policy allows.
          Condition: { Bool: { "aws:PrincipalIsAWSService": "false" } },
        },
        denyInsecureTransport("s3:*", [this.bucket.arn, `${this.bucket.arn}/*`]),
        {
          Sid: "DenyOtherAccounts",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: {
            StringNotEquals: { "aws:PrincipalAccount": target.accountId },
            Bool: { "aws:PrincipalIsAWSService": "false" },
          },
        },
      ).render(),
    });

    const tableArns = props.dataEventTableArns ?? [];
    this.trail = new Cloudtrail(this, "trail", {
      name: trailName,
      s3BucketName: this.bucket.id,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: props.encryptionKey.arn,
      eventSelector: [
        {
          readWriteType: "All",
          includeManagementEvents: true,
          dataResource:
            tableArns.length > 0 ? [{ type: "AWS::DynamoDB::Table", values: tableArns }] : undefined,
        },
      ],
      // CloudTrail checks the bucket policy when the trail is created.
      dependsOn: [bucketPolicy],
    });
  }
}
