# METADATA
# title: Tests for GR-FGA-001
# description: >-
#   Positive (the talk's Alice policy, Bob's as an aws_iam_policy_document data
#   source, and other ways of missing Select) and negative (compliant) fixtures
#   in testdata/attributes_require_select. The plan fixture follows the
#   documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.access.attributes_require_select_test

import data.guardrails.lib.iam
import data.guardrails.rules.access.attributes_require_select

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.access.testdata.attributes_require_select

_by_address(document) := {finding.address: finding.message |
	some finding in attributes_require_select.findings with input as _input(document)
}

test_fires_on_every_statement_that_limits_attributes_without_select if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_iam_user_policy.alice"], "statement \"FineGrainedTableAccess\" (GetItem, Query)")
	contains(messages["aws_iam_role_policy.bob"], "statement 1 (BatchGetItem, GetItem, Query)")
	contains(messages["aws_iam_policy.select_if_exists"], "statement \"ScanProjected\" (Scan)")
	contains(messages["aws_iam_policy.select_any"], "statement \"ReadAnySelect\" (GetItem)")
	contains(messages["aws_iam_policy.select_for_all"], "statement \"ReadForAllSelect\" (Query)")
	contains(messages["aws_iam_policy.star_action"], "(BatchGetItem, GetItem, PartiQLSelect, Query, Scan)")
	contains(messages["aws_iam_group_policy.analysts"], "statement \"ReadItems\" (GetItem), statement 2 (Query)")
	contains(messages["aws_dynamodb_resource_policy.catalog"], "statement \"PartnerReadsProjected\" (BatchGetItem)")
	count(messages) == 8
}

test_findings_explain_the_hole_and_the_fix if {
	some finding in attributes_require_select.findings with input as _input(_fixtures.positive)
	finding.address == "aws_iam_user_policy.alice"
	finding.rule == "GR-FGA-001"
	finding.severity == "high"
	startswith(finding.message, "aws_iam_user_policy.alice: ")
	contains(finding.message, "limit dynamodb:Attributes but do not require dynamodb:Select = SPECIFIC_ATTRIBUTES")
	contains(finding.message, "returns every attribute")
	contains(finding.message, "\"StringEquals\": {\"dynamodb:Select\": \"SPECIFIC_ATTRIBUTES\"}")
}

test_quiet_on_compliant_write_only_deny_and_unattached_documents if {
	count(attributes_require_select.findings) == 0 with input as _input(_fixtures.negative)
}

test_fires_on_a_plan_with_concrete_arns if {
	messages := _by_address(_fixtures.plan_positive)
	contains(messages["aws_iam_role_policy.alice"], "statement \"FineGrainedTableAccess\" (GetItem, Query)")
	count(messages) == 1
}

# An unknown policy is not read as compliant: it is unreadable, which GR-INPUT-002 reports.
test_unknown_policy_in_a_plan_is_left_to_unreadable if {
	some entry in iam.unreadable with input as _input(_fixtures.plan_positive)
	entry.address == "aws_iam_role_policy.pending"
	entry.reason == "unknown"
}
