# METADATA
# title: Tests for GR-FGA-010
# description: >-
#   Fixtures in testdata/export_grant: identity policies that grant the export by name, by
#   wildcard and by NotAction, and ones that do not or take it back. The plan fixture is
#   hand-written and follows the documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.access.export_grant_test

import data.guardrails.rules.access.export_grant

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.access.testdata.export_grant

_by_address(document) := {finding.address: finding.message |
	some finding in export_grant.findings with input as _input(document)
}

_messages := _by_address(_fixtures.positive)

test_fires_on_each_granting_policy_and_only_those if {
	object.keys(_messages) == {
		"aws_iam_role_policy.named", "aws_iam_role_policy.wildcard",
		"aws_iam_role_policy.not_action", "aws_iam_role_policy.conditional_deny",
	}
}

test_findings_carry_the_rule_and_the_fix if {
	some finding in export_grant.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-FGA-010"
	finding.severity == "high"
	contains(finding.message, "allow dynamodb:ExportTableToPointInTime, which copies whole tables to an S3 bucket the caller chooses")
	contains(finding.message, "run exports from a dedicated, reviewed pipeline")
}

test_statements_are_named if {
	startswith(_messages["aws_iam_role_policy.named"], "aws_iam_role_policy.named: statement \"Export\" allow")
	startswith(_messages["aws_iam_role_policy.wildcard"], "aws_iam_role_policy.wildcard: statement \"Everything\", statement 2 allow")
	contains(_messages["aws_iam_role_policy.not_action"], "statement \"AllButDelete\"")

	# A conditional Deny leaves the grant in place for requests that meet the condition.
	contains(_messages["aws_iam_role_policy.conditional_deny"], "statement \"Everything\"")
}

test_quiet_without_grants_or_with_an_unconditional_deny if {
	count(export_grant.findings) == 0 with input as _input(_fixtures.negative)
}

test_plan_policy_with_lowercase_action if {
	messages := _by_address(_fixtures.plan_positive)
	object.keys(messages) == {"aws_iam_policy.exporter"}
	contains(messages["aws_iam_policy.exporter"], "statement \"ExportOrders\" allow dynamodb:ExportTableToPointInTime")
}
