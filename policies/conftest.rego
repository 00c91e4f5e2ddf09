# METADATA
# title: conftest and opa eval entry
# description: >-
#   The guardrails for tools that hand the policy a raw file: conftest (which
#   reads deny and warn in namespace main) and `opa eval -i cdk.tf.json`.
#   The gate wraps each stack in an envelope {stack, document, context,
#   waivers}; here a raw cdk.tf.json or plan becomes that envelope, with the
#   environment's facts from data.guardrails.context (pass a file
#   {"guardrails": {"context": {"organization_id", "account_id", "tier",
#   "key_arns", "today", "stack"}, "waivers": [...]}} with --data) and the
#   stack named by the document (cdktf's metadata) or by context.stack. An
#   input that already is an envelope is used as it is. Every rule runs
#   unchanged, so the verdicts are the gate's.
package main

# The gate's findings for this input: violations and waived ones, with the
# same fields as the gate's JSON report.
findings := result if {
	result := data.guardrails.main.findings with input as _envelope
}

# METADATA
# title: Violations
# description: >-
#   One per violation: msg "<rule> [<severity>] <message>", plus rule,
#   severity, address and stack, which conftest reports as metadata.
deny contains _result(finding) if {
	some finding in findings
	finding.status == "violation"
}

# METADATA
# title: Waived findings
# description: Reported, never dropped, as the gate reports them.
warn contains _result(finding) if {
	some finding in findings
	finding.status == "waived"
}

_result(finding) := {
	"msg": concat("", [finding.rule, " [", finding.severity, "] ", finding.message]),
	"rule": finding.rule,
	"severity": finding.severity,
	"address": finding.address,
	"stack": finding.stack,
}

_is_envelope if is_object(input.document)

_envelope := input if {
	_is_envelope
} else := {
	"stack": _stack,
	"document": input,
	"context": object.remove(_context, ["stack"]),
	"waivers": _waivers,
}

default _context := {}

_context := object.union({"today": _today_utc}, context) if {
	context := data.guardrails.context
	is_object(context)
}

# Without a date no waiver would be current; conftest runs have a clock, unlike the wasm gate.
_today_utc := substring(time.format(time.now_ns()), 0, 10)

default _waivers := []

_waivers := waivers if {
	waivers := data.guardrails.waivers
	is_array(waivers)
}

_stack := name if {
	name := input["//"].metadata.stackName
	is_string(name)
} else := name if {
	name := _context.stack
	is_string(name)
} else := ""
