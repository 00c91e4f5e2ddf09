# METADATA
# title: Identity policies grant DynamoDB data access by named action on named tables
# description: >-
#   Fine-grained access control starts with least privilege on the base
#   authorization: the Action names the API calls and the Resource names the
#   table. "dynamodb:*", "*" or NotAction grant every current and future data
#   call, and Resource "*" or a wildcard table ARN reaches every table the
#   account has or will have, in any region.
# custom:
#   id: GR-FGA-004
#   severity: high
#   practice: "Controlling access to your data: base authorization, Action (the API used) and Resource (the table, index or stream accessed)"
package guardrails.rules.access.data_plane_wildcards

import data.guardrails.lib.collections
import data.guardrails.lib.dynamodb
import data.guardrails.lib.iam
import data.guardrails.lib.result

_fix := concat("", [
	"list the DynamoDB actions the principal needs in Action, and name each table in Resource ",
	"(its ARN with account, region and table name, or ${aws_dynamodb_table.<name>.arn}; ",
	"its /index/* or /stream/* sub-resources are fine)",
])

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": ", concat(", ", sort(labels)),
	" grant DynamoDB data-plane actions with wildcards; ", _fix,
])) if {
	some address, labels in _violations
}

_violations[doc.address] contains label if {
	some doc in iam.documents_for("identity")
	some i, statement in doc.statements
	statement.effect == "Allow"
	collections.nonempty(dynamodb.covered_data_actions(statement))
	_has_problem(statement)
	problems := _problems(statement)
	label := concat("", [iam.statement_label(i, statement), " (", concat("; ", sort(problems)), ")"])
}

# Most statements have none: telling so builds no set (wasm frees nothing until the end).
_has_problem(statement) if {
	some pattern in statement.actions
	_matches_every_data_action(pattern)
}

_has_problem(statement) if collections.nonempty(statement.not_actions)

_has_problem(statement) if collections.nonempty(statement.not_resources)

_has_problem(statement) if {
	some resource in statement.resources
	_wildcard_dynamodb_resource(resource)
}

_matches_every_data_action(pattern) if {
	# Only a wildcard can match every action; exact names are the common case.
	contains(pattern, "*")
	not _misses_a_data_action(pattern)
}

_problems(statement) := (_action_problems(statement) | _not_action_problems(statement)) | _resource_problems(statement)

# A pattern that matches every DynamoDB data-plane action: "*", "dynamodb:*", "*:*" ...
_action_problems(statement) := {concat("", ["Action \"", pattern, "\""]) |
	some pattern in statement.actions
	_matches_every_data_action(pattern)
}

# Written as a negation rather than `every`: OPA's optimizer (`opa build -O=1`) rejects an `every`
# inside a comprehension as unsafe.
_misses_a_data_action(pattern) if {
	some action in _data_plane_lowercase
	not glob.match(pattern, null, action)
}

# Statement actions are read in lowercase: the names they are matched against are lowered once.
_data_plane_lowercase := {lower(concat(":", ["dynamodb", action])) | some action in dynamodb.data_plane}

_not_action_problems(statement) := {"NotAction" | collections.nonempty(statement.not_actions)}

_resource_problems(statement) := {concat("", ["Resource \"", resource, "\""]) |
	some resource in statement.resources
	_wildcard_dynamodb_resource(resource)
} | {"NotResource" | collections.nonempty(statement.not_resources)}

# A Resource that could designate DynamoDB resources and does not name a specific table:
# "*", a DynamoDB ARN with a wildcard in its account, region or table name, or a pattern whose
# wildcard stands in for the service. Specific ARNs of other services are not this rule's concern.
_wildcard_dynamodb_resource(resource) if {
	not dynamodb.names_specific_table(resource)
	iam.resource_may_match(resource, "dynamodb")
}
