# METADATA
# title: DynamoDB interface endpoints admit only named networks
# description: >-
#   An Interface endpoint is network interfaces in the VPC's subnets, and its
#   security groups decide who can connect to it. A rule open to 0.0.0.0/0 or
#   ::/0 lets any network that routes into the VPC (peered VPCs, every VPN
#   site, a transit gateway) reach DynamoDB through it; an endpoint without
#   security groups gets the VPC's default group. Each of its security groups
#   admits only the client networks that need it (AWS: "Access an AWS service
#   using an interface VPC endpoint",
#   https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html).
#   Endpoint policies are GR-NET-002's, for Gateway and Interface endpoints
#   alike.
# custom:
#   id: GR-NET-006
#   severity: high
#   practice: "Limiting network access: VPC endpoint access to DynamoDB, for an Interface endpoint reached from on premises"
package guardrails.rules.network.interface_endpoint_exposure

import data.guardrails.lib.collections
import data.guardrails.lib.network
import data.guardrails.lib.resources
import data.guardrails.lib.result

_world := {"0.0.0.0/0", "::/0"}

_interface_endpoints contains address if {
	some address in network.dynamodb_endpoints
	not network.gateway(resources.by_address[address])
}

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the interface endpoint names no security group, so it gets the VPC's default security group",
	" and whatever that admits; set security_group_ids to a group that admits 443 only from the client networks",
])) if {
	some address in _interface_endpoints
	endpoint := resources.by_address[address]
	not resources.unknown(endpoint, "security_group_ids")
	count(_as_list(object.get(endpoint.values, "security_group_ids", collections.no_list))) == 0
	not _associated[address]
}

findings contains result.finding(rego.metadata.chain(), group, concat("", [
	group, ": ", concat("; ", sort(problems)),
	", so any network that routes into the VPC reaches DynamoDB through interface endpoint ", concat(", ", sort(endpoints)),
	"; admit 443 only from the client networks' CIDR blocks",
])) if {
	some group, endpoints in _groups_of_endpoints
	problems := object.get(_open_rules, group, collections.no_set)
	count(problems) > 0
}

_as_list(value) := value if is_array(value)

_as_list(value) := [value] if {
	is_string(value)
	value != ""
}

_as_list(value) := collections.no_list if value == null

# Security groups (by address) attached to each interface endpoint, indexed once.
_groups_of_endpoints[group.address] contains address if {
	some address in _interface_endpoints
	endpoint := resources.by_address[address]
	some group in resources.resolve(endpoint, "security_group_ids")
	group.type == "aws_security_group"
}

_groups_of_endpoints[group.address] contains endpoint.address if {
	some association in resources.of_type("aws_vpc_endpoint_security_group_association")
	some endpoint in resources.resolve(association, "vpc_endpoint_id")
	endpoint.address in _interface_endpoints
	some group in resources.resolve(association, "security_group_id")
	group.type == "aws_security_group"
}

# Endpoints given a security group by an aws_vpc_endpoint_security_group_association.
_associated[endpoint.address] if {
	some association in resources.of_type("aws_vpc_endpoint_security_group_association")
	some endpoint in resources.resolve(association, "vpc_endpoint_id")
}

# Rules that admit the whole internet: inline ingress blocks, aws_security_group_rule (type
# ingress) and aws_vpc_security_group_ingress_rule, each keyed by the group they belong to.
_open_rules[group] contains concat("", ["an inline ingress rule admits ", cidr]) if {
	some group, _ in _groups_of_endpoints
	resource := resources.by_address[group]
	some rule in resources.blocks(resource, "ingress")
	some cidr in _rule_cidrs(rule)
	cidr in _world
}

_open_rules[group.address] contains concat("", [rule.address, " admits ", cidr]) if {
	some rule in resources.of_type("aws_security_group_rule")
	rule.values.type == "ingress"
	some group in resources.resolve(rule, "security_group_id")
	some cidr in _rule_cidrs(rule.values)
	cidr in _world
}

_open_rules[group.address] contains concat("", [rule.address, " admits ", cidr]) if {
	some rule in resources.of_type("aws_vpc_security_group_ingress_rule")
	some group in resources.resolve(rule, "security_group_id")
	some attribute in ["cidr_ipv4", "cidr_ipv6"]
	cidr := rule.values[attribute]
	cidr in _world
}

_rule_cidrs(rule) := {cidr |
	some attribute in ["cidr_blocks", "ipv6_cidr_blocks"]
	some cidr in _as_list(object.get(rule, attribute, collections.no_list))
}
