# METADATA
# title: DynamoDB tables have deletion protection enabled
# description: >-
#   The talk alerts on DeleteTable after the fact; deletion protection refuses the call, whoever
#   makes it and whatever their IAM permissions, until someone first turns it off in a separate,
#   visible change. It is off unless set, so a mistyped command or a deployment that replaces the
#   table is enough to lose it.
#   A global table's replicas are protected on their own.
# custom:
#   id: GR-DP-002
#   severity: high
#   practice: "Gap: the talk alerts when a table deletion is attempted (Monitoring access to your data) but nothing stops an accidental DeleteTable"
package guardrails.rules.data_protection.table_deletion_protection

import data.guardrails.lib.resources
import data.guardrails.lib.result

findings contains result.finding(rego.metadata.chain(), table.address, concat("", [
	table.address, ": ", _problem(table),
	", so one DeleteTable call (or a replaced resource in a deployment) drops the table and its data; ",
	"set deletion_protection_enabled = true and turn it off deliberately before a planned deletion",
])) if {
	some table in _tables
	not _enabled(table)
	not resources.unknown(table, "deletion_protection_enabled")
}

findings contains result.cannot_verify(rego.metadata.chain(), table.address, "deletion_protection_enabled") if {
	some table in _tables
	not _enabled(table)
	resources.unknown(table, "deletion_protection_enabled")
}

# A global table's replica in another region is deleted on its own, and protected on its own.
_tables := object.union(resources.of_type("aws_dynamodb_table"), resources.of_type("aws_dynamodb_table_replica"))

_enabled(table) if table.values.deletion_protection_enabled in {true, "true"}

_problem(table) := "deletion protection is off (deletion_protection_enabled is not set, and defaults to false)" if {
	object.get(table.values, "deletion_protection_enabled", null) == null
} else := "deletion protection is off (deletion_protection_enabled is not true)"
