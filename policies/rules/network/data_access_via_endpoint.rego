# METADATA
# title: Data access is only possible through the VPC endpoint
# description: >-
#   An endpoint limits what goes through it, not what goes around it: the
#   same credentials work from a laptop or another network. Every identity
#   policy that grants DynamoDB data-plane actions requires StringEquals
#   aws:SourceVpce naming the stack's own DynamoDB endpoint (another VPC's
#   endpoint lets that network in), or each table it grants is protected by
#   a resource policy that denies those actions to everyone when
#   aws:SourceVpce is not the endpoint. When the stack has both a gateway and
#   an interface endpoint, every aws:SourceVpce condition of an identity
#   policy or a table resource policy lists both: one left out refuses the
#   calls that come through it.
# custom:
#   id: GR-NET-003
#   severity: critical
#   practice: "Limiting network access: VPC endpoint-only restriction policy (aws:SourceVpce)"
package guardrails.rules.network.data_access_via_endpoint

import data.guardrails.lib.collections
import data.guardrails.lib.dynamodb
import data.guardrails.lib.iam
import data.guardrails.lib.network
import data.guardrails.lib.resources
import data.guardrails.lib.result

_fix := concat("", [
	"add \"StringEquals\": {\"aws:SourceVpce\": <the DynamoDB endpoint's id>} to the statement, ",
	"or give each table it names an aws_dynamodb_resource_policy with a Deny for Principal \"*\" on these actions ",
	"under \"StringNotEquals\": {\"aws:SourceVpce\": <the endpoint's id>}",
])

findings contains result.finding(rego.metadata.chain(), address, concat("; ", [part |
	some part in [_outside_part(address), _incomplete_part(address)]
	part != ""
])) if {
	some address in (object.keys(_violations) | object.keys(_incomplete))
}

_outside_part(address) := concat("", [
	address, ": ", concat(", ", sort(_violations[address])),
	" grant DynamoDB data-plane actions that work from outside this stack's endpoint (from any network): ",
	"no StringEquals aws:SourceVpce condition names the stack's DynamoDB endpoint ",
	"and no table resource policy denies these actions outside it; ", _fix,
]) if {
	_violations[address]
} else := ""

_incomplete_part(address) := concat("", [
	_prefix(address), concat(", ", sort(_incomplete[address])),
	" list aws:SourceVpce values that leave out one of this stack's DynamoDB endpoints, so calls through it are refused ",
	"(the gateway endpoint serves the VPC, the interface endpoint on-premises clients); ",
	"list every DynamoDB endpoint of the stack in each aws:SourceVpce condition",
]) if {
	_incomplete[address]
} else := ""

_prefix(address) := "" if {
	_violations[address]
} else := concat("", [address, ": "])

# Statements of identity policies and table resource policies whose aws:SourceVpce values name
# some of the stack's DynamoDB endpoints but not all: with a gateway and an interface endpoint,
# each condition must list both.
_incomplete[doc.address] contains concat("", [
	iam.statement_label(i, statement), " (without ", concat(", ", sort(missing)), ")",
]) if {
	count(network.dynamodb_endpoints) > 1
	some doc in _source_vpce_documents
	some i, statement in doc.statements
	named := {address |
		some condition in statement.conditions
		condition.key == "aws:sourcevpce"
		some value in condition.values
		some address in _endpoints_named(value)
	}
	count(named) > 0
	missing := network.dynamodb_endpoints - named
	count(missing) > 0
}

_source_vpce_documents := object.union(iam.documents_for("identity"), {key: doc |
	some key, doc in iam.documents_for("resource")
	resources.by_address[doc.address].type == "aws_dynamodb_resource_policy"
})

_endpoints_named(value) := {ref |
	some ref in resources.token_refs(value)
	ref in network.dynamodb_endpoints
} | {address |
	some address in network.dynamodb_endpoints
	resources.by_address[address].values.id == value
}

_violations[doc.address] contains concat("", [
	iam.statement_label(i, statement), " (", concat(", ", sort(actions)), ")", _other_endpoint_note(statement),
]) if {
	some doc in iam.documents_for("identity")
	some i, statement in doc.statements
	statement.effect == "Allow"
	actions := dynamodb.covered_data_actions(statement)
	collections.nonempty(actions)
	not _requires_this_endpoint(statement)
	not _denied_outside_endpoint(statement, actions)
}

_requires_this_endpoint(statement) if {
	network.requires_source_vpce(statement)
	not collections.nonempty(_other_endpoints(statement))
}

# aws:SourceVpce values that are not a DynamoDB endpoint this stack declares: another VPC's
# endpoint lets requests from that network in. A stack without an endpoint of its own names one
# it does not manage, which only its id can designate.
_other_endpoints(statement) := {value |
	count(network.dynamodb_endpoints) > 0
	some condition in statement.conditions
	condition.key == "aws:sourcevpce"
	condition.operator == "StringEquals"
	some value in condition.values
	not _this_stacks_endpoint(value)
}

_this_stacks_endpoint(value) if {
	some ref in resources.token_refs(value)
	ref in network.dynamodb_endpoints
}

_this_stacks_endpoint(value) if {
	some address in network.dynamodb_endpoints
	resources.by_address[address].values.id == value
}

_other_endpoint_note(statement) := concat("", [
	" requires aws:SourceVpce ", concat(", ", sort(others)), ", which is not this stack's DynamoDB endpoint",
]) if {
	network.requires_source_vpce(statement)
	others := _other_endpoints(statement)
	count(others) > 0
} else := ""

# Every Resource names specific tables of this stack, and every one of them denies the actions
# outside the endpoint. "*" or a wildcard ARN reaches tables no resource policy here protects.
_denied_outside_endpoint(statement, actions) if {
	collections.nonempty(statement.resources)
	every resource in statement.resources {
		dynamodb.names_specific_table(resource)
		collections.nonempty(dynamodb.tables_in(resource))
		every table in dynamodb.tables_in(resource) {
			_table_denies(table, resource, actions)
		}
	}
}

_table_denies(table, granted, actions) if {
	statements := [statement |
		some policy in object.get(_resource_policies_of, table, collections.no_set)
		some statement in iam.documents[concat("#", [policy, "policy"])].statements
		network.denies_outside_endpoint(statement)
		iam.allows_any_principal(statement)
		_covers(statement, table, granted)
	]
	every action in actions {
		some statement in statements
		iam.statement_denies_action(statement, concat(":", ["dynamodb", action]))
	}
}

# Indexed once: every granted table looks its resource policies up here.
_resource_policies_of[table] contains policy.address if {
	some policy in resources.of_type("aws_dynamodb_resource_policy")
	some table in _attached_tables(policy)
}

# resource_arn names the table (not its stream, which has a resource policy of its own).
# A plan that cannot know the table's ARN yet still records which table it is.
_attached_tables(policy) := dynamodb.tables_in(arn) if {
	arn := policy.values.resource_arn
	is_string(arn)
	not contains(arn, "/stream/")
	not contains(arn, ".stream_arn}")
} else := {target.address |
	resources.unknown(policy, "resource_arn")
	some target in resources.resolve(policy, "resource_arn")
}

# The Deny covers what the grant names: a grant on the table itself needs a Deny on the table
# itself (not only its indexes), and a grant on an index needs a Deny on that index.
_covers(statement, _, _) if "*" in statement.resources

_covers(statement, table, granted) if {
	_sub_resource(granted) == ""
	some resource in statement.resources
	table in dynamodb.tables_in(resource)
	not regex.match(`/(index|stream|backup|export|import)/`, resource)
}

_covers(statement, table, granted) if {
	sub := _sub_resource(granted)
	sub != ""
	some resource in statement.resources
	table in dynamodb.tables_in(resource)
	glob.match(_sub_resource(resource), null, sub)
}

# What follows the table in a table ARN or `${aws_dynamodb_table.x.arn}` token ("/index/ByDate"),
# "" for the table itself or for anything else.
_sub_resource(resource) := match[1] if {
	some match in regex.find_all_string_submatch_n(
		`^(?:\$\{aws_dynamodb_table\.[^.}]+\.arn\}|arn:aws[a-z-]*:dynamodb:[^:]*:[^:]*:table/[^/]+)(/.*)?$`,
		resource,
		1,
	)
} else := ""
