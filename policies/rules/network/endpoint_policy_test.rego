# METADATA
# title: Tests for GR-NET-002
# description: >-
#   Fixtures in testdata/endpoint_policy: one endpoint per way of getting the policy wrong, and
#   compliant ones. The plan fixture is hand-written and follows the documented
#   `terraform show -json` format (format_version 1.2).
package guardrails.rules.network.endpoint_policy_test

import data.guardrails.rules.network.endpoint_policy

_organization := "o-a1b2c3d4e5"

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": _organization}}

_fixtures := data.rules.network.testdata.endpoint_policy

_by_address(document) := {finding.address: finding.message |
	some finding in endpoint_policy.findings with input as _input(document)
}

_messages := _by_address(_fixtures.positive)

_no_organization := "lets any principal through without requiring aws:PrincipalOrgID \"o-a1b2c3d4e5\""

test_fires_on_each_bad_endpoint_and_only_those if {
	object.keys(_messages) == {concat(".", ["aws_vpc_endpoint", name]) | some name in [
		"no_policy", "full_access", "no_organization", "organization_if_exists", "other_organization",
		"everyone_but", "not_resource", "no_resource", "star_resource", "both", "separate",
		"interface_describe_star", "interface_no_organization",
	]}
}

test_findings_carry_the_rule_and_the_fix if {
	some finding in endpoint_policy.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-NET-002"
	finding.severity == "critical"
	contains(finding.message, "require StringEquals aws:PrincipalOrgID \"o-a1b2c3d4e5\" and list only this stack's tables")
}

test_no_policy_is_the_full_access_default if {
	contains(_messages["aws_vpc_endpoint.no_policy"], "aws_vpc_endpoint.no_policy: the endpoint has no policy, so AWS attaches its full-access default")
}

test_full_access_statement if {
	contains(_messages["aws_vpc_endpoint.full_access"], "statement \"FullAccess\" is full access")
	not contains(_messages["aws_vpc_endpoint.full_access"], "lets any principal")
}

test_any_principal_without_the_organization if {
	contains(_messages["aws_vpc_endpoint.no_organization"], concat(" ", ["statement \"NoOrganization\"", _no_organization]))
	contains(_messages["aws_vpc_endpoint.everyone_but"], concat(" ", ["statement \"EveryoneBut\"", _no_organization]))
	not contains(_messages["aws_vpc_endpoint.no_organization"], "not specific tables")
}

test_organization_if_exists_is_not_accepted if {
	contains(_messages["aws_vpc_endpoint.organization_if_exists"], concat(" ", ["statement \"OrganizationIfExists\"", _no_organization]))
}

test_another_organization_is_not_accepted if {
	contains(_messages["aws_vpc_endpoint.other_organization"], concat(" ", ["statement \"OtherOrganization\"", _no_organization]))
}

test_resources_that_are_not_specific_tables if {
	contains(_messages["aws_vpc_endpoint.not_resource"], "statement \"NotResource\" reaches resources that are not specific tables (NotResource)")
	contains(_messages["aws_vpc_endpoint.no_resource"], "statement 1 reaches resources that are not specific tables (no Resource)")
	contains(_messages["aws_vpc_endpoint.star_resource"], "statement 2 reaches resources that are not specific tables (*, arn:aws:dynamodb:us-east-1:111122223333:table/*)")
	not contains(_messages["aws_vpc_endpoint.star_resource"], "TablesOnly")
}

test_every_problem_of_a_statement_is_named if {
	contains(_messages["aws_vpc_endpoint.both"], concat(" ", ["statement \"Both\"", _no_organization]))
	contains(_messages["aws_vpc_endpoint.both"], "statement \"Both\" reaches resources that are not specific tables (*)")
}

test_separate_endpoint_policy_resource_is_read_for_its_endpoint if {
	contains(_messages["aws_vpc_endpoint.separate"], concat(" ", ["statement \"SeparateNoOrganization\"", _no_organization]))
	not contains(_messages["aws_vpc_endpoint.separate"], "has no policy")
	not _messages["aws_vpc_endpoint_policy.separate"]
}

test_quiet_on_organization_scoped_table_only_policies if {
	count(endpoint_policy.findings) == 0 with input as _input(_fixtures.negative)
}

test_without_an_organization_id_only_resources_are_checked if {
	messages := {finding.address: finding.message |
		some finding in endpoint_policy.findings with input as {"document": _fixtures.positive, "context": {}}
	}
	not messages["aws_vpc_endpoint.no_organization"]
	contains(messages["aws_vpc_endpoint.star_resource"], "not specific tables")
	contains(messages["aws_vpc_endpoint.no_policy"], "StringEquals aws:PrincipalOrgID <the organization id>")
}

test_plan_reads_the_policy_resource_of_a_new_endpoint if {
	messages := _by_address(_fixtures.plan_positive)
	count(messages) == 1
	contains(messages["aws_vpc_endpoint.dynamodb"], concat(" ", ["statement \"AnyoneToOrders\"", _no_organization]))
	not contains(messages["aws_vpc_endpoint.dynamodb"], "OrganizationToOrders")
}

_endpoint_reaching(resources) := {"resource": {
	"aws_dynamodb_table": {"orders": {"name": "Orders", "hash_key": "Id"}},
	"aws_vpc_endpoint": {"dynamodb": {
		"service_name": "com.amazonaws.us-east-1.dynamodb",
		"route_table_ids": ["rtb-0123456789abcdef0"],
		"policy": json.marshal({"Statement": [{
			"Sid": "Organization", "Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem",
			"Resource": resources,
			"Condition": {"StringEquals": {"aws:PrincipalOrgID": _organization}},
		}]}),
	}},
}}

test_fires_on_tables_the_stack_does_not_declare if {
	messages := {finding.message |
		some finding in endpoint_policy.findings with input as {
			"stack": "dev",
			"document": _endpoint_reaching([
				"${aws_dynamodb_table.orders.arn}",
				"arn:aws:dynamodb:us-east-1:999999999999:table/Orders",
				"arn:aws:dynamodb:us-east-1:111122223333:table/Payments",
			]),
			"context": {"organization_id": _organization, "account_id": "111122223333"},
		}
	}
	some message in messages
	contains(message, concat("", [
		"statement \"Organization\" reaches tables this stack does not declare (",
		"arn:aws:dynamodb:us-east-1:111122223333:table/Payments, arn:aws:dynamodb:us-east-1:999999999999:table/Orders)",
	]))
}

test_quiet_on_the_stack_own_table_by_reference_or_arn if {
	count(endpoint_policy.findings) == 0 with input as {
		"stack": "dev",
		"document": _endpoint_reaching(["${aws_dynamodb_table.orders.arn}", "arn:aws:dynamodb:us-east-1:111122223333:table/Orders/index/*"]),
		"context": {"organization_id": _organization, "account_id": "111122223333"},
	}
}

# Interface endpoints are held to the same policy; DescribeEndpoints, which names no resource, may
# be granted on "*", but a wildcard that also covers table actions may not.
test_interface_endpoints_are_judged_alike if {
	contains(_messages["aws_vpc_endpoint.interface_describe_star"], "statement \"DescribeEverything\" reaches resources that are not specific tables (*)")
	message := _messages["aws_vpc_endpoint.interface_no_organization"]
	contains(message, concat(" ", ["statement \"AnyoneDescribes\"", _no_organization]))
	not contains(message, "not specific tables")
}
