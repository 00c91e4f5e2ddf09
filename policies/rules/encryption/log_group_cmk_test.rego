# METADATA
# title: Tests for GR-ENC-006
# description: >-
#   Positive (violating) and negative (compliant) fixtures in testdata/log_group_cmk.
#   The plan fixture follows the documented `terraform show -json` format
#   (format_version 1.2): a new key referenced by the configuration, and a
#   key from a variable that the plan cannot know.
package guardrails.rules.encryption.log_group_cmk_test

import data.guardrails.rules.encryption.log_group_cmk

_declared := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

_input(document) := {"stack": "dev", "document": document, "context": {
	"organization_id": "o-a1b2c3d4e5",
	"account_id": "111122223333",
	"key_arns": [_declared],
}}

_fixtures := data.rules.encryption.testdata.log_group_cmk

_by_address(document) := {finding.address: finding.message |
	some finding in log_group_cmk.findings with input as _input(document)
}

test_fires_without_a_customer_managed_key if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_cloudwatch_log_group.absent"], "kms_key_id is not set, so CloudWatch Logs encrypts the log group with a key it owns")
	contains(messages["aws_cloudwatch_log_group.empty"], "kms_key_id is not set")
	contains(messages["aws_cloudwatch_log_group.aws_managed"], "alias/aws/logs is an AWS-managed key")
	contains(messages["aws_cloudwatch_log_group.foreign"], "cannot verify that kms_key_id arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab is a customer-managed key: it names a key this stack does not declare")
	count(messages) == 4
}

test_findings_name_the_rule_and_the_fix if {
	findings := log_group_cmk.findings with input as _input(_fixtures.positive)
	count(findings) == 4
	every finding in findings {
		finding.rule == "GR-ENC-006"
		finding.severity == "medium"
		startswith(finding.message, concat("", [finding.address, ": "]))
		contains(finding.message, "; set kms_key_id to the arn of an aws_kms_key declared in this stack")
	}
}

test_quiet_with_a_stack_key_an_alias_of_one_or_a_declared_key if {
	count(log_group_cmk.findings) == 0 with input as _input(_fixtures.negative)
}

test_declared_keys_count_only_when_the_environment_declares_them if {
	findings := log_group_cmk.findings with input as {"stack": "dev", "document": _fixtures.negative}
	{finding.address | some finding in findings} == {"aws_cloudwatch_log_group.declared"}
}

test_plan_references_settle_unknown_keys_and_unknown_without_one_cannot_be_verified if {
	messages := _by_address(_fixtures.plan)
	object.keys(messages) == {"aws_cloudwatch_log_group.variable", "aws_cloudwatch_log_group.absent"}
	contains(messages["aws_cloudwatch_log_group.variable"], "cannot verify kms_key_id")
	contains(messages["aws_cloudwatch_log_group.absent"], "kms_key_id is not set")
}
