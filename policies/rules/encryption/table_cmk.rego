# METADATA
# title: DynamoDB tables are encrypted with a customer-managed key
# description: >-
#   DynamoDB encrypts every table, but by default with a key AWS owns: nobody
#   can restrict, audit or revoke its use. A customer-managed KMS key in the
#   stack (or one the environment declares) puts key use under the account's
#   own key policy and CloudTrail. Replicas must use one too.
# custom:
#   id: GR-ENC-001
#   severity: critical
#   practice: "Protecting your data at rest: customer managed CMK, not the AWS-owned default or aws/dynamodb"
package guardrails.rules.encryption.table_cmk

import data.guardrails.lib.context
import data.guardrails.lib.keys
import data.guardrails.lib.resources
import data.guardrails.lib.result

_fix := "set server_side_encryption { enabled = true, kms_key_arn = <an aws_kms_key declared in this stack> }"

findings contains result.finding(rego.metadata.chain(), table.address, concat("", [table.address, ": ", problem, "; ", _fix])) if {
	some table in resources.of_type("aws_dynamodb_table")
	not resources.unknown(table, "server_side_encryption")
	problem := _problem(table, _sse(table))
}

findings contains result.cannot_verify(rego.metadata.chain(), table.address, "server_side_encryption.kms_key_arn") if {
	some table in resources.of_type("aws_dynamodb_table")
	resources.unknown(table, "server_side_encryption")
	not resources.references_type(table, "server_side_encryption", "aws_kms_key")
}

findings contains result.finding(rego.metadata.chain(), table.address, concat("", [
	table.address, ": replica in ", object.get(replica, "region_name", "another region"),
	" is not encrypted with a customer-managed key; set kms_key_arn on every replica block",
])) if {
	some table in resources.of_type("aws_dynamodb_table")
	some replica in resources.blocks(table, "replica")
	not _customer_managed(table, "replica", object.get(replica, "kms_key_arn", ""))
}

findings contains result.finding(rego.metadata.chain(), replica.address, concat("", [
	replica.address, ": the replica is not encrypted with a customer-managed key; set kms_key_arn",
])) if {
	some replica in resources.of_type("aws_dynamodb_table_replica")
	not resources.unknown(replica, "kms_key_arn")
	not _customer_managed(replica, "kms_key_arn", object.get(replica.values, "kms_key_arn", ""))
}

_sse(table) := sse if {
	[sse] := resources.blocks(table, "server_side_encryption")
} else := null

# At most one problem per table: the first of these that holds.
_problem(table, sse) := "it has no server_side_encryption block, so DynamoDB uses an AWS-owned key" if {
	sse == null
} else := "server-side encryption is disabled (enabled = false), so DynamoDB uses an AWS-owned key" if {
	object.get(sse, "enabled", false) != true
} else := "kms_key_arn is empty, so DynamoDB uses the AWS-managed aws/dynamodb key" if {
	object.get(sse, "kms_key_arn", "") in {"", null}
	not resources.references_type(table, "server_side_encryption", "aws_kms_key")
} else := concat("", ["kms_key_arn ", sse.kms_key_arn, " is not a customer-managed key in this stack"]) if {
	not object.get(sse, "kms_key_arn", "") in {"", null}
	not _customer_managed(table, "server_side_encryption", sse.kms_key_arn)
}

# A key is customer-managed when the attribute references an aws_kms_key of this input, or its
# ARN is one the environment declares. alias/aws/dynamodb is AWS-managed even when referenced.
_customer_managed(resource, attr, arn) if {
	not contains(arn, "alias/aws/")
	resources.references_type(resource, attr, "aws_kms_key")
}

_customer_managed(_, _, arn) if arn in context.external_key_arns

_customer_managed(_, _, arn) if keys.declared(arn)
