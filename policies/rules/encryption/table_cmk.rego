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
	not _encryption_key_referenced[table.address]
}

findings contains result.finding(rego.metadata.chain(), table.address, concat("", [
	table.address, ": replica in ", object.get(replica, "region_name", "another region"),
	_replica_problem(arn), "; set kms_key_arn on every replica block",
])) if {
	some table in resources.of_type("aws_dynamodb_table")
	some replica in resources.blocks(table, "replica")
	not _replica_customer_managed(table, replica)
	arn := object.get(replica, "kms_key_arn", "")
}

# Each replica block names its own key: another block's reference does not cover one left without
# kms_key_arn (DynamoDB then uses aws/dynamodb there). A plan may leave a block's key unknown.
_replica_customer_managed(table, replica) if {
	arn := object.get(replica, "kms_key_arn", null)
	not arn in {null, ""}
	_customer_managed(table, "replica", arn)
}

_replica_customer_managed(table, replica) if {
	object.get(replica, "kms_key_arn", null) in {null, ""}
	resources.unknown(table, "replica")
	resources.references_type(table, "replica", "aws_kms_key")
}

findings contains result.finding(rego.metadata.chain(), replica.address, concat("", [
	replica.address, ": the replica", _replica_problem(arn), "; set kms_key_arn",
])) if {
	some replica in resources.of_type("aws_dynamodb_table_replica")
	not resources.unknown(replica, "kms_key_arn")
	arn := object.get(replica.values, "kms_key_arn", "")
	not _customer_managed(replica, "kms_key_arn", arn)
}

_replica_problem(arn) := concat("", [": cannot verify that kms_key_arn ", arn, " is a customer-managed key: ", keys.unseen]) if {
	_unseen(arn)
} else := " is not encrypted with a customer-managed key"

# A key named outside the stack, neither empty nor AWS-managed.
_unseen(arn) if {
	keys.names_unseen_key(arn)
	arn != ""
	not contains(arn, "alias/aws/")
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
	object.get(sse, "kms_key_arn", "") in _unset
	not _encryption_key_referenced[table.address]
} else := concat("", ["cannot verify that kms_key_arn ", sse.kms_key_arn, " is a customer-managed key: ", keys.unseen]) if {
	not _customer_managed(table, "server_side_encryption", object.get(sse, "kms_key_arn", ""))
	_unseen(sse.kms_key_arn)
} else := concat("", ["kms_key_arn ", _text(sse.kms_key_arn), " is not a customer-managed key in this stack"]) if {
	not object.get(sse, "kms_key_arn", "") in _unset
	not _customer_managed(table, "server_side_encryption", sse.kms_key_arn)
}

# Composite literals are built again each time a body runs in wasm; rule values are built once.
_unset := {"", null}

_text(value) := value if {
	is_string(value)
} else := json.marshal(value)

# A key is customer-managed when the attribute references an aws_kms_key of this input, or the
# environment trusts it. alias/aws/dynamodb is AWS-managed even when referenced.
_customer_managed(resource, attr, arn) if {
	not contains(arn, "alias/aws/")
	_references_key(resource, attr)
}

_customer_managed(_, _, arn) if keys.declared(arn)

_customer_managed(_, _, arn) if keys.trusted(arn)

_references_key(table, "server_side_encryption") if _encryption_key_referenced[table.address]

_references_key(resource, attr) if {
	attr != "server_side_encryption"
	resources.references_type(resource, attr, "aws_kms_key")
}

# Read once per table: several checks ask it, and reading a block's references allocates.
_encryption_key_referenced contains table.address if {
	some table in resources.of_type("aws_dynamodb_table")
	some target in keys.encryption_targets(table, "server_side_encryption")
	target.mode == "managed"
	target.type == "aws_kms_key"
}
