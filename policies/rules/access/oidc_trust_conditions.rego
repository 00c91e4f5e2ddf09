# METADATA
# title: Roles that trust an OIDC provider pin the token's audience and subject
# description: >-
#   A role that trusts an OIDC identity provider (GitHub Actions, GitLab, a
#   Kubernetes cluster) is assumed with any token that provider signs. Without
#   an aud condition the token may have been issued for another service; without
#   a sub condition it may come from anyone the provider serves: for GitHub's
#   token.actions.githubusercontent.com, every workflow of every repository on
#   GitHub. Both are required, and sub names its owner before any wildcard.
# custom:
#   id: GR-FGA-009
#   severity: critical
#   practice: "Gap: the talk's roles are assumed by named principals; pipeline roles are assumed with GitHub's OIDC tokens, which every repository on GitHub can obtain"
package guardrails.rules.access.oidc_trust_conditions

import data.guardrails.lib.collections
import data.guardrails.lib.iam
import data.guardrails.lib.resources
import data.guardrails.lib.result

_github := "token.actions.githubusercontent.com"

_fix := concat("", [
	"require StringEquals \"<provider>:aud\" (for GitHub \"sts.amazonaws.com\") and \"<provider>:sub\" naming the ",
	"subject in full (for GitHub \"repo:<owner>/<repository>:environment:<name>\" or \"repo:<owner>/<repository>:pull_request\"), ",
	"with StringLike only for wildcards after the owner",
])

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": ", concat("; ", sort(problems)), "; ", _fix,
])) if {
	some address, problems in _violations
}

_violations[doc.address] contains concat("", [
	iam.statement_label(i, statement), " trusts the OIDC provider ", provider, " with ",
	concat(", ", sort(problems)), " (", _consequence(problems, provider), ")",
]) if {
	some doc in iam.documents_for("trust")
	resources.by_address[doc.address].type == "aws_iam_role"
	some i, statement in doc.statements
	statement.effect == "Allow"
	some federated in statement.principals.Federated
	some provider in _providers(federated)
	problems := _problems(statement, provider)
	count(problems) > 0
}

# Who gets in depends on the claim left open: the subject lets in other callers, the audience
# tokens the provider issued for other services.
_consequence(problems, provider) := concat("", [_who(provider), " could assume the role"]) if {
	some problem in problems
	contains(problem, ":sub\"")
} else := "a token issued for another service could assume the role"

_who(provider) := "any workflow of any repository on GitHub" if {
	provider == _github
} else := concat("", ["anyone ", provider, " issues a token to"])

## Which OIDC provider a Federated principal is ####################################

_providers(federated) := _written_out(federated) | _referenced(federated)

# An ARN written out: arn:aws:iam::<account>:oidc-provider/<host>[/path].
_written_out(federated) := {lower(match[1]) |
	some match in regex.find_all_string_submatch_n(`^arn:[^:]*:iam::[^:]*:oidc-provider/(.+)$`, federated, 1)
}

# A reference to a provider the stack declares: its url, without the scheme, is the host.
_referenced(federated) := {lower(trim_prefix(trim_prefix(url, "https://"), "http://")) |
	some ref in resources.token_refs(federated)
	provider := resources.by_address[ref]
	provider.type == "aws_iam_openid_connect_provider"
	url := provider.values.url
	is_string(url)
}

## What the statement's conditions leave open ######################################

_problems(statement, provider) := _claim_problems(statement, provider) | _audience_problems(statement, provider)

_claim_problems(statement, provider) := {problem |
	some claim in ["aud", "sub"]
	count(_pinning(statement, provider, claim)) == 0
	problem := concat("", ["no \"", provider, ":", claim, "\" condition (StringEquals or StringLike)"])
} | {problem |
	some condition in _pinning(statement, provider, "sub")
	condition.operator == "StringLike"
	some value in condition.values
	_escapes_owner(provider, _before_wildcard(value))
	problem := concat("", [
		"StringLike \"", provider, ":sub\" value \"", value, "\", whose wildcard matches subjects of any owner",
	])
}

# An audience is a plain identifier: a pattern that starts with a wildcard admits tokens
# issued for any service.
_audience_problems(statement, provider) := {problem |
	some condition in _pinning(statement, provider, "aud")
	condition.operator == "StringLike"
	some value in condition.values
	_before_wildcard(value) == ""
	problem := concat("", ["StringLike \"", provider, ":aud\" value \"", value, "\", which matches any audience"])
}

# Conditions that restrict the claim to their values: StringEquals or StringLike, with values,
# without IfExists (a token without the claim would pass) and without a set qualifier.
_pinning(statement, provider, claim) := [condition |
	some condition in statement.conditions
	condition.key == concat("", [provider, ":", claim])
	condition.operator in {"StringEquals", "StringLike"}
	condition.qualifier == ""
	not condition.if_exists
	collections.nonempty(condition.values)
]

# The literal text before StringLike's first wildcard; undefined when there is none
# (then the value is matched exactly, as StringEquals would).
_before_wildcard(value) := regex.find_all_string_submatch_n(`^([^*?]*)[*?]`, value, 1)[0][1]

# GitHub subjects start "repo:<owner>/": a wildcard before that slash reaches other owners'
# repositories ("*", "repo:*", "repo:org*").
_escapes_owner(provider, prefix) if {
	provider == _github
	not regex.match(`^repo:[^/:]+/`, prefix)
}

# Other providers' subjects have no common shape: a value that starts with a wildcard is open.
_escapes_owner(provider, "") if provider != _github
