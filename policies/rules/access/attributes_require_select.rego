# METADATA
# title: Statements that limit attributes also require Select = SPECIFIC_ATTRIBUTES
# description: >-
#   A dynamodb:Attributes condition only sees the attributes a request names:
#   a GetItem, Query or Scan without a projection names none, so a
#   ForAllValues condition is vacuously true and every attribute comes back
#   (the talk's own Alice policy has this hole). Requiring StringEquals
#   dynamodb:Select = SPECIFIC_ATTRIBUTES forces every read to project.
# custom:
#   id: GR-FGA-001
#   severity: high
#   practice: "Gap: the talk's Alice and Bob policies limit dynamodb:Attributes without requiring dynamodb:Select = SPECIFIC_ATTRIBUTES"
package guardrails.rules.access.attributes_require_select

import data.guardrails.lib.access
import data.guardrails.lib.collections
import data.guardrails.lib.dynamodb
import data.guardrails.lib.iam
import data.guardrails.lib.result

_fix := "add \"StringEquals\": {\"dynamodb:Select\": \"SPECIFIC_ATTRIBUTES\"} to the statement (not IfExists)"

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": ", concat(", ", sort(labels)),
	" limit dynamodb:Attributes but do not require dynamodb:Select = SPECIFIC_ATTRIBUTES, ",
	"so a read without a projection expression returns every attribute of the item; ", _fix,
])) if {
	some address, labels in _violations
}

_violations[doc.address] contains label if {
	some doc in access.dynamodb_documents
	some i, statement in doc.statements
	statement.effect == "Allow"
	access.conditions_on(statement, "dynamodb:attributes")
	actions := dynamodb.covered_actions(statement) & dynamodb.supporting("dynamodb:Select")
	collections.nonempty(actions)
	not access.requires_specific_attributes(statement)
	label := concat("", [iam.statement_label(i, statement), " (", concat(", ", sort(actions)), ")"])
}
