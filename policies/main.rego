# METADATA
# title: Guardrails
# description: >-
#   The gate's single entrypoint: every finding of every rule for one stack,
#   with waivers applied. The input envelope is
#   {"stack", "document", "context": {organization_id, account_id, tier,
#   today, key_arns, trusted_keys}, "waivers": [{rule, address, stack?, reason, expires}]}.
package guardrails.main

# METADATA
# title: Findings
# description: >-
#   {"rule", "severity", "title", "address", "stack", "message", "status"}
#   for every problem found; status is "violation" or "waived" (with the
#   waiver). A waived finding is reported, never dropped; a finding whose only
#   waiver has expired is a violation again. Passing means no "violation".
findings contains _with_waiver(finding) if {
	# Naming `findings` in the reference evaluates only that rule of each package: iterating the
	# packages as values would evaluate every rule in them, test packages included.
	some finding in data.guardrails.rules[_][_].findings
}

_waivers := [waiver |
	some waiver in object.get(input, "waivers", [])
	waiver.rule
	waiver.address
	waiver.reason != ""
	waiver.expires
]

# ISO dates (YYYY-MM-DD) compare correctly as strings; without a date no waiver is current.
_today := object.get(object.get(input, "context", {}), "today", "")

_applies(waiver, finding) if {
	waiver.rule == finding.rule
	waiver.address == finding.address
	object.get(waiver, "stack", finding.stack) == finding.stack
}

_current(finding) := [waiver |
	some waiver in _waivers
	_applies(waiver, finding)
	_today != ""
	waiver.expires >= _today
]

_expired(finding) := [waiver |
	some waiver in _waivers
	_applies(waiver, finding)
	not waiver.expires >= _today
]

_with_waiver(finding) := object.union(finding, {"status": "waived", "waiver": _current(finding)[0]}) if {
	count(_current(finding)) > 0
} else := object.union(finding, {
	"status": "violation",
	"waiver": waiver,
	"message": concat("", [finding.message, " (the waiver for this finding expired on ", waiver.expires, ")"]),
}) if {
	waiver := _expired(finding)[0]
} else := object.union(finding, {"status": "violation"})
