# METADATA
# title: Every policy statement is valid IAM
# description: >-
#   IAM rejects a policy whose condition operator it does not know (the talk's
#   NumericGreaterThanOrEqualTo is one), and silently never matches an action
#   no service has, so a typo either breaks the deployment or leaves a grant or
#   a Deny doing nothing. Every statement has Effect Allow or Deny, known
#   condition operators and actions that match at least one real action;
#   AWS principals are "*", account ids or well-formed ARNs, and trust
#   policies have no Resource.
# custom:
#   id: GR-FGA-007
#   severity: high
#   practice: "Controlling access to your data: fine-grained access control conditions (the talk writes ForAllValues:NumericGreaterThanOrEqualTo, which is not an IAM operator)"
package guardrails.rules.access.valid_iam

import data.guardrails.lib.collections
import data.guardrails.lib.iam
import data.guardrails.lib.result

_fix := concat("", [
	"use Effect \"Allow\" or \"Deny\", IAM's condition operators (String*, Numeric*, Date*, Bool, BinaryEquals, ",
	"IpAddress, NotIpAddress, Arn*, Null; IfExists and ForAllValues:/ForAnyValue: where allowed) ",
	"and service:action names from the AWS Service Authorization Reference",
])

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": not valid IAM: ", concat(", ", sort(problems)), "; ", _fix,
])) if {
	some address, problems in _problems
}

# Most stacks are valid: the effect test is a comparison, and the action and operator tests run
# only when some distinct pattern or operator of the stack is invalid (each is checked once), so a
# valid stack builds nothing per statement. Labels are built only for statements with a problem.
_problems[written.address] contains _at(written, i, statement, problem) if {
	some written in _written
	some i, statement in written.statements
	problem := _effect_problem(written.keys, statement)
}

_problems[written.address] contains _at(written, i, statement, problem) if {
	count(_invalid_actions) > 0
	some written in _written
	some i, statement in written.statements
	some attribute in written.keys.actions
	some pattern in iam.as_list(object.get(statement, attribute, collections.no_list))
	pattern in _invalid_actions
	problem := concat("", [attribute, " ", json.marshal(pattern), " matches no action of any AWS service"])
}

_problems[written.address] contains _at(written, i, statement, _operator_problem(operator)) if {
	count(_invalid_operators) > 0
	some written in _written
	some i, statement in written.statements
	some operator in _raw_operators(written.shape, statement)
	operator in _invalid_operators
}

_problems[written.address] contains _at(written, i, statement, problem) if {
	some written in _written
	written.shape == "json"
	some i, statement in written.statements
	condition := statement.Condition
	not is_object(condition)
	problem := concat("", ["Condition ", json.marshal(condition), " is not an object of operator -> {key: values}"])
}

# A problem, where it is: the document's attribute, then the statement's Sid or position.
_at(written, i, statement, problem) := concat("", [_where(written.doc), _label(i, statement, written.keys.sid), ": ", problem])

# Each readable document once, with what its shape names its fields and its statements as written.
# Built for every document of the stack, so it holds what the document already has rather than
# copies (wasm frees nothing until the evaluation ends).
_written[key] := {
	"address": doc.address,
	"doc": doc,
	"shape": shape,
	"keys": _field_names[shape],
	"statements": _objects(iam.as_list(object.get(doc.document, _field_names[shape].statement, collections.no_list))),
} if {
	some key, doc in iam.documents
	not _copy_of_data_source(doc)
	shape := _shape(doc)
}

# The statements that are objects, positions as the normalized statements count them.
_objects(statements) := statements if {
	every statement in statements {
		is_object(statement)
	}
} else := [statement | some statement in statements; is_object(statement)]

_field_names := {
	"json": {"statement": "Statement", "sid": "Sid", "effect": "Effect", "actions": ["Action", "NotAction"]},
	"data_source": {"statement": "statement", "sid": "sid", "effect": "effect", "actions": ["actions", "not_actions"]},
}

# Principals and trust policies are read from the normalized statements (same order, same
# labels). A trust policy that takes a data source's document is reported at the role: the
# document itself may be valid elsewhere.
_problems[doc.address] contains concat("", [_where(doc), iam.statement_label(i, statement), ": ", problem]) if {
	count(_invalid_principals) > 0
	some doc in iam.documents
	not _copy_of_data_source(doc)
	some i, statement in doc.statements
	some problem in _principal_problems(statement)
}

_problems[doc.address] contains concat("", [
	_where(doc), iam.statement_label(i, statement), ": ",
	"a trust policy takes no Resource or NotResource (the role itself is the resource), so IAM rejects the policy",
]) if {
	some doc in iam.documents_for("trust")
	some i, statement in doc.statements
	_names_resources(statement)
}

_names_resources(statement) if collections.nonempty(statement.resources)

_names_resources(statement) if collections.nonempty(statement.not_resources)

_principal_problems(statement) := {concat("", [
	element, " AWS ", json.marshal(principal),
	" is not \"*\", a 12-digit account id or an account root, IAM user or role ARN (arn:aws:iam::<account>:root|user/<name>|role/<name>)",
]) |
	some [element, field] in [["Principal", "principals"], ["NotPrincipal", "not_principals"]]
	some principal in statement[field].AWS
	principal in _invalid_principals
}

# Each distinct principal is checked once: stacks name the same few in many policies.
_invalid_principals contains principal if {
	some principal in iam.aws_principals
	not iam.well_formed_aws_principal(principal)
}

# A data source is its own document; elsewhere the attribute says which of the resource's documents.
_where(doc) := "" if {
	doc.kind == "policy_document_data_source"
} else := concat("", [doc.attribute, " "])

## Statements as written ##########################################################

# A data source's values (kind policy_document_data_source, or a resource whose
# attribute is exactly a reference to one) have lowercase blocks; anything else is IAM JSON.
_data_source_shaped(doc) if doc.kind == "policy_document_data_source"

_data_source_shaped(doc) if {
	not _has_key(doc.document, "Statement")
	_has_key(doc.document, "statement")
}

# A resource that only references a data source is reported at the data source.
_copy_of_data_source(doc) if {
	doc.kind != "policy_document_data_source"
	_data_source_shaped(doc)
}

_has_key(value, key) if {
	is_object(value)
	_ = value[key]
}

_label(i, statement, sid_key) := concat("", ["statement \"", sid, "\""]) if {
	sid := statement[sid_key]
	is_string(sid)
	sid != ""
} else := concat(" ", ["statement", format_int(i + 1, 10)])

## Effect ########################################################################

# A data source's effect is optional (it defaults to Allow); IAM JSON needs one.
_effect_problem(keys, statement) := "it has no Effect" if {
	keys.effect == "Effect"
	object.get(statement, "Effect", null) == null
} else := concat("", ["Effect ", json.marshal(effect), " is neither \"Allow\" nor \"Deny\""]) if {
	effect := object.get(statement, keys.effect, null)
	_effect_given(keys.effect, effect)
	effect != "Allow"
	effect != "Deny"
}

_effect_given("Effect", effect) if effect != null

_effect_given("effect", effect) if not effect in {null, ""}

_shape(doc) := "data_source" if _data_source_shaped(doc)

_shape(doc) := "json" if not _data_source_shaped(doc)

## Actions #######################################################################

# Each distinct pattern is checked once: a stack repeats the same few dozen actions in
# thousands of statements, and a wildcard is matched against a whole service's actions.
# Read from the distinct Action lists: stacks repeat a few lists in thousands of statements.
_patterns contains pattern if {
	some written in iam.written_action_lists
	some pattern in iam.as_list(written)
}

_invalid_actions contains pattern if {
	some pattern in _patterns
	not _valid_action(pattern)
}

_valid_action("*")

_valid_action(pattern) if {
	is_string(pattern)
	parts := split(lower(pattern), ":")
	count(parts) == 2
	_service_has(data.guardrails.iam.actions[parts[0]], parts[1])
}

_service_has(actions, name) if actions[name]

_service_has(actions, pattern) if {
	regex.match(`^[a-z0-9?*-]*[?*][a-z0-9?*-]*$`, pattern)
	some name, _ in actions
	glob.match(pattern, null, name)
}

## Condition operators ############################################################

_operators := {
	"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
	"StringLike", "StringNotLike",
	"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
	"NumericGreaterThan", "NumericGreaterThanEquals",
	"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
	"DateGreaterThan", "DateGreaterThanEquals",
	"Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
	"ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike",
	"Null",
}

_invalid_operators contains operator if {
	some operator in _written_operators
	not _valid_operator(operator)
}

# Every operator as written, collected without a set per statement.
_written_operators contains operator if {
	some written in _written
	written.shape == "json"
	some statement in written.statements
	is_object(statement.Condition)
	some operator, _ in statement.Condition
}

_written_operators contains block.test if {
	some written in _written
	written.shape == "data_source"
	some statement in written.statements
	some block in iam.as_list(object.get(statement, "condition", collections.no_list))
	is_object(block)
}

_raw_operators("data_source", statement) := {block.test |
	some block in iam.as_list(object.get(statement, "condition", collections.no_list))
	is_object(block)
}

_raw_operators("json", statement) := {operator |
	some operator, _ in statement.Condition
} if {
	is_object(statement.Condition)
} else := collections.no_set

_valid_operator(operator) if {
	is_string(operator)
	base := _base(iam.unqualified(operator))
	base in _operators
	_if_exists_allowed(iam.unqualified(operator), base)
}

_if_exists_allowed(unqualified, _) if not endswith(unqualified, "IfExists")

_if_exists_allowed(unqualified, base) if {
	endswith(unqualified, "IfExists")
	base != "Null"
}

_base(unqualified) := trim_suffix(unqualified, "IfExists")

_operator_problem(operator) := concat("", [
	"condition operator ", json.marshal(operator), " is not an IAM condition operator (Null takes no IfExists)",
]) if {
	_base(iam.unqualified(operator)) == "Null"
	endswith(operator, "IfExists")
} else := concat("", [
	"condition operator ", json.marshal(operator), " is not an IAM condition operator (",
	suggestion, " is)",
]) if {
	suggestion := _suggestion(_base(iam.unqualified(operator)))
} else := concat("", ["condition operator ", json.marshal(operator), " is not an IAM condition operator"])

# NumericGreaterThanOrEqualTo -> NumericGreaterThanEquals; a wrongly cased name -> the right case.
_suggestion(base) := suggestion if {
	some suffix in ["OrEqualTo", "OrEquals", "OrEqual", "EqualTo", "Equal"]
	endswith(base, suffix)
	suggestion := concat("", [trim_suffix(base, suffix), "Equals"])
	suggestion in _operators
} else := suggestion if {
	some suggestion in _operators
	lower(suggestion) == lower(base)
}
