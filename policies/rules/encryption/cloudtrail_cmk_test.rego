# METADATA
# title: Tests for GR-ENC-007
# description: >-
#   Positive (violating) and negative (compliant) fixtures in testdata/cloudtrail_cmk.
#   The plan fixture follows the documented `terraform show -json` format
#   (format_version 1.2): a new key referenced by the configuration, and a
#   key from a variable that the plan cannot know.
package guardrails.rules.encryption.cloudtrail_cmk_test

import data.guardrails.rules.encryption.cloudtrail_cmk

_declared := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

_input(document) := {"stack": "dev", "document": document, "context": {
	"organization_id": "o-a1b2c3d4e5",
	"account_id": "111122223333",
	"key_arns": [_declared],
}}

_fixtures := data.rules.encryption.testdata.cloudtrail_cmk

_by_address(document) := {finding.address: finding.message |
	some finding in cloudtrail_cmk.findings with input as _input(document)
}

test_fires_without_a_customer_managed_key if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_cloudtrail.absent"], "kms_key_id is not set, so its log files get only the S3 bucket's default encryption")
	contains(messages["aws_cloudtrail.empty"], "kms_key_id is not set")
	contains(messages["aws_cloudtrail.aws_managed"], "alias/aws/s3 is an AWS-managed key")
	contains(messages["aws_cloudtrail.foreign"], "cannot verify that kms_key_id arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab is a customer-managed key: it names a key this stack does not declare")
	count(messages) == 4
}

test_findings_name_the_rule_and_the_fix if {
	findings := cloudtrail_cmk.findings with input as _input(_fixtures.positive)
	count(findings) == 4
	every finding in findings {
		finding.rule == "GR-ENC-007"
		finding.severity == "high"
		startswith(finding.message, concat("", [finding.address, ": "]))
		contains(finding.message, "; set kms_key_id to an aws_kms_key declared in this stack")
	}
}

test_quiet_with_a_stack_key_an_alias_of_one_or_a_declared_key if {
	count(cloudtrail_cmk.findings) == 0 with input as _input(_fixtures.negative)
}

test_declared_keys_count_only_when_the_environment_declares_them if {
	findings := cloudtrail_cmk.findings with input as {"stack": "dev", "document": _fixtures.negative}
	{finding.address | some finding in findings} == {"aws_cloudtrail.declared"}
}

test_plan_references_settle_unknown_keys_and_unknown_without_one_cannot_be_verified if {
	messages := _by_address(_fixtures.plan)
	object.keys(messages) == {"aws_cloudtrail.variable", "aws_cloudtrail.absent"}
	contains(messages["aws_cloudtrail.variable"], "cannot verify kms_key_id")
	contains(messages["aws_cloudtrail.absent"], "kms_key_id is not set")
}
