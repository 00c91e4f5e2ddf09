# METADATA
# title: Tests for GR-NET-003
# description: >-
#   Fixtures in testdata/data_access_via_endpoint: identity policies with and without
#   aws:SourceVpce, and table resource policies that do or do not deny access outside the
#   endpoint. The plan fixture is hand-written and follows the documented `terraform show -json`
#   format (format_version 1.2).
package guardrails.rules.network.data_access_via_endpoint_test

import data.guardrails.rules.network.data_access_via_endpoint

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.network.testdata.data_access_via_endpoint

_by_address(document) := {finding.address: finding.message |
	some finding in data_access_via_endpoint.findings with input as _input(document)
}

_messages := _by_address(_fixtures.positive)

test_fires_on_each_bad_policy_and_only_those if {
	object.keys(_messages) == {
		"aws_iam_role_policy.no_source_vpce", "aws_iam_role_policy.if_exists",
		"aws_iam_role_policy.not_covered", "aws_iam_role_policy.every_table",
	}
}

test_findings_carry_the_rule_and_the_fix if {
	some finding in data_access_via_endpoint.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-NET-003"
	finding.severity == "critical"
	contains(finding.message, "work from outside this stack's endpoint")
	contains(finding.message, "add \"StringEquals\": {\"aws:SourceVpce\"")
	contains(finding.message, "aws_dynamodb_resource_policy with a Deny for Principal \"*\"")
}

test_statements_without_source_vpce if {
	message := _messages["aws_iam_role_policy.no_source_vpce"]
	startswith(message, "aws_iam_role_policy.no_source_vpce: statement \"ReadOpen\" (GetItem, Query), statement 2 (PutItem) grant")

	# Control-plane actions and other services are not data access.
	not contains(message, "DescribeOpen")
	not contains(message, "ReadBucket")
}

test_source_vpce_if_exists_or_for_all_values_is_not_accepted if {
	contains(_messages["aws_iam_role_policy.if_exists"], "statement \"ReadOpenForAll\" (Query), statement \"ReadOpenIfExists\" (GetItem)")
}

test_resource_policies_that_do_not_deny_everything_granted if {
	message := _messages["aws_iam_role_policy.not_covered"]

	# Reads denied outside the endpoint, writes not.
	contains(message, "statement \"WritePartial\" (GetItem, PutItem)")

	# Denied on the indexes only; for one principal only; with another condition; with IfExists.
	contains(message, "statement \"ReadIndexesOnly\" (GetItem)")
	contains(message, "statement \"ReadNamedPrincipal\" (GetItem)")
	contains(message, "statement \"ReadNarrowed\" (GetItem)")
	contains(message, "statement \"ReadProtected\" (GetItem)")

	# Denied on the table and one index: a grant on every index is not covered, one on that index is.
	contains(message, "statement \"QueryTableOnlyIndexes\" (Query)")
	not contains(message, "QueryTableOnlyByDate")
}

test_wildcard_and_foreign_resources_are_not_protected if {
	message := _messages["aws_iam_role_policy.every_table"]
	contains(message, "statement \"ReadEverything\" (BatchGetItem, BatchWriteItem,")
	contains(message, "statement \"ReadAnyTable\" (Scan)")
	contains(message, "statement \"ReadOtherAccount\" (Scan)")
}

test_resource_star_stays_unprotected_even_when_every_table_denies if {
	# Every table of the negative fixture denies access outside the endpoint, but "*" reaches other tables.
	document := json.patch(_fixtures.negative, [{
		"op": "replace",
		"path": "/resource/aws_iam_role_policy/resource_policy/policy",
		"value": json.marshal({"Statement": [{"Sid": "ReadAll", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}),
	}])
	messages := _by_address(document)
	contains(messages["aws_iam_role_policy.resource_policy"], "statement \"ReadAll\" (GetItem)")
}

test_quiet_with_source_vpce_or_denying_resource_policies if {
	count(data_access_via_endpoint.findings) == 0 with input as _input(_fixtures.negative)
}

test_fires_when_the_resource_policy_is_removed if {
	messages := _by_address(json.remove(_fixtures.negative, ["resource/aws_dynamodb_resource_policy"]))
	object.keys(messages) == {"aws_iam_role_policy.resource_policy"}
	contains(messages["aws_iam_role_policy.resource_policy"], "statement \"QueryOrdersIndex\" (Query), statement \"ReadOrders\" (GetItem, PutItem, Query), statement \"ReadProtected\" (DeleteItem, GetItem, PutItem, Query, UpdateItem)")
}

test_quiet_on_a_plan_whose_resource_policy_references_the_new_table if {
	count(data_access_via_endpoint.findings) == 0 with input as _input(_fixtures.plan_negative)
}

test_plan_resource_policy_of_another_table_does_not_protect if {
	plan := json.patch(_fixtures.plan_negative, [{
		"op": "replace",
		"path": "/configuration/root_module/resources/1/expressions/resource_arn",
		"value": {"references": ["var.table_arn"]},
	}])
	messages := _by_address(plan)
	contains(messages["aws_iam_role_policy.app"], "statement \"ReadOrders\" (GetItem, Query)")
}

# Another VPC's endpoint lets requests from that network in; the stack's own endpoint is named
# by reference (cdk.tf.json) or by its id (plan).
test_fires_when_source_vpce_names_another_endpoint if {
	document := json.patch(_fixtures.negative, [{
		"op": "replace",
		"path": "/resource/aws_iam_role_policy/source_vpce/policy",
		"value": json.marshal({"Statement": [{
			"Sid": "ReadThroughAnotherVpc", "Effect": "Allow", "Action": "dynamodb:GetItem",
			"Resource": "${aws_dynamodb_table.open.arn}",
			"Condition": {"StringEquals": {"aws:SourceVpce": ["${aws_vpc_endpoint.dynamodb.id}", "vpce-0ffe1e2e3e4e5e6e7"]}},
		}]}),
	}])
	message := _by_address(document)["aws_iam_role_policy.source_vpce"]
	contains(message, "statement \"ReadThroughAnotherVpc\" (GetItem) requires aws:SourceVpce vpce-0ffe1e2e3e4e5e6e7, which is not this stack's DynamoDB endpoint")
}

# A plan carries the endpoint's id as a value: the policy names it by that id.
_plan_with_source_vpce(vpce) := {
	"format_version": "1.2",
	"planned_values": {"root_module": {"resources": [
		{
			"address": "aws_vpc_endpoint.dynamodb", "mode": "managed", "type": "aws_vpc_endpoint", "name": "dynamodb",
			"values": {"id": "vpce-0a1b2c3d4e5f60718", "service_name": "com.amazonaws.us-east-1.dynamodb", "vpc_endpoint_type": "Gateway"},
		},
		{
			"address": "aws_iam_role_policy.app", "mode": "managed", "type": "aws_iam_role_policy", "name": "app",
			"values": {"policy": json.marshal({"Statement": [{
				"Sid": "Read", "Effect": "Allow", "Action": "dynamodb:GetItem",
				"Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
				"Condition": {"StringEquals": {"aws:SourceVpce": vpce}},
			}]})},
		},
	]}},
	"resource_changes": [],
}

test_a_plan_names_the_endpoint_by_its_id if {
	count(_by_address(_plan_with_source_vpce("vpce-0a1b2c3d4e5f60718"))) == 0
	contains(
		_by_address(_plan_with_source_vpce("vpce-0ffe1e2e3e4e5e6e7"))["aws_iam_role_policy.app"],
		"requires aws:SourceVpce vpce-0ffe1e2e3e4e5e6e7, which is not this stack's DynamoDB endpoint",
	)
}

# A gateway and an interface endpoint: every aws:SourceVpce list names both.
_two := _by_address(_fixtures.two_endpoints)

test_source_vpce_lists_name_every_endpoint if {
	object.keys(_two) == {
		"aws_iam_role_policy.gateway_only", "aws_iam_role_policy.open_and_partial",
		"aws_dynamodb_resource_policy.orders",
	}
	contains(_two["aws_iam_role_policy.gateway_only"], "aws_iam_role_policy.gateway_only: statement \"ReadThroughGateway\" (without aws_vpc_endpoint.interface) list aws:SourceVpce values that leave out one of this stack's DynamoDB endpoints, so calls through it are refused")
	not contains(_two["aws_iam_role_policy.gateway_only"], "ReadThroughEither")
	contains(_two["aws_dynamodb_resource_policy.orders"], "statement \"DenyOutsideEndpoints\" (without aws_vpc_endpoint.gateway)")
	contains(_two["aws_dynamodb_resource_policy.orders"], "list every DynamoDB endpoint of the stack in each aws:SourceVpce condition")
}

test_both_problems_in_one_finding if {
	message := _two["aws_iam_role_policy.open_and_partial"]
	startswith(message, "aws_iam_role_policy.open_and_partial: statement \"ReadAnywhere\" (GetItem) grant DynamoDB data-plane actions that work from outside")
	contains(message, "; statement \"ReadThroughInterface\" (without aws_vpc_endpoint.gateway) list aws:SourceVpce values")
	count([f | some f in data_access_via_endpoint.findings with input as _input(_fixtures.two_endpoints)]) == 3
}
