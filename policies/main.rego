# METADATA
# title: Guardrails
# description: >-
#   The gate's single entrypoint: every violation found in one stack's
#   cdk.tf.json or plan. Rules proper join this set later; for now it only
#   fails closed on input the library cannot read.
package guardrails.main

import data.guardrails.lib.resources

_stack := object.get(input, "stack", "")

# METADATA
# title: Violations
# description: >-
#   {"rule", "severity", "address", "stack", "message"} for every problem
#   found. An empty set is the only passing result.
violations contains {
	"rule": "GR-INPUT-001",
	"severity": "critical",
	"address": "",
	"stack": _stack,
	"message": "input is neither a cdk.tf.json nor a terraform show -json plan",
} if {
	resources.format == "unknown"
}
