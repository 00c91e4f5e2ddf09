# METADATA
# title: Tests for GR-NET-001
# description: >-
#   Fixtures in testdata/dynamodb_endpoint; variants are derived with json.patch. The plan fixture is
#   hand-written and follows the documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.network.dynamodb_endpoint_test

import data.guardrails.rules.network.dynamodb_endpoint

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.network.testdata.dynamodb_endpoint

_by_address(document) := {finding.address: finding.message |
	some finding in dynamodb_endpoint.findings with input as _input(document)
}

# The negative fixture with only the named endpoint left.
_only_endpoint(name) := json.patch(_fixtures.negative, [{
	"op": "replace",
	"path": "/resource/aws_vpc_endpoint",
	"value": {name: _fixtures.negative.resource.aws_vpc_endpoint[name]},
}])

test_fires_on_every_table_when_there_is_only_an_interface_endpoint if {
	messages := _by_address(_fixtures.positive)
	count(messages) == 2
	some address in ["aws_dynamodb_table.orders", "aws_dynamodb_table.customers"]
	contains(messages[address], concat("", [address, ": the stack declares no Gateway VPC endpoint for DynamoDB (only an Interface endpoint)"]))
	contains(messages[address], "vpc_endpoint_type Gateway")
}

test_findings_carry_the_rule if {
	some finding in dynamodb_endpoint.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-NET-001"
	finding.severity == "high"
	finding.stack == "dev"
}

test_fires_without_any_endpoint if {
	messages := _by_address(json.remove(_fixtures.positive, ["resource/aws_vpc_endpoint"]))
	count(messages) == 2
	contains(messages["aws_dynamodb_table.orders"], "declares no Gateway VPC endpoint for DynamoDB, so traffic")
}

test_quiet_without_tables if {
	count(dynamodb_endpoint.findings) == 0 with input as _input(json.remove(_fixtures.positive, ["resource/aws_dynamodb_table"]))
}

test_quiet_with_attached_gateway_endpoints if {
	count(dynamodb_endpoint.findings) == 0 with input as _input(_fixtures.negative)
}

test_each_way_of_attaching_route_tables_is_enough if {
	# route_table_ids listed; association resources; a list token from a variable.
	every name in ["dynamodb", "dynamodb_associated", "dynamodb_from_service"] {
		count(dynamodb_endpoint.findings) == 0 with input as _input(_only_endpoint(name))
	}
}

test_fires_on_a_gateway_endpoint_without_route_tables if {
	document := json.remove(_only_endpoint("dynamodb"), ["resource/aws_vpc_endpoint/dynamodb/route_table_ids"])
	messages := _by_address(document)
	count(messages) == 1
	contains(messages["aws_vpc_endpoint.dynamodb"], "attached to no route table")
	contains(messages["aws_vpc_endpoint.dynamodb"], "aws_vpc_endpoint_route_table_association")
}

test_fires_on_empty_route_tables_and_associations_of_another_endpoint if {
	document := json.patch(_fixtures.negative, [
		{"op": "replace", "path": "/resource/aws_vpc_endpoint/dynamodb/route_table_ids", "value": []},
		{"op": "replace", "path": "/resource/aws_vpc_endpoint/dynamodb_from_service/route_table_ids", "value": ""},
		{
			"op": "replace",
			"path": "/resource/aws_vpc_endpoint_route_table_association/private_a/vpc_endpoint_id",
			"value": "${aws_vpc_endpoint.dynamodb.id}",
		},
		{"op": "remove", "path": "/resource/aws_vpc_endpoint_route_table_association/private_b"},
	])
	messages := _by_address(document)
	object.keys(messages) == {"aws_vpc_endpoint.dynamodb_associated", "aws_vpc_endpoint.dynamodb_from_service"}
}

test_quiet_on_a_plan_whose_route_tables_are_referenced if {
	count(dynamodb_endpoint.findings) == 0 with input as _input(_fixtures.plan_negative)
}

test_cannot_verify_unknown_route_tables_without_references if {
	plan := json.patch(_fixtures.plan_negative, [{
		"op": "replace",
		"path": "/configuration/root_module/resources/2/expressions/route_table_ids",
		"value": {"references": ["var.route_table_ids"]},
	}])
	messages := _by_address(plan)
	count(messages) == 1
	contains(messages["aws_vpc_endpoint.dynamodb"], "cannot verify route_table_ids")
}

test_cannot_verify_an_unknown_service_name if {
	plan := json.patch(_fixtures.plan_negative, [
		{"op": "remove", "path": "/planned_values/root_module/resources/2/values/service_name"},
		{"op": "add", "path": "/resource_changes/2/change/after_unknown/service_name", "value": true},
		{
			"op": "replace",
			"path": "/configuration/root_module/resources/2/expressions/service_name",
			"value": {"references": ["var.service_name"]},
		},
	])
	messages := _by_address(plan)
	count(messages) == 1
	contains(messages["aws_vpc_endpoint.dynamodb"], "cannot verify service_name")
}

test_quiet_when_a_known_gateway_exists_besides_an_unknown_endpoint if {
	plan := json.patch(_fixtures.plan_negative, [
		{"op": "add", "path": "/planned_values/root_module/resources/-", "value": {
			"address": "aws_vpc_endpoint.other",
			"mode": "managed",
			"type": "aws_vpc_endpoint",
			"name": "other",
			"values": {"vpc_id": "vpc-0123456789abcdef0"},
		}},
		{"op": "add", "path": "/resource_changes/-", "value": {
			"address": "aws_vpc_endpoint.other",
			"mode": "managed",
			"type": "aws_vpc_endpoint",
			"name": "other",
			"change": {"actions": ["create"], "after": {}, "after_unknown": {"service_name": true}},
		}},
	])
	count(dynamodb_endpoint.findings) == 0 with input as _input(plan)
}
