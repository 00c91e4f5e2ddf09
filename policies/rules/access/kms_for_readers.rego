# METADATA
# title: Roles that read a CMK-encrypted table can use its key
# description: >-
#   Reading a table encrypted with a customer-managed key needs kms:Decrypt on
#   that key as well as the DynamoDB permission: the talk's Jane could read
#   unencrypted tables but got KMS access denied on the encrypted one, because
#   her Deny with NotAction "dynamodb:*" also denied KMS. A role that reads such
#   a table is allowed kms:Decrypt on its key (through DynamoDB) and no Deny
#   with NotAction takes that away.
# custom:
#   id: GR-FGA-005
#   severity: high
#   practice: "Protecting your data at rest: AWS KMS & DynamoDB permissions (Jane's Deny NotAction dynamodb:* shuts KMS out)"
package guardrails.rules.access.kms_for_readers

import data.guardrails.lib.collections
import data.guardrails.lib.context
import data.guardrails.lib.dynamodb
import data.guardrails.lib.iam
import data.guardrails.lib.keys
import data.guardrails.lib.resources
import data.guardrails.lib.result

# (a) A Deny with NotAction that does not exclude kms:Decrypt, covering the key a role reads through.
findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": ", concat("; ", sort(labels)),
	", so its reads fail with KMS access denied (the talk's Jane case); ",
	"add \"kms:*\" (or at least kms:Decrypt) to the NotAction, as the talk's fix for Jane does, ",
	"or leave the key out of the Deny's Resource",
])) if {
	some address, labels in _shutting_out
}

# (b) No Allow for kms:Decrypt on the key, and the key policy does not name the role.
findings contains result.finding(rego.metadata.chain(), role, concat("", [
	role, ": the role reads ", concat(", ", sort(reads)),
	" but no policy allows it kms:Decrypt on that key (through DynamoDB), so every read fails with KMS access denied; ",
	"allow kms:Decrypt on the key's ARN with \"StringEquals\": {\"kms:ViaService\": \"dynamodb.<region>.amazonaws.com\"} ",
	"in the role's policy, or name the role in the key policy",
])) if {
	some role, reads in _missing_decrypt
}

_shutting_out[doc.address] contains concat("", [
	iam.statement_label(i, statement), " (a Deny with NotAction ", concat(", ", sort(statement.not_actions)),
	") also denies kms:Decrypt on ", key, ", which ", concat(", ", sort(roles)),
	" needs to read the tables that key encrypts",
]) if {
	some doc_key, attached in _doc_roles
	doc := iam.documents[doc_key]
	some i, statement in doc.statements
	statement.effect == "Deny"
	collections.nonempty(statement.not_actions)
	not iam.lowered_action_matches(statement.not_actions, "kms:decrypt")
	some key in {key | some role in attached; some key in _lookup(_keys_read_by, role)}
	_resources_cover(statement, resources.by_address[key])
	roles := attached & _lookup(_readers_of, key)
}

_missing_decrypt[role] contains concat("", [concat(", ", sort(tables)), " (encrypted with ", key, ")"]) if {
	some [role, key, _] in _reads
	not _roles_with_unreadable_policy[role]
	not _decrypt_allowed(role, resources.by_address[key])
	not _key_policy_names(role, resources.by_address[key])
	tables := _lookup(_tables_read, concat("|", [role, key]))
}

## Indexes ######################################################################
# Built once per evaluation, so that asking "which roles, which keys" inside the loops
# above stays a lookup: stacks have hundreds of roles, keys and tables.

# Looked up in the whole index: `index[key]` with a bound key makes opa eval run the
# index's rule body again for every key, which is quadratic over a stack.
_lookup(index, key) := object.get(index, key, collections.no_set)

_keys_read_by[role] contains key if some [role, key, _] in _reads

_readers_of[key] contains role if some [role, key, _] in _reads

_tables_read[concat("|", [role, key])] contains table if some [role, key, table] in _reads

# The roles each identity document is attached to, by document key.
_doc_roles[doc_key] := _attached_roles(doc) if some doc_key, doc in iam.documents_for("identity")

_docs_of[role] contains doc_key if {
	some doc_key, roles in _doc_roles
	some role in roles
}

_roles_by_name[name] contains role.address if {
	some role in resources.of_type("aws_iam_role")
	name := role.values.name
	is_string(name)
}

_policies_by_arn[arn] contains policy.address if {
	some policy in resources.of_type("aws_iam_policy")
	arn := policy.values.arn
	is_string(arn)
}

_keys_by_arn[arn] contains key.address if {
	some key in resources.of_type("aws_kms_key")
	arn := key.values.arn
	is_string(arn)
}

## Roles and their identity policies ###############################################

# [role address, key address, table address] for every CMK-encrypted table a role reads.
_reads contains [role, key, table] if {
	some doc_key, roles in _doc_roles
	some statement in iam.documents[doc_key].statements
	statement.effect == "Allow"
	_reads_items(statement)
	some resource in statement.resources
	some table in dynamodb.tables_in(resource)
	some key in object.get(_keys_of_table, table, collections.no_set)
	some role in roles
}

_reads_items(statement) if {
	some name in dynamodb.covered_actions(statement)
	_read_actions[name]
}

# Each table's keys, resolved once rather than for every statement that reads the table.
_keys_of_table[table.address] := _table_keys(table) if some table in resources.of_type("aws_dynamodb_table")

# Data-plane reads that return item data; stream metadata (DescribeStream, GetShardIterator) does not.
_read_actions := {action.name |
	some action in data.guardrails.iam.dynamodb.actions
	action.plane == "data"
	action.access_level == "Read"
	not action.name in {"DescribeStream", "GetShardIterator"}
}

_table_keys(table) := {key.address |
	some key in keys.encryption_targets(table, "server_side_encryption")
	key.mode == "managed"
	key.type == "aws_kms_key"
} | {key |
	some sse in resources.blocks(table, "server_side_encryption")
	arn := sse.kms_key_arn
	is_string(arn)
	some key in _lookup(_keys_by_arn, arn)
}

# The roles an identity document is attached to: the role holding an inline
# policy, the role of an aws_iam_role_policy, the roles an aws_iam_policy is attached to.
_attached_roles(doc) := {doc.address} if {
	doc.kind == "inline_policy"
} else := _roles_named(resources.by_address[doc.address], "role") if {
	resources.by_address[doc.address].type == "aws_iam_role_policy"
} else := _lookup(_policy_roles, doc.address) if {
	resources.by_address[doc.address].type == "aws_iam_policy"
} else := collections.no_set

_roles_named(resource, attr) := {role.address |
	some role in resources.resolve(resource, attr)
	role.type == "aws_iam_role"
} | {role |
	some name in iam.as_list(object.get(resource.values, attr, collections.no_list))
	is_string(name)
	some role in _lookup(_roles_by_name, name)
}

_policy_roles[policy] contains role if {
	some attachment in resources.of_type("aws_iam_role_policy_attachment")
	some policy in _policies_named(attachment, "policy_arn")
	some role in _roles_named(attachment, "role")
}

_policy_roles[policy] contains role if {
	some attachment in resources.of_type("aws_iam_policy_attachment")
	some policy in _policies_named(attachment, "policy_arn")
	some role in _roles_named(attachment, "roles")
}

_policy_roles[policy] contains role.address if {
	some role in resources.of_type("aws_iam_role")
	some policy in _policies_named(role, "managed_policy_arns")
}

_policies_named(resource, attr) := {target.address |
	some target in resources.resolve(resource, attr)
	target.type == "aws_iam_policy"
} | {policy |
	some arn in iam.as_list(object.get(resource.values, attr, collections.no_list))
	is_string(arn)
	some policy in _lookup(_policies_by_arn, arn)
}

# A policy of the role cannot be read (GR-INPUT-002 reports it): it may hold the Allow.
_roles_with_unreadable_policy contains role if {
	some entry in iam.unreadable
	entry.attribute != "assume_role_policy"
	some role in _attached_roles(entry)
}

## kms:Decrypt ##################################################################

_decrypt_allowed(role, key) if {
	some doc_key in _lookup(_docs_of, role)
	some statement in iam.documents[doc_key].statements
	iam.statement_allows_action(statement, "kms:Decrypt")
	_resources_cover(statement, key)
	_through_dynamodb(statement, key)
}

# The key policy itself allows the role (by its ARN) to decrypt.
_key_policy_names(role, key) if {
	some doc_key in _lookup(_key_policies, key.address)
	some statement in iam.documents[doc_key].statements
	iam.statement_allows_action(statement, "kms:Decrypt")
	some principal in statement.principals.AWS
	_names_role(principal, resources.by_address[role])
}

_key_policies[key] contains doc_key if {
	some doc_key, doc in iam.documents
	doc.attribute == "policy"
	resources.by_address[doc.address].type == "aws_kms_key"
	key := doc.address
}

_key_policies[target.address] contains doc_key if {
	some doc_key, doc in iam.documents
	policy := resources.by_address[doc.address]
	policy.type == "aws_kms_key_policy"
	some target in resources.resolve(policy, "key_id")
}

_names_role(principal, role) if role.address in resources.token_refs(principal)

_names_role(principal, role) if principal == role.values.arn

_resources_cover(statement, key) if {
	some pattern in statement.resources
	_covers(pattern, key)
}

_resources_cover(statement, key) if {
	collections.nonempty(statement.not_resources)
	not _any_covers(statement.not_resources, key)
}

_any_covers(patterns, key) if {
	some pattern in patterns
	_covers(pattern, key)
}

_covers("*", _)

_covers(pattern, key) if key.address in iam.resource_refs(pattern)

# An exact ARN is compared, not globbed: in a plan every key's ARN is a distinct pattern, and OPA's
# wasm glob cache corrupts its memory once about a hundred distinct patterns are each used many times
# in one evaluation (a 1,000-resource plan stopped with `size_ <= max_size()`).
_covers(pattern, key) if {
	is_string(pattern)
	not regex.match(`[*?]`, pattern)
	pattern == _key_arn(key)
}

_covers(pattern, key) if {
	is_string(pattern)
	not contains(pattern, "${")
	regex.match(`[*?]`, pattern)
	regex.match(`^[A-Za-z0-9:/_*?.-]+$`, pattern)
	glob.match(pattern, null, _key_arn(key))
}

# The key's ARN: the plan's value, or (for CDKTF, and keys a plan creates) the shape
# AWS gives it in the environment's account and region, with a placeholder id that
# only wildcards match.
_key_arn(key) := arn if {
	arn := _known_arn(key)
} else := _unknown_key_arn

_known_arn(key) := arn if {
	arn := key.values.arn
	is_string(arn)
	not contains(arn, "${")
}

# Built once: every key whose ARN is not known yet (all of a synthesized stack's) stands for it.
_unknown_key_arn := concat(":", ["arn:aws:kms", _region, _account, "key/unknown-key-id"])

_account := context.account_id

default _account := "unknown-account"

_provider_regions contains region if {
	some provider in input.document.provider.aws
	not provider.alias
	region := provider.region
	is_string(region)
}

_provider_regions contains region if {
	region := input.document.configuration.provider_config.aws.expressions.region.constant_value
	is_string(region)
}

# A plan joined with its synthesized stack: the stack's provider block.
_provider_regions contains region if {
	some provider in input.configuration.provider.aws
	not provider.alias
	region := provider.region
	is_string(region)
}

_region := region if {
	[region] := [region | some region in _provider_regions]
} else := "unknown-region"

# A kms:ViaService condition, when present, must let requests made through DynamoDB in.
_through_dynamodb(statement, key) if {
	every condition in statement.conditions {
		_lets_dynamodb_in(condition, key)
	}
}

_lets_dynamodb_in(condition, _) if condition.key != "kms:viaservice"

_lets_dynamodb_in(condition, key) if {
	_positive_operators[condition.operator]
	some value in condition.values
	_names_dynamodb(value, key)
}

_lets_dynamodb_in(condition, key) if {
	_negative_operators[condition.operator]
	every value in condition.values {
		not _names_dynamodb(value, key)
	}
}

# Composite literals are built again each time a body runs in wasm; rule values are built once.
_positive_operators := {"StringEquals", "StringEqualsIgnoreCase", "StringLike"}

_negative_operators := {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike"}

_names_dynamodb(value, key) if {
	lowered := lower(value)
	regex.match(`^[a-z0-9.*?-]+$`, lowered)
	glob.match(lowered, null, _dynamodb_service(key))
}

# The region written as a CDKTF token (`${data.aws_region.current.name}`).
_names_dynamodb(value, _) if regex.match(`^dynamodb\.\$\{[^}]+\}\.amazonaws\.com$`, value)

# The DynamoDB endpoint of a key's region. Asked of every condition of every statement that may
# allow kms:Decrypt: a key whose ARN is not known yet is in the stack's region, built once.
_dynamodb_service(key) := concat("", ["dynamodb.", split(arn, ":")[3], ".amazonaws.com"]) if {
	arn := _known_arn(key)
} else := _stack_dynamodb_service if {
	# The stack's region stands only for keys whose ARN is not known yet; a known ARN too short to
	# hold a region names no endpoint.
	not _known_arn(key)
}

_stack_dynamodb_service := concat("", ["dynamodb.", _region, ".amazonaws.com"])
