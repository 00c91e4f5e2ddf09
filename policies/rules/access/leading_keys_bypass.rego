# METADATA
# title: Statements that restrict LeadingKeys grant no action that ignores it
# description: >-
#   dynamodb:LeadingKeys limits the partitions an item-level request may touch,
#   but Scan, the PartiQL actions and the stream reads do not name a partition
#   key, so a ForAllValues condition on it is vacuously true and they read every
#   partition of the table. A statement meant to confine a principal to its own
#   partitions must not grant them.
# custom:
#   id: GR-FGA-003
#   severity: critical
#   practice: "Controlling access to your data: fine-grained access control with dynamodb:LeadingKeys (Ids in the 100s for Alice, 200s for Bob)"
package guardrails.rules.access.leading_keys_bypass

import data.guardrails.lib.access
import data.guardrails.lib.collections
import data.guardrails.lib.dynamodb
import data.guardrails.lib.iam
import data.guardrails.lib.result

_fix := "remove these actions from the statement (grant only GetItem, BatchGetItem, Query and item writes under LeadingKeys)"

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": ", concat(", ", sort(labels)),
	" restrict dynamodb:LeadingKeys but grant actions that do not carry a partition key, ",
	"so the principal can read every partition; ", _fix,
])) if {
	some address, labels in _violations
}

_violations[doc.address] contains label if {
	some doc in access.dynamodb_documents
	some i, statement in doc.statements
	statement.effect == "Allow"
	access.conditions_on(statement, "dynamodb:leadingkeys")
	actions := dynamodb.covered_actions(statement) & dynamodb.bypasses_leading_keys
	collections.nonempty(actions)
	label := concat("", [iam.statement_label(i, statement), " (", concat(", ", sort(actions)), ")"])
}
