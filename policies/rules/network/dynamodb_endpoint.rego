# METADATA
# title: Tables are reached through a DynamoDB gateway VPC endpoint
# description: >-
#   Without a gateway endpoint, traffic from the VPC to DynamoDB leaves
#   through a NAT or internet gateway and arrives from public addresses, and
#   no endpoint policy or aws:SourceVpce condition can limit it. A stack with
#   tables declares a Gateway endpoint for com.amazonaws.<region>.dynamodb,
#   attached to the route tables of the subnets that use the tables.
# custom:
#   id: GR-NET-001
#   severity: high
#   practice: "Limiting network access: VPC endpoint access to DynamoDB (Gateway endpoint on the VPC's route tables)"
package guardrails.rules.network.dynamodb_endpoint

import data.guardrails.lib.network
import data.guardrails.lib.resources
import data.guardrails.lib.result

_gateways contains endpoint.address if {
	some address in network.dynamodb_endpoints
	endpoint := resources.by_address[address]
	network.gateway(endpoint)
}

# Endpoints whose service a plan leaves unknown: they may be the DynamoDB endpoint.
_unidentified contains endpoint.address if {
	some endpoint in resources.of_type("aws_vpc_endpoint")
	resources.unknown(endpoint, "service_name")
	not network.dynamodb_service(endpoint)
}

findings contains result.finding(rego.metadata.chain(), table.address, concat("", [
	table.address, ": the stack declares no Gateway VPC endpoint for DynamoDB",
	_interface_note, ", so traffic to the table leaves the VPC and no endpoint policy or aws:SourceVpce condition can limit it; ",
	"add an aws_vpc_endpoint with service_name com.amazonaws.<region>.dynamodb, vpc_endpoint_type Gateway ",
	"and the private subnets' route_table_ids",
])) if {
	count(_gateways) == 0
	count(_unidentified) == 0
	some table in resources.of_type("aws_dynamodb_table")
}

_interface_note := " (only an Interface endpoint)" if {
	count(network.dynamodb_endpoints) > 0
} else := ""

findings contains result.cannot_verify(rego.metadata.chain(), address, "service_name") if {
	count(_gateways) == 0
	count(resources.of_type("aws_dynamodb_table")) > 0
	some address in _unidentified
}

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the DynamoDB gateway endpoint is attached to no route table, so no subnet routes DynamoDB traffic through it; ",
	"set route_table_ids to the private subnets' route tables or add an aws_vpc_endpoint_route_table_association",
])) if {
	some address in _gateways
	endpoint := resources.by_address[address]
	not resources.unknown(endpoint, "route_table_ids")
	not _attached(endpoint)
}

findings contains result.cannot_verify(rego.metadata.chain(), address, "route_table_ids") if {
	some address in _gateways
	endpoint := resources.by_address[address]
	resources.unknown(endpoint, "route_table_ids")
	not _attached(endpoint)
}

_attached(endpoint) if {
	ids := endpoint.values.route_table_ids
	is_array(ids)
	count(ids) > 0
}

# A CDKTF list token (`${var.route_table_ids}`) stands for a list Terraform fills in.
_attached(endpoint) if {
	ids := endpoint.values.route_table_ids
	is_string(ids)
	ids != ""
}

# A plan that cannot know the route table ids yet still records which route tables they come from.
_attached(endpoint) if count(resources.references(endpoint, "route_table_ids")) > 0

_attached(endpoint) if {
	some association in resources.of_type("aws_vpc_endpoint_route_table_association")
	some target in resources.resolve(association, "vpc_endpoint_id")
	target.address == endpoint.address
}
