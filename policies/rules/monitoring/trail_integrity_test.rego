# METADATA
# title: Tests for GR-MON-002
# description: >-
#   Fixtures in testdata/trail_integrity: positive (single-region, no validation, neither),
#   negative (booleans and "true" strings). The plan fixture plan_positive follows the
#   documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.monitoring.trail_integrity_test

import data.guardrails.rules.monitoring.trail_integrity

_fixtures := data.rules.monitoring.testdata.trail_integrity

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_findings(document) := findings if {
	findings := trail_integrity.findings with input as _input(document)
}

_by_address(document) := {finding.address: finding.message | some finding in _findings(document)}

test_fires_on_single_region_unvalidated_or_both if {
	messages := _by_address(_fixtures.positive)
	count(messages) == 5

	single := messages["aws_cloudtrail.single_region"]
	contains(single, "it records only its own region (is_multi_region_trail is not true); set is_multi_region_trail = true")
	not contains(single, "enable_log_file_validation")
	not contains(single, "global service events")

	unvalidated := messages["aws_cloudtrail.no_validation"]
	contains(unvalidated, "its log files cannot be validated")
	contains(unvalidated, "set enable_log_file_validation = true")
	not contains(unvalidated, "is_multi_region_trail")

	contains(messages["aws_cloudtrail.validation_off"], "set enable_log_file_validation = true")

	contains(messages["aws_cloudtrail.neither"], concat("", [
		"it records only its own region (is_multi_region_trail is not true), and its log files cannot be validated",
		" (enable_log_file_validation is not true); set is_multi_region_trail = true and set enable_log_file_validation = true",
	]))
}

test_fires_on_a_trail_without_global_service_events if {
	message := _by_address(_fixtures.positive)["aws_cloudtrail.no_global_events"]
	contains(message, "it does not record global service events (include_global_service_events = false), so IAM and STS calls")
	contains(message, "; set include_global_service_events = true (the provider's default)")
	not contains(message, "is_multi_region_trail")
}

test_findings_carry_the_rule_identity if {
	every finding in _findings(_fixtures.positive) {
		finding.rule == "GR-MON-002"
		finding.severity == "medium"
		startswith(finding.message, concat("", [finding.address, ": "]))
	}
}

test_quiet_on_compliant_trails if {
	count(_findings(_fixtures.negative)) == 0
}

test_a_plan_value_unknown_until_apply_is_not_read_as_true if {
	messages := {finding.message | some finding in trail_integrity.findings with input as _input(_fixtures.plan_positive)}
	count(messages) == 3
	some multi_region in messages
	contains(multi_region, "aws_cloudtrail.audit: cannot verify is_multi_region_trail")
	some validation in messages
	contains(validation, "enable_log_file_validation is not true")
}

test_global_service_events_in_plans if {
	some finding in _findings(_fixtures.plan_positive)
	finding.address == "aws_cloudtrail.no_global_events"
	contains(finding.message, "include_global_service_events = false")
	count(_findings(_fixtures.plan_negative)) == 0
}
