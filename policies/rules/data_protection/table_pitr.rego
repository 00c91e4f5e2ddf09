# METADATA
# title: DynamoDB tables have point-in-time recovery enabled
# description: >-
#   Continuous backups let a table be restored to any second of the last 35 days, which is the
#   way back from an accidental overwrite, a bad batch job or a deleted item, and the talk notes
#   they can also restore a deleted table. They are off unless enabled, and nothing can recover
#   writes made before they were turned on. A global table's replicas keep their own.
# custom:
#   id: GR-DP-001
#   severity: high
#   practice: "Further exploration: continuous backup and point-in-time restore, including the ability to restore deleted tables"
package guardrails.rules.data_protection.table_pitr

import data.guardrails.lib.collections
import data.guardrails.lib.resources
import data.guardrails.lib.result

_fix := "set point_in_time_recovery { enabled = true }"

findings contains result.finding(rego.metadata.chain(), table.address, concat("", [
	table.address, ": ", problem,
	", so an accidental write or delete can be undone only from an on-demand backup, if one exists; ", _fix,
])) if {
	some table in resources.of_type("aws_dynamodb_table")
	not _enabled(table)
	problem := _problem(table)
}

findings contains result.cannot_verify(rego.metadata.chain(), table.address, "point_in_time_recovery.enabled") if {
	some table in resources.of_type("aws_dynamodb_table")
	not _enabled(table)
	not _known_disabled(table)
	resources.unknown(table, "point_in_time_recovery")
}

# A global table's replica keeps its own continuous backups: point_in_time_recovery is a
# boolean there, not a block.
findings contains result.finding(rego.metadata.chain(), replica.address, concat("", [
	replica.address, ": point-in-time recovery is off for this replica (point_in_time_recovery is not true)",
	", so an accidental write or delete in its region can be undone only from an on-demand backup; ",
	"set point_in_time_recovery = true",
])) if {
	some replica in resources.of_type("aws_dynamodb_table_replica")
	not object.get(replica.values, "point_in_time_recovery", false) in {true, "true"}
	not resources.unknown(replica, "point_in_time_recovery")
}

findings contains result.cannot_verify(rego.metadata.chain(), replica.address, "point_in_time_recovery") if {
	some replica in resources.of_type("aws_dynamodb_table_replica")
	resources.unknown(replica, "point_in_time_recovery")
}

_enabled(table) if {
	some block in resources.blocks(table, "point_in_time_recovery")
	block.enabled in {true, "true"}
}

# A plan may leave a computed part of the block (recovery_period_in_days) unknown; enabled = false
# written out is still known.
_known_disabled(table) if {
	some block in resources.blocks(table, "point_in_time_recovery")
	block.enabled in {false, "false"}
}

_problem(table) := "it has no point_in_time_recovery block, and continuous backups are off by default" if {
	not collections.nonempty(resources.blocks(table, "point_in_time_recovery"))
	not resources.unknown(table, "point_in_time_recovery")
} else := "point-in-time recovery is disabled (point_in_time_recovery.enabled is not true)" if {
	collections.nonempty(resources.blocks(table, "point_in_time_recovery"))
	not resources.unknown(table, "point_in_time_recovery")
} else := "point-in-time recovery is disabled (point_in_time_recovery.enabled = false)" if {
	_known_disabled(table)
}
