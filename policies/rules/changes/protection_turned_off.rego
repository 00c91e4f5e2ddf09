# METADATA
# title: The plan turns off no protection of an existing table
# description: >-
#   Turning deletion protection or point-in-time recovery off, or moving a
#   table from its customer-managed key to an AWS key, is the first step of
#   every way to lose or expose its data, and it hides in an ordinary update.
#   The end-state rules say what is missing afterwards; this rule says it as
#   the change it is, with the value before and after, so a reviewer sees that
#   an existing protection is being removed. Only a plan shows this (a
#   cdk.tf.json has no changes), so the rule is quiet on a synthesized stack.
# custom:
#   id: GR-CHG-005
#   severity: high
#   practice: "Protecting your data at rest and Further exploration (point-in-time recovery): protections switched off in a routine update"
#   inputs: plan
package guardrails.rules.changes.protection_turned_off

import data.guardrails.lib.changes
import data.guardrails.lib.collections
import data.guardrails.lib.result

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the plan turns off deletion protection on this ", _kind[change.type],
	" (deletion_protection_enabled: true -> false), so a single DeleteTable call can then drop it; ",
	"keep deletion_protection_enabled = true, and turn it off only in a reviewed change of its own ",
	"right before a deliberate deletion",
])) if {
	some address, change in _updates
	change.change.before.deletion_protection_enabled == true
	change.change.after.deletion_protection_enabled == false
}

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the plan turns off point-in-time recovery on this ", _kind[change.type],
	" (point_in_time_recovery: enabled -> disabled), which deletes its continuous backups: ",
	"the table can no longer be restored to any second of the recovery window; ",
	"keep point-in-time recovery enabled",
])) if {
	some address, change in _updates
	_pitr_on(change.change.before)
	_pitr_off(change.change.after)
	not _unknown_after(change, "point_in_time_recovery")
}

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the plan moves this ", _kind[change.type], " off its customer-managed key (", key,
	" -> ", after, "), so key use is no longer controlled by its key policy or logged per table; ",
	"keep server_side_encryption with kms_key_arn set to a customer-managed key",
])) if {
	some address, change in _updates
	key := _cmk(change.type, change.change.before)
	not _unknown_after(change, _key_attribute[change.type])
	after := _aws_key(change.type, change.change.after)
}

_kind := {"aws_dynamodb_table": "table", "aws_dynamodb_table_replica": "replica"}

_key_attribute := {"aws_dynamodb_table": "server_side_encryption", "aws_dynamodb_table_replica": "kms_key_arn"}

# A value the plan leaves unknown (a new key being created, say) is not a
# protection turned off; after_unknown marks it at any depth of the block.
_unknown_after(change, attr) if {
	walk(object.get(change.change, "after_unknown", collections.no_object)[attr], [_, leaf])
	leaf == true
}

_updates[address] := change if {
	some address, change in changes.updates
	_kind[change.type]
}

# aws_dynamodb_table writes point_in_time_recovery as a block (a list in a
# plan); aws_dynamodb_table_replica as a boolean.
_pitr_on(values) if values.point_in_time_recovery == true

_pitr_on(values) if values.point_in_time_recovery[_].enabled == true

_pitr_off(values) if values.point_in_time_recovery == false

_pitr_off(values) if {
	is_array(values.point_in_time_recovery)
	every block in values.point_in_time_recovery {
		block.enabled == false
	}
}

_cmk("aws_dynamodb_table", values) := arn if {
	some block in values.server_side_encryption
	block.enabled == true
	arn := block.kms_key_arn
	is_string(arn)
	arn != ""
}

_cmk("aws_dynamodb_table_replica", values) := arn if {
	arn := values.kms_key_arn
	is_string(arn)
	arn != ""
}

# Known values only: an unknown key (null in the plan) is a new key being
# created, not a move to an AWS key.
_aws_key("aws_dynamodb_table", values) := "the AWS owned key" if {
	is_array(values.server_side_encryption)
	every block in values.server_side_encryption {
		block.enabled == false
	}
} else := "the AWS managed key alias/aws/dynamodb" if {
	some block in values.server_side_encryption
	block.enabled == true
	object.get(block, "kms_key_arn", "") in {"", null}
}

_aws_key("aws_dynamodb_table_replica", values) := "the AWS owned key" if {
	values.kms_key_arn == ""
}
