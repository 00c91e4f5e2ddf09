# METADATA
# title: Tests for GR-ENC-001
# description: Positive (violating) and negative (compliant) fixtures in testdata/table_cmk.
package guardrails.rules.encryption.table_cmk_test

import data.guardrails.rules.encryption.table_cmk

_input(document) := {"stack": "dev", "document": document, "context": {
	"organization_id": "o-a1b2c3d4e5",
	"key_arns": ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
}}

_fixtures := data.rules.encryption.testdata.table_cmk

_by_address(document) := {finding.address: finding.message |
	some finding in table_cmk.findings with input as _input(document)
}

test_fires_on_every_way_of_not_using_a_customer_managed_key if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_dynamodb_table.no_sse"], "no server_side_encryption block")
	contains(messages["aws_dynamodb_table.disabled"], "disabled (enabled = false)")
	contains(messages["aws_dynamodb_table.aws_managed"], "AWS-managed aws/dynamodb key")
	contains(messages["aws_dynamodb_table.aws_alias"], "alias/aws/dynamodb is not a customer-managed key")
	contains(messages["aws_dynamodb_table.foreign_key"], "999999999999")
	contains(messages["aws_dynamodb_table.replica_without_key"], "replica in eu-west-1")
	contains(messages["aws_dynamodb_table_replica.replica"], "set kms_key_arn")
	count(messages) == 7
}

test_findings_name_the_fix if {
	some finding in table_cmk.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-ENC-001"
	finding.severity == "critical"
	contains(finding.message, "kms_key_arn")
}

test_quiet_with_stack_or_declared_keys if {
	count(table_cmk.findings) == 0 with input as _input(_fixtures.negative)
}

test_quiet_on_a_plan_whose_new_key_is_referenced if {
	count(table_cmk.findings) == 0 with input as _input(_fixtures.plan_negative)
}

test_cannot_verify_an_unknown_key_without_reference if {
	plan := json.patch(_fixtures.plan_negative, [{
		"op": "replace",
		"path": "/configuration/root_module/resources/1/expressions/server_side_encryption/0/kms_key_arn",
		"value": {"references": ["var.key_arn"]},
	}])
	some finding in table_cmk.findings with input as _input(plan)
	contains(finding.message, "cannot verify server_side_encryption.kms_key_arn")
}

test_a_plan_key_matched_by_its_arn_counts_even_through_a_module if {
	# plan_shapes: the tables hold the ARN of a key declared three modules deep, with no reference
	# the root module can follow.
	findings := {finding.address |
		some finding in table_cmk.findings with input as {"stack": "app", "context": {}, "document": data.lib.testdata.plan_shapes}
	}
	findings == {`aws_dynamodb_table.orders["us"]`}
}
