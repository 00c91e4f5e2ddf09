# METADATA
# title: DynamoDB policies do not rely on aws:SourceIp once there is a VPC endpoint
# description: >-
#   Requests that go through a VPC endpoint arrive from the VPC's private
#   addresses and carry no public aws:SourceIp, so an IpAddress condition
#   written for the corporate range stops matching (Bob's policy in the talk:
#   access breaks the moment the endpoint is enabled), and a NotIpAddress or
#   IfExists variant quietly stops restricting anything. Condition on
#   aws:SourceVpce instead.
# custom:
#   id: GR-NET-004
#   severity: medium
#   practice: "Limiting network access: source IP restriction breaks with a VPC endpoint; use aws:SourceVpce"
package guardrails.rules.network.source_ip_with_endpoint

import data.guardrails.lib.collections
import data.guardrails.lib.dynamodb
import data.guardrails.lib.iam
import data.guardrails.lib.network
import data.guardrails.lib.resources
import data.guardrails.lib.result

# Resource policies that can govern DynamoDB requests; others (keys, topics, buckets) cannot
# grant or deny DynamoDB actions even when their Action is "*".
_dynamodb_resource_policy_types := {"aws_dynamodb_resource_policy", "aws_vpc_endpoint", "aws_vpc_endpoint_policy"}

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": ", concat(", ", sort(labels)),
	" condition DynamoDB access on aws:SourceIp, but requests through the stack's DynamoDB VPC endpoint ",
	"come from private addresses, so the condition no longer matches the addresses it was written for; ",
	"condition on \"StringEquals\": {\"aws:SourceVpce\": <the endpoint's id>} instead",
])) if {
	count(network.dynamodb_endpoints) > 0
	some address, labels in _violations
}

_violations[doc.address] contains label if {
	some doc in iam.documents
	_governs_dynamodb(doc)
	some i, statement in doc.statements
	collections.nonempty(dynamodb.covered_actions(statement))
	operators := network.source_ip_operators(statement)
	count(operators) > 0
	label := concat("", [iam.statement_label(i, statement), " (", concat(", ", sort(operators)), ")"])
}

_governs_dynamodb(doc) if iam.purpose(doc) == "identity"

_governs_dynamodb(doc) if {
	iam.purpose(doc) == "resource"
	resources.by_address[doc.address].type in _dynamodb_resource_policy_types
}
