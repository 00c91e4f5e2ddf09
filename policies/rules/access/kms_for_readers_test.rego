# METADATA
# title: Tests for GR-FGA-005
# description: >-
#   Positive (violating) and negative (compliant) fixtures in testdata/kms_for_readers. The plan
#   fixtures are hand-written and follow the documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.access.kms_for_readers_test

import data.guardrails.rules.access.kms_for_readers

_input(document) := {"stack": "dev", "document": document, "context": {
	"organization_id": "o-a1b2c3d4e5",
	"account_id": "111122223333",
}}

_fixtures := data.rules.access.testdata.kms_for_readers

_by_address(document) := {finding.address: finding.message |
	some finding in kms_for_readers.findings with input as _input(document)
}

test_fires_on_the_jane_deny_and_on_roles_without_decrypt if {
	messages := _by_address(_fixtures.positive)
	jane := messages["aws_iam_role_policy.jane"]
	contains(jane, "statement 2 (a Deny with NotAction dynamodb:*) also denies kms:Decrypt on aws_kms_key.table_key")
	contains(jane, "aws_iam_role.jane needs to read")
	contains(jane, "add \"kms:*\"")
	contains(messages["aws_iam_role_policy.stream_reader"], "statement \"OnlyDynamoDb\"")
	every role in ["jane", "no_kms", "wrong_service", "other_key", "attached", "stream_reader"] {
		message := messages[concat(".", ["aws_iam_role", role])]
		contains(message, "reads aws_dynamodb_table.orders (encrypted with aws_kms_key.table_key)")
		contains(message, "no policy allows it kms:Decrypt on that key")
		contains(message, "kms:ViaService")
	}
	count(messages) == 8
}

test_findings_carry_the_rule if {
	some finding in kms_for_readers.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-FGA-005"
	finding.severity == "high"
}

test_quiet_when_every_reader_can_decrypt if {
	count(kms_for_readers.findings) == 0 with input as _input(_fixtures.negative)
}

test_quiet_on_a_plan_that_names_the_key_by_its_arn if {
	count(kms_for_readers.findings) == 0 with input as _input(_fixtures.plan_negative)
}

test_fires_on_a_plan_with_another_key_arn if {
	plan := json.patch(_fixtures.plan_negative, [{
		"op": "replace",
		"path": "/planned_values/root_module/resources/3/values/policy",
		"value": json.marshal({"Statement": [
			{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders"},
			{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/other"},
		]}),
	}])
	messages := _by_address(plan)
	contains(messages["aws_iam_role.reader"], "no policy allows it kms:Decrypt")
	count(messages) == 1
}

test_an_unknown_key_arn_is_not_read_as_allowed if {
	messages := _by_address(_fixtures.plan_positive)
	contains(messages["aws_iam_role.reader"], "reads aws_dynamodb_table.orders (encrypted with aws_kms_key.table_key)")
	count(messages) == 1
}

test_a_wildcard_for_every_key_of_the_account_covers_an_unknown_key if {
	plan := json.patch(_fixtures.plan_positive, [{
		"op": "replace",
		"path": "/planned_values/root_module/resources/3/values/policy",
		"value": json.marshal({"Statement": [
			{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"},
			{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/*"},
		]}),
	}])
	count(kms_for_readers.findings) == 0 with input as _input(plan)
}
