# METADATA
# title: DynamoDB endpoint policies admit only the organization, to the stack's tables
# description: >-
#   An endpoint without a policy gets AWS's full-access default: anyone's
#   credentials, from inside the VPC, to any table of any account, which is
#   how data leaves through the endpoint. The endpoint policy lets only the
#   organization's principals (aws:PrincipalOrgID) through, and only to the
#   tables the stack names. Gateway and Interface endpoints alike; an action
#   that takes no resource (dynamodb:DescribeEndpoints, which SDKs call
#   through an interface endpoint) may be granted on "*".
# custom:
#   id: GR-NET-002
#   severity: critical
#   practice: "Limiting network access: VPC endpoint policy, only my organization (not the full-access default)"
package guardrails.rules.network.endpoint_policy

import data.guardrails.lib.collections
import data.guardrails.lib.context
import data.guardrails.lib.dynamodb
import data.guardrails.lib.iam
import data.guardrails.lib.network
import data.guardrails.lib.result

_fix := concat("", [
	"give the endpoint a policy whose Allow statements require StringEquals aws:PrincipalOrgID ",
	_organization, " and list only this stack's tables (their ARNs, indexes and streams)",
])

_organization := concat("", ["\"", context.organization_id, "\""]) if {
	context.organization_id
} else := "<the organization id>"

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the endpoint has no policy, so AWS attaches its full-access default ",
	"(any principal of any account, every action, every table); ", _fix,
])) if {
	some address in network.dynamodb_endpoints
	count(network.endpoint_documents(address)) == 0
	count(network.endpoint_unreadable(address)) == 0
}

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": ", concat("; ", sort(problems)), "; ", _fix,
])) if {
	some address in network.dynamodb_endpoints
	problems := {problem |
		some doc in network.endpoint_documents(address)
		some i, statement in doc.statements
		statement.effect == "Allow"

		# A statement whose Action or Resource cannot be DynamoDB lets nothing through this endpoint.
		collections.nonempty(dynamodb.covered_actions(statement))
		some problem in _problems(iam.statement_label(i, statement), statement)
	}
	count(problems) > 0
}

_problems(label, statement) := {concat("", [
	label, " is full access (any principal, every DynamoDB action, every resource, no condition)",
])} if {
	_full_access(statement)
} else := {problem |
	some problem in [
		_organization_problem(label, statement),
		_resource_problem(label, statement),
		_foreign_table_problem(label, statement),
	]
	problem != ""
}

_full_access(statement) if {
	network.any_principal(statement)
	not collections.nonempty(statement.conditions)
	"*" in statement.resources
	count(dynamodb.covered_actions(statement)) == count(data.guardrails.iam.dynamodb.actions)
}

# Without an organization id GR-INPUT-003 reports the stack; nothing to compare with here.
_organization_problem(label, statement) := concat("", [
	label, " lets any principal through without requiring aws:PrincipalOrgID ", _organization,
]) if {
	network.any_principal(statement)
	organization := context.organization_id
	not network.requires_organization(statement, {"StringEquals", "StringLike"}, organization)
} else := ""

_resource_problem(label, statement) := concat("", [
	label, " reaches resources that are not specific tables (", concat(", ", broad), ")",
]) if {
	broad := _broad_resources(statement)
	count(broad) > 0
} else := ""

# A specific table that is not one of this stack's: through the endpoint, the organization's
# principals could reach it (another account's table, or a table this stack does not manage).
_foreign_table_problem(label, statement) := concat("", [
	label, " reaches tables this stack does not declare (", concat(", ", foreign), ")",
]) if {
	foreign := sort({resource |
		some resource in statement.resources
		dynamodb.names_specific_table(resource)
		not _this_stacks_table(resource)
	})
	count(foreign) > 0
} else := ""

_this_stacks_table(resource) if {
	collections.nonempty(dynamodb.tables_in(resource))
	not _other_account(resource)
}

_other_account(resource) if {
	account := context.account_id
	some match in regex.find_all_string_submatch_n(`^arn:aws[a-z-]*:dynamodb:[^:]*:([0-9]{12}):`, resource, 1)
	match[1] != account
}

_broad_resources(statement) := collections.no_list if {
	_names_no_resource(statement)
} else := ["NotResource"] if {
	collections.nonempty(statement.not_resources)
} else := ["no Resource"] if {
	not collections.nonempty(statement.resources)
} else := sort({resource |
	some resource in statement.resources
	not dynamodb.names_specific_table(resource)
	iam.resource_may_match(resource, "dynamodb")
})

# Actions that take no resource (DescribeEndpoints, which SDKs call through an interface endpoint)
# can only be granted on "*"; a statement of nothing else reaches no table.
_names_no_resource(statement) if {
	not collections.nonempty(statement.not_actions)
	collections.nonempty(statement.dynamodb_actions)
	every pattern in statement.actions {
		startswith(pattern, "dynamodb:")
	}
	every action in statement.dynamodb_actions {
		count(data.guardrails.iam.dynamodb.actions[lower(action)].resource_types) == 0
	}
}
