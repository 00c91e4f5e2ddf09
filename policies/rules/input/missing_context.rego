# METADATA
# title: The environment's facts are known
# description: >-
#   Organization-scoping rules compare principals with the environment's AWS
#   Organizations id. Without it they could only pass or guess, so a missing
#   id is itself a finding.
# custom:
#   id: GR-INPUT-003
#   severity: critical
#   practice: "VPC endpoint policy: only my organization (needs to know which organization)"
package guardrails.rules.input.missing_context

import data.guardrails.lib.context
import data.guardrails.lib.resources
import data.guardrails.lib.result

findings contains result.finding(rego.metadata.chain(), "", concat("", [
	"no organization id for stack \"", object.get(input, "stack", ""),
	"\": name an environment defined in environments/ or pass --organization-id o-...",
])) if {
	resources.format != "unknown"
	not context.organization_id
}
