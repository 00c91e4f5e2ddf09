# METADATA
# title: Tests for GR-DP-004
# description: >-
#   Fixtures in testdata/table_pitr_window: positive (7 days; "34" as a string in a list block; a
#   short window with recovery off, which is GR-DP-001's), negative (35, and unset). The plan
#   fixture follows the documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.data_protection.table_pitr_window_test

import data.guardrails.rules.data_protection.table_pitr_window

_fixtures := data.rules.data_protection.testdata.table_pitr_window

_input(document, tier) := {"stack": "prod", "document": document, "context": {"organization_id": "o-a1b2c3d4e5", "tier": tier}}

_by_address(document, tier) := {finding.address: finding.message |
	some finding in table_pitr_window.findings with input as _input(document, tier)
}

test_fires_on_production_tables_with_a_short_window if {
	messages := _by_address(_fixtures.positive, "production")
	object.keys(messages) == {"aws_dynamodb_table.short", "aws_dynamodb_table.short_list_string"}
	contains(messages["aws_dynamodb_table.short"], "aws_dynamodb_table.short: point-in-time recovery reaches back only 7 days")
	contains(messages["aws_dynamodb_table.short_list_string"], "only 34 days")
	every message in messages {
		endswith(message, "remove recovery_period_in_days or set it to 35 (the price does not depend on it)")
	}
}

test_findings_carry_the_rule_identity if {
	findings := table_pitr_window.findings with input as _input(_fixtures.positive, "production")
	count(findings) == 2
	every finding in findings {
		finding.rule == "GR-DP-004"
		finding.severity == "high"
	}
}

test_quiet_outside_production if {
	count(_by_address(_fixtures.positive, "staging")) == 0
	count(_by_address(_fixtures.positive, "development")) == 0
}

test_quiet_with_the_full_or_default_window if {
	count(_by_address(_fixtures.negative, "production")) == 0
}

test_plan_known_computed_and_configured_unknown if {
	messages := _by_address(_fixtures.plan, "production")
	object.keys(messages) == {"aws_dynamodb_table.short", "aws_dynamodb_table.from_variable"}
	contains(messages["aws_dynamodb_table.short"], "only 7 days")
	contains(messages["aws_dynamodb_table.from_variable"], "cannot verify point_in_time_recovery.recovery_period_in_days")
}
