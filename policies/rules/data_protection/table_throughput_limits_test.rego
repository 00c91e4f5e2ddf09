# METADATA
# title: Tests for GR-DP-005
# description: >-
#   Fixtures in testdata/table_throughput_limits: positive (no maximum; only a read maximum; an
#   index without one and one at -1), negative (table and index bounded, strings, provisioned
#   tables, billing mode left at its PROVISIONED default). The plan fixture follows the
#   documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.data_protection.table_throughput_limits_test

import data.guardrails.rules.data_protection.table_throughput_limits

_fixtures := data.rules.data_protection.testdata.table_throughput_limits

_input(document, tier) := {"stack": "prod", "document": document, "context": {"organization_id": "o-a1b2c3d4e5", "tier": tier}}

_by_address(document, tier) := {finding.address: finding.message |
	some finding in table_throughput_limits.findings with input as _input(document, tier)
}

test_fires_on_production_on_demand_tables_without_maxima if {
	messages := _by_address(_fixtures.positive, "production")
	object.keys(messages) == {
		"aws_dynamodb_table.unbounded",
		"aws_dynamodb_table.read_only_limit",
		"aws_dynamodb_table.unlimited_index",
	}
	contains(messages["aws_dynamodb_table.unbounded"], "no throughput maximum on the table (no on_demand_throughput block)")
	contains(messages["aws_dynamodb_table.read_only_limit"], "the table (max_read_request_units or max_write_request_units unset or not positive)")
	contains(messages["aws_dynamodb_table.unlimited_index"], "on index ByCategory (no on_demand_throughput block), index MinusOne (max_read_request_units")
	not contains(messages["aws_dynamodb_table.unlimited_index"], "the table (")
	not contains(messages["aws_dynamodb_table.unlimited_index"], "Bounded")
}

test_findings_carry_the_rule_identity_and_the_fix if {
	findings := table_throughput_limits.findings with input as _input(_fixtures.positive, "production")
	count(findings) == 3
	every finding in findings {
		finding.rule == "GR-DP-005"
		finding.severity == "medium"
		endswith(finding.message, "on the table and in each global_secondary_index")
	}
}

test_quiet_outside_production if {
	count(_by_address(_fixtures.positive, "staging")) == 0
}

test_quiet_when_bounded_or_provisioned if {
	count(_by_address(_fixtures.negative, "production")) == 0
}

test_plan_known_and_unknown_maxima if {
	messages := _by_address(_fixtures.plan, "production")
	object.keys(messages) == {"aws_dynamodb_table.unbounded", "aws_dynamodb_table.from_variable"}
	contains(messages["aws_dynamodb_table.unbounded"], "no throughput maximum on the table")
	contains(messages["aws_dynamodb_table.from_variable"], "cannot verify on_demand_throughput")
}
