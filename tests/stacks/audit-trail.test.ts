import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import {
  asList,
  environment,
  policyStatements,
  referencesType,
  single,
  statement,
  synthesize,
} from "../support/synth";

describe("audit trail", () => {
  const synth = synthesize();
  const trail = single(synth, "aws_cloudtrail");

  it("records management events in every region, with log file validation and a customer-managed key", () => {
    expect(synth.synthesized).toHaveResourceWithProperties(Cloudtrail, {
      name: "dev-dynamodb-audit",
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
    });
    expect(referencesType(trail.kms_key_id, "aws_kms_key")).toBe(true);
    expect(trail.event_selector).toEqual([{ read_write_type: "All", include_management_events: true }]);
    expect(asList(trail.depends_on as string[])).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\./)]);
  });

  it("records the tables' data events when asked to", () => {
    const withData = single(
      synthesize(
        environment((d) => {
          d.alerts.dataEvents = true;
        }),
      ),
      "aws_cloudtrail",
    );
    expect(withData.event_selector).toEqual([
      {
        read_write_type: "All",
        include_management_events: true,
        data_resource: [
          {
            type: "AWS::DynamoDB::Table",
            values: [expect.stringMatching(/^\$\{aws_dynamodb_table\..+\.arn\}$/)],
          },
        ],
      },
    ]);
  });

  it("keeps the log bucket private, versioned and encrypted with the audit key", () => {
    expect(single(synth, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(single(synth, "aws_s3_bucket_versioning")).toMatchObject({
      versioning_configuration: { status: "Enabled" },
    });
    expect(single(synth, "aws_s3_bucket_ownership_controls")).toMatchObject({
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
    const [rule] = single(synth, "aws_s3_bucket_server_side_encryption_configuration").rule as {
      apply_server_side_encryption_by_default: { sse_algorithm: string; kms_master_key_id: string };
    }[];
    expect(rule.apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    expect(rule.apply_server_side_encryption_by_default.kms_master_key_id).toBe(trail.kms_key_id);
  });

  it("has a bucket policy that admits only this trail's writes, over TLS, from this account", () => {
    const statements = policyStatements(single(synth, "aws_s3_bucket_policy"));
    const trailArn = "arn:aws:cloudtrail:us-east-1:111122223333:trail/dev-dynamodb-audit";
    expect(statement(statements, "CloudTrailWritesLogs")).toMatchObject({
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Condition: { StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
    });
    expect(statement(statements, "CloudTrailChecksBucketAcl").Condition).toEqual({
      StringEquals: { "aws:SourceArn": trailArn },
    });
    expect(statement(statements, "OnlyCloudTrailWritesLogs")).toMatchObject({
      Effect: "Deny",
      Action: "s3:PutObject",
      Condition: { Bool: { "aws:PrincipalIsAWSService": "false" } },
    });
    expect(statement(statements, "DenyInsecureTransport")).toMatchObject({
      Effect: "Deny",
      Action: "s3:*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    for (const s of statements.filter((x) => x.Effect === "Allow")) expect(s.Principal).not.toBe("*");
  });

  it("lets CloudTrail encrypt with the audit key only for this trail", () => {
    const auditKey = Object.values(synth.json.resource.aws_kms_key).find((k) =>
      String(k.description).includes("audit trail"),
    );
    if (!auditKey) throw new Error("no audit key");
    expect(statement(policyStatements(auditKey), "CloudTrailEncryptsLogs")).toMatchObject({
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: ["kms:GenerateDataKey*"],
      Condition: {
        StringEquals: {
          "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/dev-dynamodb-audit",
        },
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*",
        },
      },
    });
  });
});
