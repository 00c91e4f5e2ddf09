# METADATA
# title: Roles trust only named principals
# description: >-
#   A role's fine-grained permissions protect nothing if anyone can become
#   the role. A trust policy that allows Principal "*" or {"AWS": "*"} (or
#   uses NotPrincipal) lets every AWS identity that satisfies its conditions
#   assume it, and a condition is one edit away from being dropped; trust the
#   IAM users and roles the environment names instead.
# custom:
#   id: GR-FGA-006
#   severity: critical
#   practice: "Gap: the talk scopes Alice's and Bob's permissions, but not who may assume the role that carries them"
package guardrails.rules.access.trust_policy_principals

import data.guardrails.lib.iam
import data.guardrails.lib.resources
import data.guardrails.lib.result

_fix := concat("", [
	"name in Principal.AWS only the IAM user or role ARNs the environment config lists for the role ",
	"(the team's principals), and never \"*\" or NotPrincipal",
])

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the trust policy lets any principal assume the role (", concat(", ", sort(labels)),
	"), whatever its conditions; ", _fix,
])) if {
	some address, labels in _violations
}

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
