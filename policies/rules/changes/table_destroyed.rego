# METADATA
# title: The plan destroys no DynamoDB table or replica
# description: >-
#   A plan that deletes a table, or replaces it (because hash_key, range_key,
#   name or another attribute that cannot change in place changes), destroys
#   every item in it: the new table starts empty. This is the event the talk's
#   DeleteTable alert reports after the fact; the merge gate is where it can
#   still be stopped. Deletion protection does not make the plan safe: the
#   apply fails half-way, with the rest of the change applied. Only a plan
#   shows this (a cdk.tf.json has no changes), so the rule is quiet on a
#   synthesized stack. A replica removed from a table's replica blocks is
#   reported the same way: that region's copy is deleted.
# custom:
#   id: GR-CHG-001
#   severity: critical
#   practice: "Monitoring access to your data: notification when a table deletion is attempted, moved before the deletion into the merge gate"
#   inputs: plan
package guardrails.rules.changes.table_destroyed

import data.guardrails.lib.changes
import data.guardrails.lib.result

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the plan ", changes.verb(change), " this ", _kind[change.type], changes.order(change),
	changes.because(change), changes.reason(change), ": ", _destroyed[change.type], _afterwards(change),
	". Deletion protection does not make this safe: the apply fails half-way. ", _way_out(change),
])) if {
	some type, _ in _kind
	some address, change in changes.removals_of_type(type)
}

# A global table's replica declared as a replica block: removing the block
# deletes the replica table in that region.
findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the plan removes this table's replica in ", region,
	" (a replica block): the replica and every item in it are destroyed in that region, ",
	"and applications there lose the table. Keep the replica block, or move the readers and writers ",
	"of that region first, or waive this address with a reason and an expiry",
])) if {
	some address, change in changes.updates
	change.type == "aws_dynamodb_table"
	some region in (_replica_regions(change.change.before) - _replica_regions(change.change.after))
}

_replica_regions(values) := {region |
	some replica in values.replica
	region := replica.region_name
	is_string(region)
}

_kind := {"aws_dynamodb_table": "table", "aws_dynamodb_table_replica": "replica"}

_destroyed := {
	"aws_dynamodb_table": "every item in it is destroyed",
	"aws_dynamodb_table_replica": "the replica and every item in it are destroyed in its region",
}

_afterwards(change) := " and the new one starts empty" if changes.replaced(change)

else := ""

_way_out(change) := concat("", [
	"Keep ", concat(" and ", paths), _as_it_is(paths), ", or ", _migrate,
]) if {
	changes.replaced(change)
	paths := changes.replace_paths(change)
	count(paths) > 0
} else := concat("", [
	"Do not replace it (untaint it, or drop -replace or replace_triggered_by), or ", _migrate,
]) if {
	changes.replaced(change)
} else := concat("", [
	"Keep the resource in the configuration (a `moved` block if it was renamed, ",
	"`terraform state mv` if it moved between stacks), or ", _migrate,
])

_migrate := concat("", [
	"migrate the data to a new table first (export to S3 and import, or write to both), ",
	"or waive this address with a reason and an expiry if the data may be lost",
])

_as_it_is(paths) := " as it is" if count(paths) == 1

else := " as they are"
