# METADATA
# title: Exports and Kinesis streaming destinations are encrypted with a customer-managed key
# description: >-
#   An export copies the whole table to S3, and a Kinesis streaming
#   destination copies every change to a stream: both leave the table's key,
#   resource policy and VPC endpoint behind. An aws_dynamodb_table_export
#   uses s3_sse_algorithm = KMS with a customer-managed key (the default,
#   AES256, is S3-managed keys nobody can restrict) and writes to a bucket of
#   this account (s3_bucket_owner, or a bucket the stack declares); an
#   aws_dynamodb_kinesis_streaming_destination targets a stream of this stack
#   with encryption_type = KMS and a customer-managed key, not
#   alias/aws/kinesis (AWS: "DynamoDB data export to Amazon S3",
#   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.HowItWorks.html;
#   "Data protection in Amazon Kinesis Data Streams",
#   https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html).
# custom:
#   id: GR-ENC-010
#   severity: high
#   practice: "Protecting your data at rest: customer managed CMK, for copies of the data that leave the table"
package guardrails.rules.encryption.data_leaving_encrypted

import data.guardrails.lib.context
import data.guardrails.lib.keys
import data.guardrails.lib.resources
import data.guardrails.lib.result

findings contains result.finding(rego.metadata.chain(), export.address, concat("", [
	export.address, ": ", concat("; ", sort(problems)),
	"; set s3_sse_algorithm = \"KMS\", s3_sse_kms_key_id = <an aws_kms_key of this stack> and s3_bucket_owner = this account",
])) if {
	some export in resources.of_type("aws_dynamodb_table_export")
	problems := {problem | some problem in _export_problems(export)}
	count(problems) > 0
}

findings contains result.cannot_verify(rego.metadata.chain(), export.address, attribute) if {
	some export in resources.of_type("aws_dynamodb_table_export")
	some attribute in ["s3_sse_algorithm", "s3_sse_kms_key_id"]
	keys.unverifiable(export, attribute)
}

_export_problems(export) := ({problem |
	not resources.unknown(export, "s3_sse_algorithm")
	object.get(export.values, "s3_sse_algorithm", null) != "KMS"
	problem := concat("", [
		"s3_sse_algorithm is ", _text(object.get(export.values, "s3_sse_algorithm", null)),
		", so the exported table is encrypted with S3-managed keys that no key policy restricts",
	])
} | {problem |
	object.get(export.values, "s3_sse_algorithm", null) == "KMS"
	problem := concat("", ["the export's ", keys.problem(export, "s3_sse_kms_key_id", "S3 uses its AWS-managed key")])
}) | {problem |
	problem := _owner_problem(export)
}

_owner_problem(export) := concat("", [
	"s3_bucket_owner ", export.values.s3_bucket_owner, " is another account, so the table's data leaves this account",
]) if {
	owner := export.values.s3_bucket_owner
	is_string(owner)
	owner != context.account_id
} else := "s3_bucket_owner is not set and s3_bucket is not a bucket this stack declares, so the export may go to another account's bucket" if {
	object.get(export.values, "s3_bucket_owner", null) in {null, ""}
	not resources.unknown(export, "s3_bucket_owner")
	not resources.references_type(export, "s3_bucket", "aws_s3_bucket")
}

_text(null) := "not set (AES256 by default)"

_text(value) := value if value != null

findings contains result.finding(rego.metadata.chain(), destination.address, concat("", [
	destination.address, ": ", problem,
	", and every change to the table is copied there; ",
	"declare the stream in this stack with encryption_type = \"KMS\" and kms_key_id = <an aws_kms_key of this stack>",
])) if {
	some destination in resources.of_type("aws_dynamodb_kinesis_streaming_destination")
	problem := _destination_problem(destination)
}

findings contains result.cannot_verify(rego.metadata.chain(), destination.address, "the stream's encryption") if {
	some destination in resources.of_type("aws_dynamodb_kinesis_streaming_destination")
	some stream in _streams(destination)
	some attribute in ["encryption_type", "kms_key_id"]
	resources.unknown(stream, attribute)
	not _stream_problem(stream)
}

_streams(destination) := [stream |
	some stream in resources.resolve(destination, "stream_arn")
	stream.mode == "managed"
	stream.type == "aws_kinesis_stream"
]

_destination_problem(destination) := "stream_arn names no aws_kinesis_stream of this stack, so the stream's encryption cannot be checked" if {
	count(_streams(destination)) == 0
} else := concat("", ["target stream ", stream.address, " ", problem]) if {
	some stream in _streams(destination)
	problem := _stream_problem(stream)
}

_stream_problem(stream) := "is not encrypted (encryption_type is not KMS)" if {
	not resources.unknown(stream, "encryption_type")
	object.get(stream.values, "encryption_type", null) != "KMS"
} else := concat("", ["is encrypted, but its ", keys.problem(stream, "kms_key_id", "Kinesis cannot encrypt")]) if {
	stream.values.encryption_type == "KMS"
}
