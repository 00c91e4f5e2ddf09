# METADATA
# title: Tests for GR-ENC-003
# description: >-
#   Positive (violating) and negative (compliant) fixtures in
#   testdata/kms_deletion_window, outside and inside production. The plan
#   fixture follows the documented `terraform show -json` format
#   (format_version 1.2).
package guardrails.rules.encryption.kms_deletion_window_test

import data.guardrails.rules.encryption.kms_deletion_window

_input(document, tier) := {"stack": "env", "document": document, "context": {"organization_id": "o-a1b2c3d4e5", "tier": tier}}

_fixtures := data.rules.encryption.testdata.kms_deletion_window

_by_address(document, tier) := {finding.address: finding.message |
	some finding in kms_deletion_window.findings with input as _input(document, tier)
}

test_fires_below_seven_days_or_on_a_window_it_cannot_read if {
	messages := _by_address(_fixtures.positive, "development")
	contains(messages["aws_kms_key.short"], "deletion_window_in_days is 6, below the minimum of 7 days (KMS requires at least 7 days")
	contains(messages["aws_kms_key.short"], "set deletion_window_in_days = 7 or more")
	contains(messages["aws_kms_key.expression"], "\"${var.deletion_window}\" is not a number the gate can check")
	count(messages) == 2
}

test_production_needs_thirty_days if {
	messages := _by_address(_fixtures.negative, "production")
	contains(messages["aws_kms_key.seven"], "deletion_window_in_days is 7, below the minimum of 30 days (production keys must stay recoverable for 30 days)")
	contains(messages["aws_kms_key.seven"], "set deletion_window_in_days = 30 or more, or leave it unset")
	count(messages) == 1
}

test_findings_name_the_rule if {
	findings := kms_deletion_window.findings with input as _input(_fixtures.positive, "production")
	count(findings) == 2
	every finding in findings {
		finding.rule == "GR-ENC-003"
		finding.severity == "medium"
		startswith(finding.message, concat("", [finding.address, ": "]))
	}
}

test_quiet_at_seven_days_or_more_outside_production if {
	count(kms_deletion_window.findings) == 0 with input as _input(_fixtures.negative, "development")
}

test_plan_unknown_window_cannot_be_verified if {
	messages := _by_address(_fixtures.plan, "production")
	object.keys(messages) == {"aws_kms_key.seven", "aws_kms_key.window_unknown"}
	contains(messages["aws_kms_key.window_unknown"], "cannot verify deletion_window_in_days")
}
