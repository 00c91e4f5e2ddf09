# METADATA
# title: Tests for GR-ENC-005
# description: >-
#   Positive (violating) and negative (compliant) fixtures in testdata/sns_topic_cmk.
#   The plan fixture follows the documented `terraform show -json` format
#   (format_version 1.2): a new key referenced by the configuration, and a
#   key from a variable that the plan cannot know.
package guardrails.rules.encryption.sns_topic_cmk_test

import data.guardrails.rules.encryption.sns_topic_cmk

_declared := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

_input(document) := {"stack": "dev", "document": document, "context": {
	"organization_id": "o-a1b2c3d4e5",
	"account_id": "111122223333",
	"key_arns": [_declared],
	"trusted_keys": ["alias/central-sns"],
}}

_fixtures := data.rules.encryption.testdata.sns_topic_cmk

_by_address(document) := {finding.address: finding.message |
	some finding in sns_topic_cmk.findings with input as _input(document)
}

test_fires_without_a_customer_managed_key if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_sns_topic.absent"], "kms_master_key_id is not set, so SNS stores the topic's messages without server-side encryption")
	contains(messages["aws_sns_topic.empty"], "kms_master_key_id is not set")
	contains(messages["aws_sns_topic.aws_managed"], "alias/aws/sns is an AWS-managed key")
	contains(messages["aws_sns_topic.unseen_alias"], "aws_sns_topic.unseen_alias: cannot verify that kms_master_key_id alias/MyAlias is a customer-managed key")
	not contains(messages["aws_sns_topic.unseen_alias"], "is not a customer-managed key")
	contains(messages["aws_sns_topic.foreign"], "cannot verify that kms_master_key_id arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab is a customer-managed key: it names a key this stack does not declare")
	count(messages) == 5
}

test_findings_name_the_rule_and_the_fix if {
	findings := sns_topic_cmk.findings with input as _input(_fixtures.positive)
	count(findings) == 5
	every finding in findings {
		finding.rule == "GR-ENC-005"
		finding.severity == "high"
		startswith(finding.message, concat("", [finding.address, ": "]))
		contains(finding.message, "; set kms_master_key_id to an aws_kms_key declared in this stack")
	}
}

test_quiet_with_a_stack_key_an_alias_of_one_or_a_declared_key if {
	count(sns_topic_cmk.findings) == 0 with input as _input(_fixtures.negative)
}

test_declared_keys_count_only_when_the_environment_declares_them if {
	findings := sns_topic_cmk.findings with input as {"stack": "dev", "document": _fixtures.negative}
	{finding.address | some finding in findings} == {"aws_sns_topic.declared", "aws_sns_topic.trusted_alias"}
}

test_plan_references_settle_unknown_keys_and_unknown_without_one_cannot_be_verified if {
	messages := _by_address(_fixtures.plan)
	object.keys(messages) == {"aws_sns_topic.variable", "aws_sns_topic.absent", "aws_sns_topic.unseen_alias"}
	contains(messages["aws_sns_topic.unseen_alias"], "cannot verify that kms_master_key_id alias/MyAlias is a customer-managed key")
	contains(messages["aws_sns_topic.variable"], "cannot verify kms_master_key_id")
	contains(messages["aws_sns_topic.absent"], "kms_master_key_id is not set")
}
