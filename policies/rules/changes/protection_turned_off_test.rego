# METADATA
# title: Tests for GR-CHG-005
# description: >-
#   Fixtures in testdata/protection_turned_off, written from Terraform's
#   documented JSON plan format: positive (deletion protection, PITR, the
#   table's key moved to the AWS owned and the AWS managed key, a replica's
#   PITR), negative (another customer-managed key, a new key not yet known,
#   PITR unknown, already off, turned on, created off, replaced).
package guardrails.rules.changes.protection_turned_off_test

import data.guardrails.rules.changes.protection_turned_off

_fixtures := data.rules.changes.testdata.protection_turned_off

_findings(document) := findings if {
	findings := protection_turned_off.findings with input as {"stack": "prod", "document": document, "context": {}}
}

_messages(document) := {finding.address: finding.message | some finding in _findings(document)}

test_fires_on_each_protection_turned_off if {
	messages := _messages(_fixtures.positive)
	object.keys(messages) == {
		"aws_dynamodb_table.unprotected", "aws_dynamodb_table.no_pitr", "aws_dynamodb_table.aws_owned",
		"aws_dynamodb_table.aws_managed", "aws_dynamodb_table_replica.us",
	}
	contains(messages["aws_dynamodb_table.unprotected"], "turns off deletion protection on this table (deletion_protection_enabled: true -> false)")
	contains(messages["aws_dynamodb_table.no_pitr"], "turns off point-in-time recovery on this table (point_in_time_recovery: enabled -> disabled)")
	contains(messages["aws_dynamodb_table.aws_owned"], "off its customer-managed key (arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab -> the AWS owned key)")
	contains(messages["aws_dynamodb_table.aws_managed"], "-> the AWS managed key alias/aws/dynamodb")
	contains(messages["aws_dynamodb_table_replica.us"], "turns off point-in-time recovery on this replica")
}

test_findings_carry_the_rule_identity if {
	every finding in _findings(_fixtures.positive) {
		finding.rule == "GR-CHG-005"
		finding.severity == "high"
	}
}

test_quiet_unless_a_known_protection_goes_from_on_to_off if {
	count(_findings(_fixtures.negative)) == 0
}

test_quiet_on_a_synthesized_stack if {
	count(_findings(data.lib.testdata.cdktf_table)) == 0
}
