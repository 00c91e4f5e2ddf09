# METADATA
# title: Tests for GR-FGA-003
# description: >-
#   Positive (LeadingKeys restrictions beside Scan, PartiQL, stream reads,
#   dynamodb:* and NotAction, in JSON and aws_iam_policy_document form) and
#   negative (the talk's Alice policy, the shipped books policy, an
#   unrestricted reporting Scan, a Deny) fixtures in testdata/leading_keys_bypass.
#   The plan fixture follows the documented `terraform show -json` format
#   (format_version 1.2).
package guardrails.rules.access.leading_keys_bypass_test

import data.guardrails.rules.access.leading_keys_bypass

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.access.testdata.leading_keys_bypass

_by_address(document) := {finding.address: finding.message |
	some finding in leading_keys_bypass.findings with input as _input(document)
}

test_fires_naming_the_actions_that_ignore_leading_keys if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_iam_role_policy.scan"], "statement \"ReadProductCatalogItems\" (Scan)")
	contains(messages["aws_iam_role_policy.bob"], "statement \"ReadBicycles\" (Scan)")
	contains(messages["aws_iam_user_policy.partiql"], "statement \"PartiQLOnOwnPartition\" (PartiQLSelect, PartiQLUpdate)")
	contains(messages["aws_iam_policy.star"], "(DescribeStream, GetRecords, GetShardIterator, PartiQLDelete, PartiQLInsert, PartiQLSelect, PartiQLUpdate, Scan)")
	contains(messages["aws_iam_policy.not_action"], "statement 1 (DescribeStream, GetRecords, GetShardIterator, PartiQLDelete")
	not contains(messages["aws_iam_policy.not_action"], "Scan")
	contains(messages["aws_dynamodb_resource_policy.catalog"], "statement \"PartnerScansItsPartition\" (Scan)")
	count(messages) == 6
}

test_findings_explain_the_hole_and_the_fix if {
	some finding in leading_keys_bypass.findings with input as _input(_fixtures.positive)
	finding.address == "aws_iam_role_policy.scan"
	finding.rule == "GR-FGA-003"
	finding.severity == "critical"
	startswith(finding.message, "aws_iam_role_policy.scan: ")
	contains(finding.message, "restrict dynamodb:LeadingKeys but grant actions that do not carry a partition key")
	contains(finding.message, "read every partition")
	contains(finding.message, "remove these actions")
}

test_quiet_without_bypassing_actions_without_leading_keys_and_on_deny if {
	count(leading_keys_bypass.findings) == 0 with input as _input(_fixtures.negative)
}

test_fires_on_a_plan if {
	messages := _by_address(_fixtures.plan_positive)
	contains(messages["aws_iam_role_policy.books"], "statement \"ReadProductCatalogItems\" (Scan)")
	count(messages) == 1
}
