# METADATA
# title: Tests for guardrails.main
# description: Aggregation of every rule's findings, and waivers.
package guardrails.main_test

import data.guardrails.main

# A stack whose only problem is one unreadable policy (GR-INPUT-002 on aws_s3_bucket_policy.p).
_stack := {"resource": {"aws_s3_bucket_policy": {"p": {"policy": "${jsonencode({})}"}}}}

_input(waivers, today) := {
	"stack": "dev",
	"document": _stack,
	"context": {"organization_id": "o-a1b2c3d4e5", "today": today},
	"waivers": waivers,
}

_waiver := {"rule": "GR-INPUT-002", "address": "aws_s3_bucket_policy.p", "reason": "migrating", "expires": "2026-12-31"}

_only_finding(waivers, today) := finding if {
	findings := main.findings with input as _input(waivers, today)
	count(findings) == 1
	some finding in findings
}

test_findings_carry_rule_metadata_and_status if {
	finding := _only_finding([], "2026-11-24")
	finding.rule == "GR-INPUT-002"
	finding.severity == "high"
	finding.title == "Every policy document can be read"
	finding.stack == "dev"
	finding.address == "aws_s3_bucket_policy.p"
	finding.status == "violation"
	not finding.waiver
}

test_current_waiver_marks_finding_waived_not_dropped if {
	finding := _only_finding([_waiver], "2026-11-24")
	finding.status == "waived"
	finding.waiver == _waiver
}

test_waiver_is_current_on_its_expiry_day if {
	_only_finding([_waiver], "2026-12-31").status == "waived"
}

test_expired_waiver_is_a_violation_that_says_so if {
	finding := _only_finding([_waiver], "2027-01-01")
	finding.status == "violation"
	finding.waiver == _waiver
	endswith(finding.message, "(the waiver for this finding expired on 2026-12-31)")
}

test_waiver_for_another_rule_address_or_stack_does_not_apply if {
	every waiver in [
		object.union(_waiver, {"rule": "GR-ENC-001"}),
		object.union(_waiver, {"address": "aws_s3_bucket_policy.q"}),
		object.union(_waiver, {"stack": "prod"}),
	] {
		_only_finding([waiver], "2026-11-24").status == "violation"
	}
}

test_waiver_naming_the_stack_applies if {
	_only_finding([object.union(_waiver, {"stack": "dev"})], "2026-11-24").status == "waived"
}

test_waiver_without_reason_is_ignored if {
	_only_finding([object.union(_waiver, {"reason": ""})], "2026-11-24").status == "violation"
}

test_without_a_date_no_waiver_is_current if {
	finding := _only_finding([_waiver], "")
	finding.status == "violation"
}

test_clean_stack_has_no_findings if {
	count(main.findings) == 0 with input as {
		"stack": "dev",
		"document": {"resource": {}},
		"context": {"organization_id": "o-a1b2c3d4e5"},
	}
}
