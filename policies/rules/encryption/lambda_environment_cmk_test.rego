# METADATA
# title: Tests for GR-ENC-008
# description: >-
#   Positive (violating) and negative (compliant) fixtures in testdata/lambda_environment_cmk.
#   The plan fixture follows the documented `terraform show -json` format
#   (format_version 1.2): a new key referenced by the configuration, and a
#   key from a variable that the plan cannot know.
package guardrails.rules.encryption.lambda_environment_cmk_test

import data.guardrails.rules.encryption.lambda_environment_cmk

_declared := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

_input(document) := {"stack": "dev", "document": document, "context": {
	"organization_id": "o-a1b2c3d4e5",
	"account_id": "111122223333",
	"key_arns": [_declared],
}}

_fixtures := data.rules.encryption.testdata.lambda_environment_cmk

_by_address(document) := {finding.address: finding.message |
	some finding in lambda_environment_cmk.findings with input as _input(document)
}

test_fires_without_a_customer_managed_key if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_lambda_function.absent"], "kms_key_arn is not set, so Lambda encrypts its environment variables with the AWS-managed aws/lambda key")
	contains(messages["aws_lambda_function.empty"], "kms_key_arn is not set")
	contains(messages["aws_lambda_function.aws_managed"], "alias/aws/lambda is an AWS-managed key")
	contains(messages["aws_lambda_function.foreign"], "cannot verify that kms_key_arn arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab is a customer-managed key: it names a key this stack does not declare")
	count(messages) == 4
}

test_findings_name_the_rule_and_the_fix if {
	findings := lambda_environment_cmk.findings with input as _input(_fixtures.positive)
	count(findings) == 4
	every finding in findings {
		finding.rule == "GR-ENC-008"
		finding.severity == "medium"
		startswith(finding.message, concat("", [finding.address, ": "]))
		contains(finding.message, "; set kms_key_arn to the arn of an aws_kms_key declared in this stack")
	}
}

test_quiet_with_a_stack_key_an_alias_of_one_or_a_declared_key if {
	count(lambda_environment_cmk.findings) == 0 with input as _input(_fixtures.negative)
}

test_declared_keys_count_only_when_the_environment_declares_them if {
	findings := lambda_environment_cmk.findings with input as {"stack": "dev", "document": _fixtures.negative}
	{finding.address | some finding in findings} == {"aws_lambda_function.declared"}
}

test_plan_references_settle_unknown_keys_and_unknown_without_one_cannot_be_verified if {
	messages := _by_address(_fixtures.plan)
	object.keys(messages) == {"aws_lambda_function.variable", "aws_lambda_function.absent"}
	contains(messages["aws_lambda_function.variable"], "cannot verify kms_key_arn")
	contains(messages["aws_lambda_function.absent"], "kms_key_arn is not set")
}

test_quiet_on_functions_without_environment_variables if {
	messages := _by_address(_fixtures.positive)
	not messages["aws_lambda_function.no_environment"]
	count(lambda_environment_cmk.findings) == 0 with input as _input({"resource": {"aws_lambda_function": {
		"no_environment": {"function_name": "a", "role": "r"},
		"no_variables": {"function_name": "b", "role": "r", "environment": {"variables": {}}},
	}}})
}

test_an_environment_the_plan_does_not_know_yet_is_still_checked if {
	plan := json.patch(_fixtures.plan, [
		{"op": "remove", "path": "/planned_values/root_module/resources/4/values/environment"},
		{"op": "replace", "path": "/resource_changes/4/change/after_unknown", "value": {"environment": true}},
	])
	messages := _by_address(plan)
	contains(messages["aws_lambda_function.absent"], "kms_key_arn is not set")
}
