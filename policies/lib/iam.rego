# METADATA
# title: IAM policy documents
# description: >-
#   Every IAM policy document in the input, wherever it is written (JSON
#   strings in policy attributes, standalone policy resources, role inline
#   policies, aws_iam_policy_document data sources), parsed into one
#   statement shape. Documents that cannot be read are listed in unreadable
#   rather than dropped, so that rules can fail closed on them.
package guardrails.lib.iam

import data.guardrails.lib.resources

# Attributes that hold a policy document on any resource type.
_policy_attributes := {"policy", "assume_role_policy", "access_policy"}

# Resources that exist only to attach a policy to something else.
_policy_resource_types := {
	"aws_dynamodb_resource_policy",
	"aws_iam_policy",
	"aws_iam_role_policy",
	"aws_kms_key_policy",
	"aws_s3_bucket_policy",
	"aws_sns_topic_policy",
	"aws_sqs_queue_policy",
	"aws_vpc_endpoint_policy",
}

# METADATA
# title: Policy documents
# description: >-
#   {"address", "attribute", "kind", "document", "statements"} for every
#   readable document, keyed by "<address>#<attribute>" (iterate with `some doc in ...`). kind is "resource_attribute", "policy_resource",
#   "inline_policy" or "policy_document_data_source". For a data source (and
#   for a CDKTF attribute that is exactly a reference to one's json) document
#   is the data source's values, not IAM JSON.
documents[key] := doc if {
	some key, candidate in _candidates
	parsed := _parsed_json(candidate.value)
	doc := {
		"address": candidate.address,
		"attribute": candidate.attribute,
		"kind": candidate.kind,
		"document": parsed,
		"statements": _json_statements(parsed),
	}
}

documents[key] := doc if {
	some key, candidate in _candidates
	source := _referenced_policy_document(candidate.value)
	doc := {
		"address": candidate.address,
		"attribute": candidate.attribute,
		"kind": candidate.kind,
		"document": source.values,
		"statements": _data_source_statements(source.values),
	}
}

documents[_key(doc)] := doc if {
	some source in resources.data_of_type("aws_iam_policy_document")
	doc := {
		"address": source.address,
		"attribute": "statement",
		"kind": "policy_document_data_source",
		"document": source.values,
		"statements": _data_source_statements(source.values),
	}
}

# A resource holds at most one document per attribute. Keyed rather than sets of
# documents or candidates: wasm hashes a set member's whole value.
_key(doc) := concat("#", [doc.address, doc.attribute])

# METADATA
# title: Unreadable policy documents
# description: >-
#   {"address", "attribute", "kind", "reason"} for every policy attribute
#   that holds something other than a readable document. reason is
#   "unknown" (a plan cannot know it before apply), "expression" (a CDKTF
#   token such as `${jsonencode(...)}` that only Terraform can evaluate),
#   "invalid_json" or "not_an_object".
unreadable contains entry if {
	some key, candidate in _candidates
	not documents[key]
	entry := {
		"address": candidate.address,
		"attribute": candidate.attribute,
		"kind": candidate.kind,
		"reason": _unreadable_reason(candidate),
	}
}

_unreadable_reason(candidate) := "unknown" if {
	not candidate.known
} else := "expression" if {
	_is_single_token(candidate.value)
} else := "invalid_json" if {
	not json.is_valid(candidate.value)
} else := "not_an_object"

_is_single_token(value) if {
	startswith(value, "${")
	endswith(value, "}")
}

## Where documents are written ##################################################

_candidates[_key(candidate)] := candidate if {
	some resource in resources.by_address
	resource.type != "aws_iam_policy_document"
	some attr in _policy_attributes
	value := resource.values[attr]
	_present(value)
	candidate := {
		"address": resource.address,
		"attribute": attr,
		"kind": _attribute_kind(resource.type),
		"value": value,
		"known": true,
	}
}

_candidates[_key(candidate)] := candidate if {
	some resource in resources.by_address
	some attr, _ in resource.unknown
	_unknown_policy_attribute(resource, attr)
	candidate := {
		"address": resource.address,
		"attribute": attr,
		"kind": _unknown_kind(resource.type, attr),
		"value": null,
		"known": false,
	}
}

_candidates[_key(candidate)] := candidate if {
	some role in resources.of_type("aws_iam_role")
	some i, inline in as_list(object.get(role.values, "inline_policy", []))
	value := inline.policy
	_present(value)
	candidate := {
		"address": role.address,
		"attribute": concat("", ["inline_policy[", format_int(i, 10), "].policy"]),
		"kind": "inline_policy",
		"value": value,
		"known": true,
	}
}

_unknown_policy_attribute(resource, attr) if {
	attr in _policy_attributes
	not _present(object.get(resource.values, attr, null))
}

# Known inline policies are read one by one; any unknown part of the block
# means a policy may be missing from documents, so it is reported as well.
_unknown_policy_attribute(resource, "inline_policy") if resource.type == "aws_iam_role"

_unknown_kind(_, "inline_policy") := "inline_policy"

_unknown_kind(type, attr) := _attribute_kind(type) if attr != "inline_policy"

_attribute_kind(type) := "policy_resource" if {
	type in _policy_resource_types
} else := "resource_attribute"

# Unset attributes are null in a plan and "" for some computed strings;
# neither is a document.
_present(value) if {
	value != null
	value != ""
}

_parsed_json(value) := value if is_object(value)

_parsed_json(value) := parsed if {
	is_string(value)
	json.is_valid(value)
	parsed := json.unmarshal(value)
	is_object(parsed)
}

# CDKTF renders `policy: doc.json` as exactly this token; anything more
# (functions, interpolation) is left to unreadable.
_referenced_policy_document(value) := source if {
	is_string(value)
	some match in regex.find_all_string_submatch_n(
		`^\$\{(data\.aws_iam_policy_document\.[A-Za-z_][A-Za-z0-9_\-]*)\.(?:json|minified_json)\}$`,
		value,
		1,
	)
	source := resources.by_address[match[1]]
}

## Statements ###################################################################

_json_statements(document) := [_json_statement(statement) |
	some statement in as_list(object.get(document, "Statement", []))
	is_object(statement)
]

_json_statement(statement) := {
	"sid": _string(object.get(statement, "Sid", "")),
	"effect": _string(object.get(statement, "Effect", "")),
	"actions": actions,
	"not_actions": not_actions,
	"dynamodb_actions": _covered_dynamodb_actions(actions, not_actions),
	"resources": as_list(object.get(statement, "Resource", [])),
	"not_resources": as_list(object.get(statement, "NotResource", [])),
	"principals": _json_principals(object.get(statement, "Principal", null)),
	"not_principals": _json_principals(object.get(statement, "NotPrincipal", null)),
	"conditions": _json_conditions(object.get(statement, "Condition", {})),
} if {
	actions := _lower_all(object.get(statement, "Action", []))
	not_actions := _lower_all(object.get(statement, "NotAction", []))
}

# Which DynamoDB actions a statement covers is asked by many rules about the same
# statements; expanding the patterns once, when the statement is read, keeps that
# linear in the statements.
_covered_dynamodb_actions(actions, not_actions) := expand_dynamodb_actions({"actions": actions, "not_actions": not_actions})

_dynamodb_actions := data.guardrails.iam.dynamodb.actions

# METADATA
# title: DynamoDB actions of a statement
# description: >-
#   The CamelCase DynamoDB action names the statement's Action (or NotAction)
#   covers, whatever its Effect. Exact names are looked up; only patterns with
#   wildcards are matched against every action.
expand_dynamodb_actions(statement) := {action.name |
	some key, action in _dynamodb_actions
	not action_matches(statement.not_actions, concat(":", ["dynamodb", key]))
} if {
	count(statement.not_actions) > 0
} else := {name |
	some pattern in statement.actions
	some name in _expand(lower(pattern))
}

# Most patterns name another service's action ("kms:decrypt"): two string tests settle them.
_expand(pattern) := {_dynamodb_actions[key].name} if {
	startswith(pattern, "dynamodb:")
	not _wildcard(pattern)
	key := substring(pattern, count("dynamodb:"), -1)
	_dynamodb_actions[key]
} else := {action.name |
	some key, action in _dynamodb_actions
	glob.match(pattern, null, concat(":", ["dynamodb", key]))
} if {
	_wildcard(pattern)
	_may_name_dynamodb(pattern)
} else := set()

_wildcard(pattern) if contains(pattern, "*")

_wildcard(pattern) if contains(pattern, "?")

_may_name_dynamodb(pattern) if startswith(pattern, "dynamodb:")

# A wildcard in the service part ("*", "dyn*:getitem") may stand for dynamodb.
_may_name_dynamodb(pattern) if _wildcard(split(pattern, ":")[0])

_principal_types := ["AWS", "Service", "Federated", "CanonicalUser"]

_no_principals := {"AWS": [], "Service": [], "Federated": [], "CanonicalUser": [], "*": false}

_json_principals(principal) := object.union(_no_principals, {"*": true}) if {
	principal == "*"
} else := object.union(
	{type: as_list(object.get(principal, type, [])) | some type in _principal_types},
	{"*": "*" in as_list(object.get(principal, "AWS", []))},
) if {
	is_object(principal)
} else := _no_principals

# Sorted: object iteration order differs between wasm (document order) and
# opa eval (key order), and rules must see the same list from both.
_json_conditions(condition) := sort([_condition(operator, key, values) |
	some operator, entries in condition
	some key, values in entries
]) if {
	is_object(condition)
} else := []

_data_source_statements(values) := [_data_source_statement(statement) |
	some statement in as_list(object.get(values, "statement", []))
	is_object(statement)
]

_data_source_statement(statement) := {
	"sid": _string(object.get(statement, "sid", "")),
	"effect": _effect_or_default(object.get(statement, "effect", "")),
	"actions": actions,
	"not_actions": not_actions,
	"dynamodb_actions": _covered_dynamodb_actions(actions, not_actions),
	"resources": as_list(object.get(statement, "resources", [])),
	"not_resources": as_list(object.get(statement, "not_resources", [])),
	"principals": _block_principals(object.get(statement, "principals", [])),
	"not_principals": _block_principals(object.get(statement, "not_principals", [])),
	"conditions": [_condition(block.test, block.variable, object.get(block, "values", [])) |
		some block in as_list(object.get(statement, "condition", []))
	],
} if {
	actions := _lower_all(object.get(statement, "actions", []))
	not_actions := _lower_all(object.get(statement, "not_actions", []))
}

# The data source's effect argument is optional and defaults to Allow.
_effect_or_default(effect) := effect if {
	is_string(effect)
	effect != ""
} else := "Allow"

_block_principals(blocks) := object.union(
	{type: _identifiers(blocks, type) | some type in _principal_types},
	{"*": _block_any_principal(blocks)},
)

_identifiers(blocks, type) := [identifier |
	some block in as_list(blocks)
	block.type == type
	some identifier in as_list(block.identifiers)
]

# `type = "*"` with identifiers ["*"] is how the data source writes
# `Principal: "*"`; AWS ["*"] means the same to IAM.
default _block_any_principal(_) := false

_block_any_principal(blocks) if {
	some block in as_list(blocks)
	block.type in {"*", "AWS"}
	"*" in as_list(block.identifiers)
}

_condition(raw_operator, key, values) := {
	"operator": trim_suffix(unqualified, "IfExists"),
	"qualifier": qualifier,
	"if_exists": endswith(unqualified, "IfExists"),
	"key": lower(key),
	"values": [_string(value) | some value in as_list(values)],
} if {
	qualifier := _qualifier(raw_operator)
	unqualified := trim_prefix(raw_operator, concat("", [qualifier, ":"]))
}

_qualifier(operator) := qualifier if {
	some qualifier in ["ForAllValues", "ForAnyValue"]
	startswith(operator, concat("", [qualifier, ":"]))
} else := ""

## Helpers ######################################################################

# METADATA
# title: Action pattern match
# description: >-
#   True when any pattern in patterns (a list or a single string) matches
#   action, with IAM's `*` and `?` wildcards, case-insensitively. glob.match
#   with null delimiters lets `*` span every character, as IAM's does.
action_matches(patterns, action) if {
	some pattern in as_list(patterns)
	_action_pattern_matches(lower(pattern), lower(action))
}

# Exact names are compared rather than globbed, which keeps the distinct glob patterns of an
# evaluation few (see kms_for_readers: OPA's wasm glob cache breaks past about a hundred).
_action_pattern_matches(pattern, action) if {
	not regex.match(`[*?]`, pattern)
	pattern == action
}

_action_pattern_matches(pattern, action) if {
	regex.match(`[*?]`, pattern)
	glob.match(pattern, null, action)
}

# METADATA
# title: Statement covers an action
# description: >-
#   True when the statement's Action matches action, or when it has a
#   NotAction that does not match it. Effect is not considered.
statement_matches_action(statement, action) if action_matches(statement.actions, action)

statement_matches_action(statement, action) if {
	count(statement.not_actions) > 0
	not action_matches(statement.not_actions, action)
}

# METADATA
# title: Statement allows an action
# description: True when an Allow statement covers action (Action or NotAction).
statement_allows_action(statement, action) if {
	statement.effect == "Allow"
	statement_matches_action(statement, action)
}

# METADATA
# title: Statement denies an action
# description: True when a Deny statement covers action (Action or NotAction).
statement_denies_action(statement, action) if {
	statement.effect == "Deny"
	statement_matches_action(statement, action)
}

# METADATA
# title: Any principal
# description: >-
#   True when the statement's Principal is "*" or {"AWS": "*"}.
allows_any_principal(statement) if statement.principals["*"] == true

# METADATA
# title: NotPrincipal
# description: >-
#   True when the statement has a NotPrincipal: it applies to everyone but
#   the principals it names.
uses_not_principal(statement) if statement.not_principals["*"] == true

uses_not_principal(statement) if {
	some type in _principal_types
	count(statement.not_principals[type]) > 0
}

# METADATA
# title: Condition values
# description: >-
#   The set of values the statement's conditions give key under operator
#   (the base name, e.g. "StringEquals": IfExists and set qualifiers are
#   read from the condition's own fields). key is matched case-insensitively.
condition_values(statement, operator, key) := {value |
	some condition in statement.conditions
	condition.operator == operator
	condition.key == lower(key)
	some value in condition.values
}

# METADATA
# title: Statement label
# description: >-
#   How a finding names a statement: its Sid in quotes, or its position
#   ("statement 2") when it has none. i is the statement's index.
statement_label(i, statement) := concat("", ["statement \"", statement.sid, "\""]) if {
	statement.sid != ""
} else := concat(" ", ["statement", format_int(i + 1, 10)])

# METADATA
# title: Operator as written
# description: >-
#   A condition's operator with its set qualifier and IfExists suffix, as a
#   policy writes it, e.g. "ForAnyValue:StringLike" or "StringEqualsIfExists".
operator_name(condition) := concat("", [
	_qualifier_prefix(condition.qualifier),
	condition.operator,
	_if_exists_suffix(condition.if_exists),
])

_qualifier_prefix("") := ""

_qualifier_prefix(qualifier) := concat("", [qualifier, ":"]) if qualifier != ""

_if_exists_suffix(true) := "IfExists"

_if_exists_suffix(false) := ""

# METADATA
# title: Condition keys
# description: The set of (lowercased) condition keys the statement tests.
condition_keys(statement) := {condition.key | some condition in statement.conditions}

# METADATA
# title: As a list
# description: >-
#   IAM accepts a single value or a list wherever it takes several (Action,
#   Resource, principals, condition values); null means none.
as_list(value) := value if {
	is_array(value)
} else := [] if {
	value == null
} else := [value]

_lower_all(values) := [lower(value) | some value in as_list(values)]

# Condition values may be JSON booleans or numbers ("aws:SecureTransport":
# false); rules compare strings, which is how IAM compares them too.
_string(value) := value if {
	is_string(value)
} else := json.marshal(value)

## Purpose ######################################################################

_identity_policy_types := {"aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"}

_resource_policy_types := {
	"aws_dynamodb_resource_policy", "aws_kms_key", "aws_kms_key_policy", "aws_s3_bucket", "aws_sns_topic", "aws_sns_topic_policy",
	"aws_sqs_queue", "aws_sqs_queue_policy", "aws_s3_bucket_policy", "aws_vpc_endpoint", "aws_vpc_endpoint_policy",
}

# METADATA
# title: What a policy document governs
# description: >-
#   "identity" (attached to a role, user or group: what it may do), "trust"
#   (a role's assume_role_policy: who may become it), "resource" (attached to
#   a table, key, topic, queue, bucket or endpoint: who may use it) or
#   "definition" (an aws_iam_policy_document data source, checked where used).
purpose(doc) := "definition" if {
	doc.kind == "policy_document_data_source"
} else := "trust" if {
	doc.attribute == "assume_role_policy"
} else := "identity" if {
	doc.kind == "inline_policy"
} else := "identity" if {
	resources.by_address[doc.address].type in _identity_policy_types
} else := "resource" if {
	resources.by_address[doc.address].type in _resource_policy_types
} else := "other"

# METADATA
# title: Documents by purpose
# description: The documents whose purpose(doc) is p.
documents_for(p) := object.get(_documents_by_purpose, p, {})

# Computed once: rules ask for documents by purpose inside loops.
_documents_by_purpose[p] := {key: doc |
	some key, doc in documents
	_purposes[key] == p
} if {
	some p in {"identity", "trust", "resource", "definition", "other"}
}

_purposes[key] := purpose(doc) if some key, doc in documents
