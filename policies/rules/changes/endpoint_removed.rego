# METADATA
# title: The plan keeps the DynamoDB VPC endpoint while tables remain
# description: >-
#   Tables here are reachable only through the environment's DynamoDB VPC
#   endpoint: resource and identity policies require aws:SourceVpce to be its
#   id. Deleting the endpoint cuts every application off the tables (or sends
#   them over the internet path the policies then deny); replacing it gives
#   the endpoint a new id, so policies that name the old one deny every request
#   until they are updated. Only a plan shows this (a cdk.tf.json has no
#   changes), so the rule is quiet on a synthesized stack.
# custom:
#   id: GR-CHG-004
#   severity: high
#   practice: "VPC endpoint access to DynamoDB: the endpoint is the only path to the data"
#   inputs: plan
package guardrails.rules.changes.endpoint_removed

import data.guardrails.lib.changes
import data.guardrails.lib.result

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the plan ", changes.verb(change), " the DynamoDB VPC endpoint ", _id(change), changes.order(change),
	changes.because(change), changes.reason(change),
	" while ", format_int(count(tables), 10), " table(s) remain (", concat(", ", tables), "): ",
	"aws:SourceVpce conditions that name it deny every request until they name a new endpoint; ",
	"keep the endpoint (change its policy or route tables in place), or add the new endpoint ",
	"and list both ids in the policies before removing this one",
])) if {
	some address, change in changes.removals_of_type("aws_vpc_endpoint")
	endswith(change.change.before.service_name, ".dynamodb")
	tables := sort({address | some address, _ in changes.surviving("aws_dynamodb_table")})
	count(tables) > 0
}

_id(change) := change.change.before.id if is_string(change.change.before.id)

else := "(id unknown)"
