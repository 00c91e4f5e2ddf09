# METADATA
# title: Every policy document can be read
# description: >-
#   A policy the gate cannot parse (not JSON, an HCL expression such as
#   jsonencode(...), or a plan value unknown until apply) cannot be checked,
#   so it is reported rather than skipped.
# custom:
#   id: GR-INPUT-002
#   severity: high
#   practice: "Gap: policies must be verifiable before deployment"
package guardrails.rules.input.unreadable_policy

import data.guardrails.lib.iam
import data.guardrails.lib.result

_why := {
	"expression": "is a Terraform expression (e.g. jsonencode) that only Terraform can evaluate; render it as a JSON string (JSON.stringify in CDKTF)",
	"invalid_json": "is not valid JSON; fix the document",
	"not_an_object": "is not a JSON object; a policy document is an object with a Statement list",
}

findings contains result.finding(rego.metadata.chain(), entry.address, concat("", [
	entry.address, ": the policy in ", entry.attribute, " ", object.get(_why, entry.reason, "cannot be read"),
])) if {
	some entry in iam.unreadable
	entry.reason != "unknown"
}

findings contains result.cannot_verify(rego.metadata.chain(), entry.address, concat("", ["the policy in ", entry.attribute])) if {
	some entry in iam.unreadable
	entry.reason == "unknown"
}
