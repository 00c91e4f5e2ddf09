# METADATA
# title: IAM policy documents
# description: >-
#   Every IAM policy document in the input, wherever it is written (JSON
#   strings in policy attributes, standalone policy resources, role inline
#   policies, aws_iam_policy_document data sources), parsed into one
#   statement shape. Documents that cannot be read are listed in unreadable
#   rather than dropped, so that rules can fail closed on them.
package guardrails.lib.iam

import data.guardrails.lib.collections
import data.guardrails.lib.resources

# Attributes that hold a policy document on any resource type.
_policy_attributes := {"policy", "assume_role_policy", "access_policy", "resource_policy"}

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
	some key, parsed in _parsed_documents
	candidate := _candidates[key]
	doc := {
		"address": candidate.address,
		"attribute": candidate.attribute,
		"kind": candidate.kind,
		"document": parsed,
		"statements": _json_statements(parsed, _scope(candidate)),
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
		"statements": _data_source_statements(source.values, _scope(candidate)),
	}
}

documents[_key(doc)] := doc if {
	some source in resources.data_of_type("aws_iam_policy_document")
	doc := {
		"address": source.address,
		"attribute": "statement",
		"kind": "policy_document_data_source",
		"document": source.values,
		"statements": _data_source_statements(source.values, "resource"),
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

# METADATA
# title: Resource strings of the statements
# description: >-
#   Every distinct string in a Resource or NotResource of a readable
#   document's statements.
statement_resource_strings contains resource_string if {
	some doc in documents
	some statement in doc.statements
	some field in _resource_fields
	some resource_string in statement[field]
	is_string(resource_string)
}

_resource_fields := ["resources", "not_resources"]

# METADATA
# title: References of a Resource string
# description: >-
#   resources.token_refs of a statement's Resource string, read once per
#   distinct string of the stack: rules ask it of the same strings again and
#   again, and reading one allocates.
resource_refs(resource_string) := refs if {
	refs := _resource_string_refs[resource_string]
} else := resources.token_refs(resource_string)

_resource_string_refs[resource_string] := resources.token_refs(resource_string) if {
	some resource_string in statement_resource_strings
	contains(resource_string, "${")
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
	some i, inline in as_list(object.get(role.values, "inline_policy", collections.no_list))
	value := inline.policy
	_present(value)

	# A plan shows an aws_iam_role_policy again inside its role's inline_policy;
	# the statement is read once, where it is declared.
	not inline.name in object.get(_declared_inline_policies, role.address, collections.no_set)
	candidate := {
		"address": role.address,
		"attribute": concat("", ["inline_policy[", format_int(i, 10), "].policy"]),
		"kind": "inline_policy",
		"value": value,
		"known": true,
	}
}

# role address -> names of the aws_iam_role_policy resources that attach to it,
# by reference or by the role's name.
_declared_inline_policies[role] contains name if {
	some policy in resources.of_type("aws_iam_role_policy")
	name := policy.values.name
	is_string(name)
	some role in _attached_role(policy)
}

_attached_role(policy) := {address |
	some target in resources.resolve(policy, "role")
	target.type == "aws_iam_role"
	address := target.address
} | {address |
	role := policy.values.role
	is_string(role)
	some address in object.get(_roles_by_name, role, collections.no_set)
}

_roles_by_name[name] contains role.address if {
	some role in resources.of_type("aws_iam_role")
	some attr in ["name", "id"]
	name := role.values[attr]
	is_string(name)
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

_parsed_documents[key] := _parsed_json(candidate.value) if some key, candidate in _candidates

_parsed_json(value) := value if is_object(value)

# json.unmarshal is undefined on invalid JSON (a builtin error, which OPA reports only under
# --strict-builtin-errors), so the document is parsed once: testing it with json.is_valid first
# parsed every policy twice, a tenth of the policy's memory on a large stack.
_parsed_json(value) := parsed if {
	is_string(value)
	parsed := json.unmarshal(value)
	is_object(parsed)
}

# CDKTF renders `policy: doc.json` as exactly this token; anything more
# (functions, interpolation) is left to unreadable.
_referenced_policy_document(value) := source if {
	is_string(value)

	# Asked of every policy string, most of them JSON: the capture allocates, the prefix test does not.
	startswith(value, "${data.aws_iam_policy_document.")
	some match in regex.find_all_string_submatch_n(
		`^\$\{(data\.aws_iam_policy_document\.[A-Za-z_][A-Za-z0-9_\-]*)\.(?:json|minified_json)\}$`,
		value,
		1,
	)
	source := resources.by_address[match[1]]
}

## Statements ###################################################################

_json_statements(document, scope) := [_json_statement(statement, scope) |
	some statement in as_list(object.get(document, "Statement", collections.no_list))
	is_object(statement)
]

_json_statement(statement, scope) := {
	"sid": _string(object.get(statement, "Sid", "")),
	"effect": _string(object.get(statement, "Effect", "")),
	"actions": actions,
	"not_actions": not_actions,
	"dynamodb_actions": _covered_dynamodb_actions(written_actions, actions, not_actions, resources, not_resources, scope),
	"resources": resources,
	"not_resources": not_resources,
	"principals": _read_principals(object.get(statement, "Principal", null)),
	"not_principals": _read_principals(object.get(statement, "NotPrincipal", null)),
	"conditions": _json_conditions(object.get(statement, "Condition", collections.no_object)),
} if {
	written_actions := object.get(statement, "Action", collections.no_list)
	actions := _read_actions(written_actions)
	not_actions := _read_actions(object.get(statement, "NotAction", collections.no_list))
	resources := as_list(object.get(statement, "Resource", collections.no_list))
	not_resources := as_list(object.get(statement, "NotResource", collections.no_list))
}

## Parts statements share #########################################################

# Statements repeat: constructs write the same Action lists and principals into document after
# document (the 16,639 statements of the benchmark's 10,000 resources write 25 Action lists). Wasm
# allocates a fresh value for every string lowered and every set built, and frees nothing until the
# evaluation ends, so each distinct part as written is read once and every statement that writes it
# shares the reading. Conditions repeat less and cost a hash of the whole condition to look up:
# they are read per statement.
#
# The Statement lists as written, by where they are written: a set of statements would hash each
# whole, and an object of them would allocate a key per statement.
_json_statement_lists[key] := as_list(object.get(parsed, "Statement", collections.no_list)) if some key, parsed in _parsed_documents

_data_source_statement_lists[source.address] := as_list(object.get(source.values, "statement", collections.no_list)) if {
	some source in resources.data_of_type("aws_iam_policy_document")
}

# METADATA
# title: Action lists as written
# description: >-
#   Every distinct Action or NotAction value of the input's JSON statements,
#   and actions or not_actions value of its aws_iam_policy_document data
#   sources, as written (a string or a list).
written_action_lists contains actions if {
	some statements in _json_statement_lists
	some statement in statements
	some field in _json_action_fields
	actions := statement[field]
}

written_action_lists contains actions if {
	some statements in _data_source_statement_lists
	some statement in statements
	some field in _data_source_action_fields
	actions := statement[field]
}

# Composite literals are built again each time a body runs in wasm; rule values are built once.
_json_action_fields := ["Action", "NotAction"]

_data_source_action_fields := ["actions", "not_actions"]

_read_action_lists[written] := _lower_all(written) if some written in written_action_lists

_read_actions(written) := reading if {
	reading := _read_action_lists[written]
} else := _lower_all(written)

# Which DynamoDB actions an Action list names, for each distinct list that may name any.
_action_list_expansions[written] := expand_dynamodb_actions({"actions": actions, "not_actions": []}) if {
	some written, actions in _read_action_lists
	_may_name_any_dynamodb_action(actions, collections.no_list)
}

_read_principals(written) := reading if {
	reading := _principal_readings[written]
} else := _json_principals(written)

_principal_readings[written] := _json_principals(written) if {
	some statements in _json_statement_lists
	some statement in statements
	some field in _principal_fields
	written := statement[field]
}

_principal_fields := ["Principal", "NotPrincipal"]

# METADATA
# title: AWS principals
# description: >-
#   Every distinct AWS principal (Principal or NotPrincipal) the input's
#   statements name, JSON documents and data sources alike.
aws_principals contains principal if {
	some reading in _principal_readings
	some principal in reading.AWS
}

aws_principals contains principal if {
	some doc in documents_for("definition")
	some statement in doc.statements
	some field in _normalized_principal_fields
	some principal in statement[field].AWS
}

_normalized_principal_fields := ["principals", "not_principals"]

# Which DynamoDB actions a statement covers is asked by many rules about the same
# statements; expanding the patterns once, when the statement is read, keeps that
# linear in the statements. IAM matches Action and Resource: a statement whose
# Resource cannot be a DynamoDB ARN (an S3 bucket, a managed policy) grants nothing
# on any table, whatever its Action, and neither does a document that can only
# govern another resource (a trust policy, a key, topic, queue or bucket policy,
# where "*" means that resource).
_covered_dynamodb_actions(written_actions, actions, not_actions, resources, not_resources, scope) := covered if {
	scope == "resource"
	_may_name_any_dynamodb_action(actions, not_actions)
	covered := _expanded(written_actions, actions, not_actions)

	# Most statements name no DynamoDB action: their resources need no reading.
	collections.nonempty(covered)
	may_designate_dynamodb({"resources": resources, "not_resources": not_resources})
} else := collections.no_set

_expanded(written_actions, actions, not_actions) := expansion if {
	not collections.nonempty(not_actions)
	expansion := _action_list_expansions[written_actions]
} else := expand_dynamodb_actions({"actions": actions, "not_actions": not_actions})

# String tests that settle most statements (logs:, kms:, sns: ...) before any expansion is
# built: expanding every statement's actions was a quarter of the documents' memory.
_may_name_any_dynamodb_action(_, not_actions) if collections.nonempty(not_actions)

_may_name_any_dynamodb_action(actions, _) if {
	some action in actions
	startswith(action, "dynamodb:")
}

_may_name_any_dynamodb_action(actions, _) if {
	some action in actions
	_wildcard(action)
	_may_name_dynamodb(action)
}

# Trust policies and the resource policies of keys, topics, queues and buckets govern
# only their own resource, never a DynamoDB one.
_scope(candidate) := "none" if {
	candidate.attribute == "assume_role_policy"
} else := "none" if {
	resources.by_address[candidate.address].type in _non_dynamodb_resource_policy_types
} else := "resource"

_non_dynamodb_resource_policy_types := {
	"aws_kms_key", "aws_kms_key_policy", "aws_s3_bucket", "aws_s3_bucket_policy", "aws_sns_topic",
	"aws_sns_topic_policy", "aws_sqs_queue", "aws_sqs_queue_policy",
}

# METADATA
# title: Resource may designate DynamoDB
# description: >-
#   True when the statement's Resource (or NotResource) can match the ARN of a
#   DynamoDB table, index, stream, backup, export, import or global table. A
#   statement with neither is read as reaching everything (fail closed).
may_designate_dynamodb(statement) if {
	not collections.nonempty(statement.resources)
	not collections.nonempty(statement.not_resources)
}

may_designate_dynamodb(statement) if {
	some resource in statement.resources
	resource_may_match(resource, "dynamodb")
}

may_designate_dynamodb(statement) if {
	collections.nonempty(statement.not_resources)
	not _excludes_all_dynamodb(statement.not_resources)
}

_excludes_all_dynamodb(patterns) if {
	some pattern in patterns
	is_string(pattern)
	every arn in _dynamodb_arn_samples {
		glob.match(pattern, null, arn)
	}
}

_dynamodb_arn_samples := [
	"arn:aws:dynamodb:us-east-1:111122223333:table/t",
	"arn:aws:dynamodb:us-east-1:111122223333:table/t/index/i",
	"arn:aws:dynamodb:us-east-1:111122223333:table/t/stream/2015-05-11T21:21:33.291",
	"arn:aws:dynamodb:us-east-1:111122223333:table/t/backup/01234567890123-abcdefgh",
	"arn:aws:dynamodb:us-east-1:111122223333:table/t/export/01234567890123-abcdefgh",
	"arn:aws:dynamodb::111122223333:global-table/g",
]

# What a service's ARNs may start their resource part with. A service not listed here
# takes any resource part.
_resource_prefixes := {
	"dynamodb": ["table/", "global-table/"],
	"iam": ["role/", "user/", "group/", "policy/"],
}

_partitions := ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"]

# METADATA
# title: Resource string may match a service's ARNs
# description: >-
#   True when a Resource string (IAM wildcards, CDKTF `${...}` tokens) can
#   match an ARN of service (for dynamodb and iam, of the resource types a
#   permission applies to: tables and their parts, global tables; roles,
#   users, groups, policies). A token that is exactly a reference to a
#   resource of this input matches only that resource's service; any other
#   token stands for an unknown value.
resource_may_match(resource, service) if _may_match(_referenced_service_or_none(resource), resource, service)

# The reference is read once per resource string, not once per way it may match.
_may_match(referenced, _, service) if referenced == service

_may_match("", resource, _) if not is_string(resource)

_may_match("", resource, service) if {
	is_string(resource)
	_plain(resource)
	_plain_arn_may_match(resource, service)
}

_may_match("", resource, service) if {
	is_string(resource)
	not _plain(resource)
	_arn_may_match(_untokenized(resource), service)
}

# A string with no token, wildcard or glob syntax: an ARN as a plan writes it. Its segments are
# compared, not globbed: _arn_may_match's slices, globs and joins allocated a few kilobytes for
# each of a plan's ARNs.
_plain(resource) if not regex.match(`[*?\[\]{}\\]`, resource)

_plain_arn_may_match(arn, service) if {
	segments := split(arn, ":")
	count(segments) >= 6
	segments[0] == "arn"
	_partition_names[segments[1]]
	lower(segments[2]) == service
	_plain_resource_fits(segments, service)
}

_partition_names := {partition | some partition in _partitions}

_plain_resource_fits(_, service) if not _resource_prefixes[service]

# The prefixes hold no ":", so the resource part's first segment decides, as it does in
# _resource_part_fits; a whole resource part can only be shorter than a prefix if it is one segment.
_plain_resource_fits(segments, service) if {
	some prefix in _resource_prefixes[service]
	startswith(segments[5], prefix)
}

_plain_resource_fits(segments, service) if {
	count(segments) == 6
	some prefix in _resource_prefixes[service]
	startswith(prefix, segments[5])
}

_referenced_service_or_none(resource) := service if {
	service := _referenced_service(resource)
} else := ""

# The resource type a leading `${<type>.<name>.<attribute>}` token references, by its
# service: "dynamodb" for aws_dynamodb_*, "iam" for aws_iam_*, "other" for any other
# AWS resource or data source.
_referenced_service(resource) := _service_of_token(resource) if {
	is_string(resource)
	startswith(resource, "${")
	regex.match(_leading_reference, resource)
}

_leading_reference := `^\$\{(?:data\.)?aws_[a-z0-9]+_[a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]]*\])?\.[a-z_]+`

# The type's first label after aws_, read with prefix tests: capturing it with a regex allocated
# the match for every Resource string of every statement.
_service_of_token(resource) := "dynamodb" if {
	some prefix in _dynamodb_token_prefixes
	startswith(resource, prefix)
} else := "iam" if {
	some prefix in _iam_token_prefixes
	startswith(resource, prefix)
} else := "other"

_dynamodb_token_prefixes := ["${aws_dynamodb_", "${data.aws_dynamodb_"]

_iam_token_prefixes := ["${aws_iam_", "${data.aws_iam_"]

# Tokens (`${...}`) stand for values only Terraform knows; IAM policy variables
# (`${aws:username}`) for values only a request knows. Either may be anything.
_untokenized(text) := text if {
	not contains(text, "${")
} else := concat("", [_untoken_part(i, part) | some i, part in split(text, "${")])

_untoken_part(0, part) := part

_untoken_part(i, part) := concat("", ["*", _after_token(part)]) if i > 0

_after_token(part) := substring(part, indexof(part, "}") + 1, -1) if {
	indexof(part, "}") >= 0
} else := ""

_arn_may_match("*", _)

_arn_may_match(pattern, service) if {
	pattern != "*"
	segments := split(pattern, ":")
	count(segments) >= 6
	every i, segment in array.slice(segments, 0, 5) {
		_segment_fits(i, segment, service)
	}
	_resource_part_fits(concat(":", array.slice(segments, 5, count(segments))), service)
}

# Fewer segments than an ARN has fields: the last one must end in "*", which spans the rest.
_arn_may_match(pattern, service) if {
	pattern != "*"
	segments := split(pattern, ":")
	n := count(segments)
	n < 6
	endswith(segments[n - 1], "*")
	every i, segment in segments {
		_segment_fits(i, segment, service)
	}
}

_segment_fits(0, segment, _) if glob.match(segment, null, "arn")

_segment_fits(1, segment, _) if {
	some partition in _partitions
	glob.match(segment, null, partition)
}

_segment_fits(2, segment, service) if glob.match(lower(segment), null, service)

_segment_fits(i, _, _) if i in {3, 4}

_segment_fits(5, segment, service) if _resource_part_fits(segment, service)

_resource_part_fits(_, service) if not _resource_prefixes[service]

_resource_part_fits(part, service) if {
	literal := regex.find_all_string_submatch_n(`^[^*?]*`, part, 1)[0][0]
	some prefix in _resource_prefixes[service]
	_prefix_compatible(literal, prefix)
}

_prefix_compatible(literal, prefix) if startswith(literal, prefix)

_prefix_compatible(literal, prefix) if startswith(prefix, literal)

_dynamodb_actions := data.guardrails.iam.dynamodb.actions

# METADATA
# title: DynamoDB actions of a statement
# description: >-
#   The CamelCase DynamoDB action names the statement's Action (or NotAction)
#   covers, whatever its Effect. Exact names are looked up; only patterns with
#   wildcards are matched against every action.
expand_dynamodb_actions(statement) := {action.name |
	some key, action in _dynamodb_actions
	not lowered_action_matches(statement.not_actions, _lowercase_dynamodb_actions[key])
} if {
	collections.nonempty(statement.not_actions)
} else := {name |
	some pattern in statement.actions
	some name in _expand(lower(pattern))
}

# "dynamodb:<action>" by the action's lowercase key, built once.
_lowercase_dynamodb_actions[key] := concat(":", ["dynamodb", key]) if some key, _ in _dynamodb_actions

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
} else := collections.no_set

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
	{type: as_list(object.get(principal, type, collections.no_list)) | some type in _principal_types},
	{"*": "*" in as_list(object.get(principal, "AWS", collections.no_list))},
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

	# A statement without conditions: the comprehension and its sorted copy would be two empty arrays.
	collections.nonempty(condition)
} else := collections.no_list

_data_source_statements(values, scope) := [_data_source_statement(statement, scope) |
	some statement in as_list(object.get(values, "statement", collections.no_list))
	is_object(statement)
]

_data_source_statement(statement, scope) := {
	"sid": _string(object.get(statement, "sid", "")),
	"effect": _effect_or_default(object.get(statement, "effect", "")),
	"actions": actions,
	"not_actions": not_actions,
	"dynamodb_actions": _covered_dynamodb_actions(written_actions, actions, not_actions, resources, not_resources, scope),
	"resources": resources,
	"not_resources": not_resources,
	"principals": _block_principals(object.get(statement, "principals", collections.no_list)),
	"not_principals": _block_principals(object.get(statement, "not_principals", collections.no_list)),
	"conditions": [_condition(block.test, block.variable, object.get(block, "values", collections.no_list)) |
		some block in as_list(object.get(statement, "condition", collections.no_list))
	],
} if {
	written_actions := object.get(statement, "actions", collections.no_list)
	actions := _read_actions(written_actions)
	not_actions := _read_actions(object.get(statement, "not_actions", collections.no_list))
	resources := as_list(object.get(statement, "resources", collections.no_list))
	not_resources := as_list(object.get(statement, "not_resources", collections.no_list))
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

# Built for every condition of every statement: constant prefixes, and values kept as they are
# when they are already a list of strings (the usual case), so that little is allocated.
_condition(raw_operator, key, values) := {
	"operator": trim_suffix(bare, "IfExists"),
	"qualifier": set_qualifier,
	"if_exists": endswith(bare, "IfExists"),
	"key": lower(key),
	"values": _strings(values),
} if {
	set_qualifier := qualifier(raw_operator)
	bare := _without_qualifier(raw_operator, set_qualifier)
}

# METADATA
# title: Set qualifier of a condition operator
# description: >-
#   "ForAllValues" or "ForAnyValue" when the operator as written carries that
#   prefix, else "".
qualifier(operator) := "ForAllValues" if {
	startswith(operator, "ForAllValues:")
} else := "ForAnyValue" if {
	startswith(operator, "ForAnyValue:")
} else := ""

# METADATA
# title: Condition operator without its set qualifier
# description: >-
#   The operator as written, its ForAllValues: or ForAnyValue: prefix removed.
unqualified(operator) := _without_qualifier(operator, qualifier(operator))

_without_qualifier(operator, "") := operator

_without_qualifier(operator, prefix) := substring(operator, count(prefix) + 1, -1) if prefix != ""

_strings(values) := values if {
	is_array(values)
	every value in values {
		is_string(value)
	}
} else := [_string(value) | some value in as_list(values)]

## Helpers ######################################################################

# METADATA
# title: Action pattern match
# description: >-
#   True when any pattern in patterns (a list or a single string) matches
#   action, with IAM's `*` and `?` wildcards, case-insensitively. glob.match
#   with null delimiters lets `*` span every character, as IAM's does.
action_matches(patterns, action) if {
	# Lowered once per call, not once per pattern: rules ask this of every statement.
	target := lower(action)
	some pattern in as_list(patterns)
	_action_pattern_matches(lower(pattern), target)
}

# METADATA
# title: Action pattern match, lowercase
# description: >-
#   action_matches for patterns from a statement's actions or not_actions,
#   which are read in lowercase, and an action already in lowercase: rules
#   ask it of every statement, and lowering allocates.
lowered_action_matches(patterns, lowered_action) if {
	some pattern in patterns
	_action_pattern_matches(pattern, lowered_action)
}

# Exact names are compared rather than globbed, which keeps the distinct glob patterns of an
# evaluation few (see kms_for_readers: OPA's wasm glob cache breaks past about a hundred).
_action_pattern_matches(pattern, action) if pattern == action

_action_pattern_matches(pattern, action) if {
	_wildcard(pattern)
	glob.match(pattern, null, action)
}

# METADATA
# title: Statement covers an action
# description: >-
#   True when the statement's Action matches action, or when it has a
#   NotAction that does not match it. Effect is not considered.
statement_matches_action(statement, action) if lowered_action_matches(statement.actions, lower(action))

statement_matches_action(statement, action) if {
	collections.nonempty(statement.not_actions)
	not lowered_action_matches(statement.not_actions, lower(action))
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
	collections.nonempty(statement.not_principals[type])
}

# METADATA
# title: Account of an AWS principal
# description: >-
#   The 12-digit account an AWS principal designates: an account id, an
#   account root ARN, or an IAM user or role ARN (or STS session ARN).
#   Undefined for "*", `${...}` tokens and anything malformed.
principal_account(principal) := principal if {
	is_string(principal)
	regex.match(`^[0-9]{12}$`, principal)
} else := concat("", [match[1], match[2]]) if {
	is_string(principal)
	some match in regex.find_all_string_submatch_n(_principal_arn, principal, 1)
}

_principal_arn := `^arn:aws[a-z-]*:(?:iam::([0-9]{12}):(?:root|user/[\w+=,.@/-]+|role/[\w+=,.@/-]+)|sts::([0-9]{12}):(?:assumed-role|federated-user)/[\w+=,.@/-]+)$`

# METADATA
# title: Account root principal
# description: True when an AWS principal names a whole account (its id or its root ARN).
account_root(principal) if regex.match(`^(?:[0-9]{12}|arn:aws[a-z-]*:iam::[0-9]{12}:root)$`, principal)

# METADATA
# title: Well-formed AWS principal
# description: >-
#   True when IAM accepts the value as an AWS principal: "*", an account id,
#   an account root, IAM user or role ARN, an STS session ARN, or the unique
#   id IAM writes for a deleted user or role. `${...}` tokens are left to Terraform.
well_formed_aws_principal("*")

well_formed_aws_principal(principal) if principal_account(principal)

well_formed_aws_principal(principal) if {
	is_string(principal)
	contains(principal, "${")
}

well_formed_aws_principal(principal) if {
	is_string(principal)
	regex.match(`^A(?:IDA|ROA)[A-Z0-9]{12,}$`, principal)
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
} else := collections.no_list if {
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
	"aws_dynamodb_resource_policy", "aws_dynamodb_table", "aws_kms_key", "aws_kms_key_policy", "aws_s3_bucket", "aws_sns_topic", "aws_sns_topic_policy",
	"aws_sqs_queue", "aws_sqs_queue_policy", "aws_s3_bucket_policy", "aws_vpc_endpoint", "aws_vpc_endpoint_policy",
}

# METADATA
# title: What a policy document governs
# description: >-
#   "identity" (attached to a role, user or group: what it may do), "trust"
#   (a role's assume_role_policy: who may become it), "resource" (attached to
#   a table, key, topic, queue, bucket or endpoint: who may use it),
#   "boundary" (a managed policy the stack's own policies require as a
#   permissions boundary and attach nowhere: it caps, it grants nothing) or
#   "definition" (an aws_iam_policy_document data source, checked where used).
purpose(doc) := "definition" if {
	doc.kind == "policy_document_data_source"
} else := "trust" if {
	doc.attribute == "assume_role_policy"
} else := "identity" if {
	doc.kind == "inline_policy"
} else := "boundary" if {
	_boundary_policies[doc.address]
} else := "identity" if {
	resources.by_address[doc.address].type in _identity_policy_types
} else := "resource" if {
	resources.by_address[doc.address].type in _resource_policy_types
} else := "other"

# METADATA
# title: Documents by purpose
# description: The documents whose purpose(doc) is p.
documents_for(p) := object.get(_documents_by_purpose, p, collections.no_object)

# Computed once: rules ask for documents by purpose inside loops.
_documents_by_purpose[p] := {key: documents[key] | some key in keys} if some p, keys in _keys_by_purpose

_keys_by_purpose[p] contains key if some key, p in _purposes

_purposes[key] := purpose(doc) if some key, doc in documents

## Permissions boundaries ###########################################################

# ARNs the stack's policies name in an iam:PermissionsBoundary condition: the boundaries
# roles must be created with (e.g. a pipeline role's CreateRole condition).
_required_boundaries contains value if {
	some doc in documents
	some statement in doc.statements
	some condition in statement.conditions
	condition.key == "iam:permissionsboundary"
	some value in condition.values
}

# A managed policy whose ARN (path and name: its ARN is not known before apply) is a required
# boundary, and which no attachment in the stack grants to anyone. Attached, it grants what it
# says and is an identity policy like any other.
_boundary_policies contains policy.address if {
	count(_required_boundaries) > 0
	some policy in resources.of_type("aws_iam_policy")
	name := policy.values.name
	is_string(name)
	suffix := concat("", [":policy", _policy_path(policy.values), name])
	some value in _required_boundaries
	endswith(value, suffix)
	not _attached_policies[policy.address]
	not _attached_by_arn(suffix)
}

_attached_by_arn(suffix) if {
	some arn in _attached_arns
	endswith(arn, suffix)
}

_policy_path(values) := path if {
	path := values.path
	is_string(path)
	path != ""
} else := "/"

_attachment_types := {
	"aws_iam_role_policy_attachment", "aws_iam_policy_attachment",
	"aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment",
}

_attached_policies contains address if {
	some type in _attachment_types
	some attachment in resources.of_type(type)
	some address, _ in resources.resolve(attachment, "policy_arn")
}

_attached_policies contains address if {
	some role in resources.of_type("aws_iam_role")
	some address, _ in resources.resolve(role, "managed_policy_arns")
}

# Attachments that write the policy's ARN out rather than referencing it.
_attached_arns contains arn if {
	some type in _attachment_types
	some attachment in resources.of_type(type)
	arn := attachment.values.policy_arn
	is_string(arn)
}

_attached_arns contains arn if {
	some role in resources.of_type("aws_iam_role")
	some arn in as_list(object.get(role.values, "managed_policy_arns", collections.no_list))
	is_string(arn)
}
