# METADATA
# title: Tests for GR-FGA-002
# description: >-
#   Positive (ForAnyValue or unqualified operators on dynamodb:LeadingKeys and
#   dynamodb:Attributes, in JSON and aws_iam_policy_document form) and negative
#   (the talk's Alice policy, the shipped books policy, a Deny) fixtures in
#   testdata/for_all_values. The plan fixture follows the documented
#   `terraform show -json` format (format_version 1.2).
package guardrails.rules.access.for_all_values_test

import data.guardrails.rules.access.for_all_values

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.access.testdata.for_all_values

_by_address(document) := {finding.address: finding.message |
	some finding in for_all_values.findings with input as _input(document)
}

test_fires_naming_statement_operator_and_key if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_iam_role_policy.any_value"], "statement \"ReadProductCatalogItems\" (ForAnyValue:StringEquals dynamodb:Attributes)")
	contains(messages["aws_iam_role_policy.bob"], "statement 1 (ForAnyValue:NumericLessThanEquals dynamodb:LeadingKeys)")
	contains(messages["aws_iam_user_policy.unqualified"], "statement \"OwnPartition\" (StringEquals dynamodb:LeadingKeys), statement \"OwnPartition\" (StringLikeIfExists dynamodb:Attributes)")
	contains(messages["aws_dynamodb_resource_policy.catalog"], "(ForAnyValue:StringEquals dynamodb:LeadingKeys)")
	count(messages) == 4
}

test_findings_explain_the_hole_and_the_fix if {
	some finding in for_all_values.findings with input as _input(_fixtures.positive)
	finding.address == "aws_iam_role_policy.any_value"
	finding.rule == "GR-FGA-002"
	finding.severity == "high"
	startswith(finding.message, "aws_iam_role_policy.any_value: ")
	contains(finding.message, "allowed when any one of its keys or attributes matches")
	contains(finding.message, "\"ForAllValues:<operator>\"")
}

test_quiet_on_for_all_values_and_on_deny if {
	count(for_all_values.findings) == 0 with input as _input(_fixtures.negative)
}

test_fires_on_a_plan if {
	messages := _by_address(_fixtures.plan_positive)
	contains(messages["aws_iam_role_policy.books"], "(ForAnyValue:NumericGreaterThanEquals dynamodb:LeadingKeys)")
	count(messages) == 1
}
