# METADATA
# title: Library probe
# description: >-
#   Test-only entrypoint that reaches every exported rule and function of
#   policies/lib, so that compiling it to wasm checks the whole library for
#   host builtins and its wasm result can be compared with `opa eval`.
#   Sets are sorted because the two engines iterate them in different orders;
#   the library returns objects keyed by address where order would matter.
package probe

import data.guardrails.lib.iam
import data.guardrails.lib.resources

_actions := ["DynamoDB:GetItem", "dynamodb:Query", "s3:GetObject", "s3:GGetObject", "kms:Decrypt"]

_statements := [statement | some key in sort([key | some key, _ in iam.documents]); some statement in iam.documents[key].statements]

result := {
	"format": resources.format,
	"by_address": resources.by_address,
	"documents": iam.documents,
	"unreadable": sort(iam.unreadable),
	"tables": resources.of_type("aws_dynamodb_table"),
	"policy_documents": resources.data_of_type("aws_iam_policy_document"),
	"token_refs": resources.token_refs(input.document),
	"resolved": sort([[address, attr, resources.resolve(resource, attr)] |
		some address, resource in resources.by_address
		some attr, _ in resources.all_references(resource)
	]),
	"references": {address: resources.all_references(resource) | some address, resource in resources.by_address},
	"matches": sort([action | some action in _actions; iam.action_matches(["dynamodb:get*", "s3:?etObject"], action)]),
	"statements": [{
		"allows": sort([action | some action in _actions; iam.statement_allows_action(statement, action)]),
		"denies": sort([action | some action in _actions; iam.statement_denies_action(statement, action)]),
		"any_principal": _any_principal(statement),
		"org_ids": sort(iam.condition_values(statement, "StringEquals", "aws:PrincipalOrgID")),
		"condition_keys": sort(iam.condition_keys(statement)),
	} |
		some statement in _statements
	],
}

default _any_principal(_) := false

_any_principal(statement) if iam.allows_any_principal(statement)
