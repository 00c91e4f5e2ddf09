# METADATA
# title: The plan keeps the KMS keys that encrypt DynamoDB data
# description: >-
#   A table encrypted with a customer-managed key can only be read while
#   DynamoDB can use that key. When the key is disabled or scheduled for
#   deletion the table becomes inaccessible, and DynamoDB archives a table
#   whose key stays inaccessible for seven days; once the key is deleted the
#   data, its replicas and the backups encrypted with it cannot be decrypted
#   by anyone (AWS documentation: DynamoDB encryption at rest, "Using a
#   customer managed key"). This rule reports a plan that deletes, replaces or
#   disables (is_enabled = false) a key that a table, a replica or a backup
#   vault that remains uses. Only a plan shows this (a cdk.tf.json has no
#   changes), so the rule is quiet on a synthesized stack.
# custom:
#   id: GR-CHG-002
#   severity: critical
#   practice: "AWS KMS & DynamoDB permissions: the table is readable only through its key, so losing the key loses the data"
#   inputs: plan
package guardrails.rules.changes.table_key_lost

import data.guardrails.lib.changes
import data.guardrails.lib.resources
import data.guardrails.lib.result

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the plan ", changes.verb(change), " this KMS key", changes.order(change), changes.because(change),
	changes.reason(change), ", which encrypts ", concat(", ", users),
	": ", _consequence,
	"; keep the key enabled and in the configuration, and move the data to another key first ",
	"(update the table's server_side_encryption, and let it finish) if this key must go",
])) if {
	some address, change in changes.removals_of_type("aws_kms_key")
	users := _users(change)
	count(users) > 0
}

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the plan turns off this KMS key (is_enabled: ", _text(before), " -> false), which encrypts ",
	concat(", ", users), ": ", _consequence, "; keep is_enabled = true",
])) if {
	some address, change in changes.updates
	change.type == "aws_kms_key"
	change.change.after.is_enabled == false
	before := object.get(change.change.before, "is_enabled", null)
	before != false
	users := _users(change)
	count(users) > 0
}

_consequence := concat("", [
	"DynamoDB cannot read data whose key is disabled or deleted, ",
	"archives a table whose key stays inaccessible for seven days, ",
	"and nobody can decrypt it, or the backups encrypted with it, once the key is deleted",
])

_text(value) := "unset" if value == null

else := "true" if value == true

else := "false" if value == false

else := "unknown"

# Where tables, replicas and backup vaults name their key. A plan writes a
# nested block as a list, a cdk.tf.json as an object; both are read.
_key_attributes := {
	"aws_dynamodb_table": {"server_side_encryption": "kms_key_arn", "replica": "kms_key_arn"},
	"aws_dynamodb_table_replica": {"kms_key_arn": ""},
	"aws_backup_vault": {"kms_key_arn": ""},
}

# The surviving resources that use the key: by the value they hold (an ARN or
# id the key had before the change) or by a configuration reference to it.
_users(change) := sort({resource.address |
	some type, attributes in _key_attributes
	some resource in changes.surviving(type)
	some attr, inner in attributes
	_uses(resource, attr, inner, change)
})

_uses(resource, attr, inner, change) if {
	some value in _key_values(resource, attr, inner)
	value in changes.identifiers_before(change)
}

_uses(resource, attr, _, change) if {
	changes.config_address(change) in resources.references(resource, attr)
}

_key_values(resource, attr, "") := {value |
	value := resource.values[attr]
	is_string(value)
}

_key_values(resource, attr, inner) := {value |
	some block in resources.blocks(resource, attr)
	value := block[inner]
	is_string(value)
} if {
	inner != ""
}
