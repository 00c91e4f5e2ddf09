# METADATA
# title: Findings
# description: >-
#   Builds the one shape every rule reports, taking the rule's id, severity
#   and title from the rule's own `# METADATA` (custom.id, custom.severity),
#   so a rule's identity is written once, next to its logic.
package guardrails.lib.result

# METADATA
# title: A finding
# description: >-
#   chain is `rego.metadata.chain()` evaluated in the rule; address is the
#   resource's address; message names the resource, what is wrong and the fix.
finding(chain, address, message) := {
	"rule": annotation.custom.id,
	"severity": annotation.custom.severity,
	"title": annotation.title,
	"address": address,
	"stack": object.get(input, "stack", ""),
	"message": message,
} if {
	annotation := _identified(chain)
}

# The nearest annotation that carries a rule id: the rule's own, else its package's.
_identified(chain) := [entry.annotations |
	some entry in chain
	entry.annotations.custom.id
][0]

# METADATA
# title: Cannot verify
# description: >-
#   The finding a rule reports when a plan leaves the value it checks
#   unknown until apply: unknown is never read as compliant.
cannot_verify(chain, address, attribute) := finding(chain, address, concat("", [
	address, ": cannot verify ", attribute,
	" because the plan leaves it unknown until apply; join the plan with its synthesized stack (`check PLAN --config cdktf.out`), or apply the dependencies first",
]))
