# METADATA
# title: Tests for GR-NET-004
# description: >-
#   Fixtures in testdata/source_ip_with_endpoint: aws:SourceIp conditions on DynamoDB statements
#   in identity, table and endpoint policies, next to a DynamoDB VPC endpoint.
package guardrails.rules.network.source_ip_with_endpoint_test

import data.guardrails.rules.network.source_ip_with_endpoint

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.network.testdata.source_ip_with_endpoint

_by_address(document) := {finding.address: finding.message |
	some finding in source_ip_with_endpoint.findings with input as _input(document)
}

_messages := _by_address(_fixtures.positive)

test_fires_on_dynamodb_statements_only if {
	object.keys(_messages) == {"aws_iam_role_policy.office", "aws_dynamodb_resource_policy.orders", "aws_vpc_endpoint.dynamodb"}
}

test_findings_carry_the_rule_and_the_fix if {
	some finding in source_ip_with_endpoint.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-NET-004"
	finding.severity == "medium"
	contains(finding.message, "come from private addresses")
	contains(finding.message, "condition on \"StringEquals\": {\"aws:SourceVpce\"")
}

test_identity_statements_name_the_operators if {
	message := _messages["aws_iam_role_policy.office"]
	startswith(message, concat("", [
		"aws_iam_role_policy.office: statement \"ReadFromOffice\" (IpAddress), ",
		"statement \"WriteFromOffice\" (ForAnyValue:IpAddress), statement 2 (NotIpAddressIfExists) condition DynamoDB access on aws:SourceIp",
	]))
	not contains(message, "ReadBucketFromOffice")
}

test_table_and_endpoint_policies if {
	contains(_messages["aws_dynamodb_resource_policy.orders"], "statement \"DenyOutsideOffice\" (NotIpAddress)")
	contains(_messages["aws_vpc_endpoint.dynamodb"], "statement \"OrganizationFromOffice\" (IpAddress)")
}

test_quiet_without_a_dynamodb_endpoint if {
	count(source_ip_with_endpoint.findings) == 0 with input as _input(json.remove(_fixtures.positive, ["resource/aws_vpc_endpoint"]))
}

test_quiet_when_dynamodb_access_uses_source_vpce if {
	count(source_ip_with_endpoint.findings) == 0 with input as _input(_fixtures.negative)
}
