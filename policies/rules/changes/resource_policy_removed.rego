# METADATA
# title: The plan keeps the resource policies of the tables that remain
# description: >-
#   A table's resource policy is where this project denies data access that
#   does not arrive through the environment's VPC endpoint, whatever an
#   identity policy grants. Deleting it while the table stays opens the table
#   to every identity policy in the account, silently: the end state merely
#   lacks a policy. Only a plan shows this (a cdk.tf.json has no changes), so
#   the rule is quiet on a synthesized stack.
# custom:
#   id: GR-CHG-003
#   severity: high
#   practice: "VPC endpoint-only restriction policy: removing the policy removes the restriction"
#   inputs: plan
package guardrails.rules.changes.resource_policy_removed

import data.guardrails.lib.changes
import data.guardrails.lib.result

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the plan deletes the resource policy of ", table, changes.reason(change),
	", while the table remains: its endpoint-only and organization restrictions go with it, ",
	"and every identity policy in the account then reaches the table from anywhere; ",
	"keep the aws_dynamodb_resource_policy (a `moved` block if it was renamed)",
])) if {
	some address, change in changes.removals_of_type("aws_dynamodb_resource_policy")

	# A replacement puts a policy back; only a deletion leaves the table without one.
	change.change.actions == ["delete"]
	table := _surviving_table(change.change.before.resource_arn)
}

_surviving_table(arn) := address if {
	is_string(arn)
	some address, table in changes.surviving("aws_dynamodb_table")
	table.values.arn == arn
}
