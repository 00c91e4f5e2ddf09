# METADATA
# title: Roles trust only named principals
# description: >-
#   A role's fine-grained permissions protect nothing if anyone can become
#   the role. A trust policy that allows Principal "*" or {"AWS": "*"} (or
#   uses NotPrincipal) lets every AWS identity that satisfies its conditions
#   assume it, and a condition is one edit away from being dropped; trust the
#   IAM users and roles the environment names instead. An account root or an
#   IAM ARN of another account delegates the role outside the environment:
#   the statement must then require the organization (aws:PrincipalOrgID) or
#   an external id (sts:ExternalId).
# custom:
#   id: GR-FGA-006
#   severity: critical
#   practice: "Gap: the talk scopes Alice's and Bob's permissions, but not who may assume the role that carries them"
package guardrails.rules.access.trust_policy_principals

import data.guardrails.lib.collections
import data.guardrails.lib.context
import data.guardrails.lib.iam
import data.guardrails.lib.network
import data.guardrails.lib.resources
import data.guardrails.lib.result

_fix := concat("", [
	"name in Principal.AWS only the IAM user or role ARNs the environment config lists for the role ",
	"(the team's principals), and never \"*\" or NotPrincipal; ",
	"for a principal of another account, require \"StringEquals\": {\"aws:PrincipalOrgID\": <the organization id>} ",
	"or {\"sts:ExternalId\": <the id agreed with that account>}",
])

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": ", concat("; ", sentences), "; ", _fix,
])) if {
	some address in ({address | some address, _ in _violations} | {address | some address, _ in _foreign})
	sentences := [sentence |
		some sentence in [_any_sentence(address), _foreign_sentence(address)]
		sentence != ""
	]
}

_any_sentence(address) := concat("", [
	"the trust policy lets any principal assume the role (", concat(", ", sort(labels)),
	"), whatever its conditions",
]) if {
	labels := object.get(_violations, address, collections.no_set)
	count(labels) > 0
} else := ""

_foreign_sentence(address) := concat("", [
	"the trust policy lets principals of another account assume the role without requiring aws:PrincipalOrgID ",
	_organization, " or sts:ExternalId (", concat(", ", sort(labels)), ")",
]) if {
	labels := object.get(_foreign, address, collections.no_set)
	count(labels) > 0
} else := ""

_organization := concat("", ["\"", context.organization_id, "\""]) if {
	context.organization_id
} else := "<the organization id>"

_violations[doc.address] contains concat("", [iam.statement_label(i, statement), " ", problem]) if {
	some doc in iam.documents_for("trust")
	resources.by_address[doc.address].type == "aws_iam_role"
	some i, statement in doc.statements
	statement.effect == "Allow"
	some problem in _problems(statement)
}

_problems(statement) := ({"allows every AWS principal (Principal \"*\" or {\"AWS\": \"*\"})" |
	iam.allows_any_principal(statement)
} | {concat("", ["allows Principal {\"", type, "\": \"*\"}"]) |
	some type in ["Service", "Federated", "CanonicalUser"]
	"*" in statement.principals[type]
}) | {"uses NotPrincipal (everyone but the principals it names)" |
	iam.uses_not_principal(statement)
}

# Account roots and IAM or STS ARNs of an account other than the environment's (well-formed ones:
# GR-FGA-007 reports the rest). Federated and service principals are other rules' concern.
_foreign[doc.address] contains concat("", [
	iam.statement_label(i, statement), " trusts ", principal, _root_note(principal),
]) if {
	account := context.account_id
	some doc in iam.documents_for("trust")
	resources.by_address[doc.address].type == "aws_iam_role"
	some i, statement in doc.statements
	statement.effect == "Allow"
	some principal in statement.principals.AWS
	principal_account := iam.principal_account(principal)
	principal_account != account
	not _scoped(statement)
}

_root_note(principal) := ", the whole account (every principal its IAM policies allow)" if {
	iam.account_root(principal)
} else := ""

_scoped(statement) if network.requires_organization(statement, {"StringEquals", "StringLike"}, context.organization_id)

_scoped(statement) if {
	some condition in statement.conditions
	condition.key == "sts:externalid"
	condition.operator in {"StringEquals", "StringLike"}
	not condition.if_exists
	condition.qualifier in {"", "ForAnyValue"}
	collections.nonempty(condition.values)
	every value in condition.values {
		not regex.match(`^[*?]*$`, value)
	}
}
