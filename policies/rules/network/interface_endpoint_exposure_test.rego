# METADATA
# title: Tests for GR-NET-006
# description: >-
#   Fixtures in testdata/interface_endpoint_exposure: interface endpoints whose security groups
#   admit the world (inline, through rule resources, IPv6) or that have none, and compliant ones.
#   The plan fixture is hand-written and follows the documented `terraform show -json` format
#   (format_version 1.2).
package guardrails.rules.network.interface_endpoint_exposure_test

import data.guardrails.rules.network.interface_endpoint_exposure

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.network.testdata.interface_endpoint_exposure

_by_address(document) := {finding.address: finding.message |
	some finding in interface_endpoint_exposure.findings with input as _input(document)
}

_messages := _by_address(_fixtures.positive)

test_fires_on_each_open_group_and_only_those if {
	object.keys(_messages) == {
		"aws_security_group.open_inline", "aws_security_group.open_v6",
		"aws_security_group.open_by_rules", "aws_vpc_endpoint.no_group",
	}
}

test_findings_carry_the_rule if {
	some finding in interface_endpoint_exposure.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-NET-006"
	finding.severity == "high"
}

test_open_groups_name_the_rule_and_the_endpoint if {
	contains(_messages["aws_security_group.open_inline"], "aws_security_group.open_inline: an inline ingress rule admits 0.0.0.0/0, so any network that routes into the VPC reaches DynamoDB through interface endpoint aws_vpc_endpoint.inline")
	contains(_messages["aws_security_group.open_v6"], "an inline ingress rule admits ::/0")
	message := _messages["aws_security_group.open_by_rules"]
	contains(message, "aws_security_group_rule.world admits 0.0.0.0/0; aws_vpc_security_group_ingress_rule.world_v6 admits ::/0")
	contains(message, "admit 443 only from the client networks' CIDR blocks")
}

test_an_endpoint_without_groups_gets_the_default_group if {
	contains(_messages["aws_vpc_endpoint.no_group"], "names no security group, so it gets the VPC's default security group")
}

test_quiet_with_narrow_groups_gateways_and_other_services if {
	count(interface_endpoint_exposure.findings) == 0 with input as _input(_fixtures.negative)
}

test_plan_resolves_groups_through_the_configuration if {
	messages := _by_address(_fixtures.plan_positive)
	object.keys(messages) == {"aws_security_group.endpoint"}
	contains(messages["aws_security_group.endpoint"], "an inline ingress rule admits 0.0.0.0/0")
}

test_plan_group_ids_left_unknown_are_not_missing if {
	plan := json.patch(_fixtures.plan_positive, [
		{"op": "remove", "path": "/planned_values/root_module/resources/1/values/security_group_ids"},
		{"op": "add", "path": "/resource_changes/1/change/after_unknown/security_group_ids", "value": true},
	])
	object.keys(_by_address(plan)) == {"aws_security_group.endpoint"}
}

# Groups attached by association resources count, and are checked like the endpoint's own.
test_security_group_associations if {
	document := json.patch(_fixtures.positive, [{
		"op": "add",
		"path": "/resource/aws_vpc_endpoint_security_group_association",
		"value": {"no_group_open": {
			"vpc_endpoint_id": "${aws_vpc_endpoint.no_group.id}",
			"security_group_id": "${aws_security_group.open_v6.id}",
		}},
	}])
	messages := _by_address(document)
	not messages["aws_vpc_endpoint.no_group"]
	contains(messages["aws_security_group.open_v6"], "through interface endpoint aws_vpc_endpoint.no_group, aws_vpc_endpoint.v6")
}
