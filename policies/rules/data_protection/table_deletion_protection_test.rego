# METADATA
# title: Tests for GR-DP-002
# description: >-
#   Fixtures in testdata/table_deletion_protection: positive (absent, false, null), negative (true,
#   "true"). The plan fixture follows the documented `terraform show -json` format
#   (format_version 1.2).
package guardrails.rules.data_protection.table_deletion_protection_test

import data.guardrails.rules.data_protection.table_deletion_protection

_fixtures := data.rules.data_protection.testdata.table_deletion_protection

_input(document) := {"stack": "prod", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_findings(document) := findings if {
	findings := table_deletion_protection.findings with input as _input(document)
}

_by_address(document) := {finding.address: finding.message | some finding in _findings(document)}

test_fires_on_every_unprotected_table if {
	messages := _by_address(_fixtures.positive)
	object.keys(messages) == {"aws_dynamodb_table.absent", "aws_dynamodb_table.disabled", "aws_dynamodb_table.null"}
	contains(messages["aws_dynamodb_table.absent"], "deletion_protection_enabled is not set, and defaults to false")
	contains(messages["aws_dynamodb_table.null"], "deletion_protection_enabled is not set")
	contains(messages["aws_dynamodb_table.disabled"], "deletion_protection_enabled is not true")
}

test_findings_carry_the_rule_identity_and_the_fix if {
	findings := _findings(_fixtures.positive)
	count(findings) == 3
	every finding in findings {
		finding.rule == "GR-DP-002"
		finding.severity == "high"
		startswith(finding.message, concat("", [finding.address, ": "]))
		contains(finding.message, "; set deletion_protection_enabled = true")
	}
}

test_quiet_when_protected if {
	count(_findings(_fixtures.negative)) == 0
}

test_plan_known_values_and_unknown if {
	messages := _by_address(_fixtures.plan)
	object.keys(messages) == {"aws_dynamodb_table.unprotected", "aws_dynamodb_table.unknown"}
	contains(messages["aws_dynamodb_table.unprotected"], "deletion protection is off")
	contains(messages["aws_dynamodb_table.unknown"], "cannot verify deletion_protection_enabled")
}

test_replicas_are_protected_on_their_own if {
	findings := {finding.address |
		some finding in table_deletion_protection.findings with input as {"stack": "dev", "context": {}, "document": {"resource": {"aws_dynamodb_table_replica": {
			"off": {"global_table_arn": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders"},
			"on": {"global_table_arn": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders", "deletion_protection_enabled": true},
		}}}}
	}
	findings == {"aws_dynamodb_table_replica.off"}
}
