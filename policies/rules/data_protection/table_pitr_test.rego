# METADATA
# title: Tests for GR-DP-001
# description: >-
#   Fixtures in testdata/table_pitr: positive (no block, enabled = false as an object and as a
#   list, an empty block), negative (enabled, as an object, a list and a "true" string). The plan
#   fixture follows the documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.data_protection.table_pitr_test

import data.guardrails.rules.data_protection.table_pitr

_fixtures := data.rules.data_protection.testdata.table_pitr

_input(document) := {"stack": "prod", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_findings(document) := findings if {
	findings := table_pitr.findings with input as _input(document)
}

_by_address(document) := {finding.address: finding.message | some finding in _findings(document)}

test_fires_on_every_table_without_point_in_time_recovery if {
	messages := _by_address(_fixtures.positive)
	object.keys(messages) == {
		"aws_dynamodb_table.no_block",
		"aws_dynamodb_table.disabled",
		"aws_dynamodb_table.disabled_list",
		"aws_dynamodb_table.empty_block",
		"aws_dynamodb_table_replica.replica",
	}
	contains(messages["aws_dynamodb_table.no_block"], "it has no point_in_time_recovery block")
	contains(messages["aws_dynamodb_table.disabled"], "point-in-time recovery is disabled")
	contains(messages["aws_dynamodb_table.disabled_list"], "point-in-time recovery is disabled")
	contains(messages["aws_dynamodb_table.empty_block"], "point_in_time_recovery.enabled is not true")
}

test_findings_carry_the_rule_identity_and_the_fix if {
	findings := _findings(_fixtures.positive)
	count(findings) == 5
	every finding in findings {
		finding.rule == "GR-DP-001"
		finding.severity == "high"
		startswith(finding.message, concat("", [finding.address, ": "]))
		_ends_with_the_fix(finding)
	}
}

_ends_with_the_fix(finding) if endswith(finding.message, "; set point_in_time_recovery { enabled = true }")

_ends_with_the_fix(finding) if {
	startswith(finding.address, "aws_dynamodb_table_replica.")
	endswith(finding.message, "; set point_in_time_recovery = true")
}

test_quiet_when_enabled if {
	count(_findings(_fixtures.negative)) == 0
}

test_plan_known_values_and_unknown_enabled if {
	messages := _by_address(_fixtures.plan)

	# Enabled, with or without the computed recovery period known: quiet.
	not messages["aws_dynamodb_table.on"]
	not messages["aws_dynamodb_table.on_new"]

	contains(messages["aws_dynamodb_table.off"], "point-in-time recovery is disabled")
	contains(messages["aws_dynamodb_table.off_new"], "point_in_time_recovery.enabled = false")
	contains(messages["aws_dynamodb_table.absent"], "it has no point_in_time_recovery block")
	contains(messages["aws_dynamodb_table.unknown"], "cannot verify point_in_time_recovery.enabled")
	count(messages) == 4
}

test_replicas_keep_their_own_continuous_backups if {
	findings := {finding.address: finding.message |
		some finding in table_pitr.findings with input as {"stack": "dev", "context": {}, "document": {"resource": {"aws_dynamodb_table_replica": {
			"off": {"global_table_arn": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders"},
			"on": {"global_table_arn": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders", "point_in_time_recovery": true},
		}}}}
	}
	object.keys(findings) == {"aws_dynamodb_table_replica.off"}
	contains(findings["aws_dynamodb_table_replica.off"], "set point_in_time_recovery = true")
}

test_cannot_verify_a_replica_left_unknown if {
	some finding in table_pitr.findings with input as {"stack": "dev", "context": {}, "document": {
		"format_version": "1.2",
		"planned_values": {"root_module": {"resources": [{
			"address": "aws_dynamodb_table_replica.r", "mode": "managed", "type": "aws_dynamodb_table_replica", "name": "r",
			"values": {"global_table_arn": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders"},
		}]}},
		"resource_changes": [{
			"address": "aws_dynamodb_table_replica.r", "mode": "managed", "type": "aws_dynamodb_table_replica", "name": "r",
			"change": {"actions": ["create"], "after_unknown": {"point_in_time_recovery": true}},
		}],
	}}
	contains(finding.message, "cannot verify point_in_time_recovery")
}
