# METADATA
# title: Tests for GR-ENC-010
# description: >-
#   Fixtures in testdata/data_leaving_encrypted: table exports and Kinesis streaming destinations
#   that leave the data with S3-managed or AWS-managed keys, unencrypted, or in another account,
#   and compliant ones. The plan fixture is hand-written and follows the documented
#   `terraform show -json` format (format_version 1.2).
package guardrails.rules.encryption.data_leaving_encrypted_test

import data.guardrails.rules.encryption.data_leaving_encrypted

_input(document) := {"stack": "dev", "document": document, "context": {
	"organization_id": "o-a1b2c3d4e5",
	"account_id": "111122223333",
}}

_fixtures := data.rules.encryption.testdata.data_leaving_encrypted

_by_address(document) := {finding.address: finding.message |
	some finding in data_leaving_encrypted.findings with input as _input(document)
}

_messages := _by_address(_fixtures.positive)

test_fires_on_each_bad_export_and_destination_and_only_those if {
	object.keys(_messages) == {
		"aws_dynamodb_table_export.s3_managed", "aws_dynamodb_table_export.aes",
		"aws_dynamodb_table_export.aws_managed_key", "aws_dynamodb_table_export.no_key",
		"aws_dynamodb_table_export.other_account", "aws_dynamodb_table_export.named_bucket",
		"aws_dynamodb_kinesis_streaming_destination.to_plain",
		"aws_dynamodb_kinesis_streaming_destination.to_aws_key",
		"aws_dynamodb_kinesis_streaming_destination.to_elsewhere",
	}
}

test_findings_carry_the_rule if {
	some finding in data_leaving_encrypted.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-ENC-010"
	finding.severity == "high"
}

test_export_problems if {
	contains(_messages["aws_dynamodb_table_export.s3_managed"], "s3_sse_algorithm is not set (AES256 by default), so the exported table is encrypted with S3-managed keys")
	contains(_messages["aws_dynamodb_table_export.aes"], "s3_sse_algorithm is AES256")
	contains(_messages["aws_dynamodb_table_export.aws_managed_key"], "s3_sse_kms_key_id alias/aws/s3 is an AWS-managed key")
	contains(_messages["aws_dynamodb_table_export.no_key"], "s3_sse_kms_key_id is not set, so S3 uses its AWS-managed key")
	contains(_messages["aws_dynamodb_table_export.other_account"], "s3_bucket_owner 999999999999 is another account")
	contains(_messages["aws_dynamodb_table_export.named_bucket"], "s3_bucket_owner is not set and s3_bucket is not a bucket this stack declares")
	contains(_messages["aws_dynamodb_table_export.aes"], "set s3_sse_algorithm = \"KMS\", s3_sse_kms_key_id = <an aws_kms_key of this stack> and s3_bucket_owner = this account")
}

test_stream_problems if {
	contains(_messages["aws_dynamodb_kinesis_streaming_destination.to_plain"], "target stream aws_kinesis_stream.plain is not encrypted (encryption_type is not KMS), and every change to the table is copied there")
	contains(_messages["aws_dynamodb_kinesis_streaming_destination.to_aws_key"], "kms_key_id alias/aws/kinesis is an AWS-managed key")
	contains(_messages["aws_dynamodb_kinesis_streaming_destination.to_elsewhere"], "stream_arn names no aws_kinesis_stream of this stack")
}

test_quiet_with_customer_managed_keys_in_this_account if {
	count(data_leaving_encrypted.findings) == 0 with input as _input(_fixtures.negative)
}

test_plan_reads_references_and_reports_unknown_keys if {
	messages := _by_address(_fixtures.plan_positive)
	object.keys(messages) == {"aws_dynamodb_kinesis_streaming_destination.orders", "aws_dynamodb_table_export.orders"}
	contains(messages["aws_dynamodb_kinesis_streaming_destination.orders"], "target stream aws_kinesis_stream.changes is not encrypted")
	contains(messages["aws_dynamodb_table_export.orders"], "cannot verify s3_sse_kms_key_id")
}

test_plan_unknown_stream_encryption_cannot_be_verified if {
	plan := json.patch(_fixtures.plan_positive, [
		{"op": "remove", "path": "/planned_values/root_module/resources/0/values/encryption_type"},
		{"op": "add", "path": "/resource_changes/0/change/after_unknown/encryption_type", "value": true},
	])
	contains(_by_address(plan)["aws_dynamodb_kinesis_streaming_destination.orders"], "cannot verify the stream's encryption")
}
