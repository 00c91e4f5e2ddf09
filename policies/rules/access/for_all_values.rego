# METADATA
# title: Conditions on LeadingKeys and Attributes use ForAllValues
# description: >-
#   A request carries several partition keys (a batch) or attributes (a
#   projection) at once. ForAllValues admits it only when every value is
#   allowed; ForAnyValue admits it when one is, and an unqualified operator
#   on a multivalued key does not state which, so one permitted key or
#   attribute smuggles in the rest.
# custom:
#   id: GR-FGA-002
#   severity: high
#   practice: "Controlling access to your data: fine-grained access control, ForAllValues on dynamodb:LeadingKeys and dynamodb:Attributes (Alice and Bob)"
package guardrails.rules.access.for_all_values

import data.guardrails.lib.access
import data.guardrails.lib.iam
import data.guardrails.lib.result

_fix := "write the condition as \"ForAllValues:<operator>\" so that every key and attribute of the request must match"

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": ", concat(", ", sort(labels)),
	" test a multivalued key without ForAllValues, so a request is allowed when any one of its keys or attributes matches; ",
	_fix,
])) if {
	some address, labels in _violations
}

# Allow statements only: in a Deny, ForAnyValue is the right qualifier (deny when any value matches).
_violations[doc.address] contains label if {
	some doc in access.dynamodb_documents
	some i, statement in doc.statements
	statement.effect == "Allow"
	some condition in statement.conditions
	condition.key in access.multivalued_keys
	condition.qualifier != "ForAllValues"
	label := concat("", [
		iam.statement_label(i, statement), " (", iam.operator_name(condition), " ",
		access.key_name(condition.key), ")",
	])
}
