# METADATA
# title: Tests for guardrails.lib.iam
# description: >-
#   Fixtures live in testdata/ (loaded by `opa test policies` as
#   data.lib.testdata); statement-level edge cases are written inline.
package guardrails.lib.iam_test

import data.guardrails.lib.iam

_cdktf := {"stack": "orders", "document": data.lib.testdata.cdktf_table, "context": {}}

_plan := {"stack": "orders", "document": data.lib.testdata.plan_modules, "context": {}}

# A cdk.tf.json holding one resource of type t whose policy attribute is policy.
_with_policy(type, policy) := {
	"stack": "orders",
	"document": {"resource": {type: {"p": {"policy": policy}}}},
	"context": {},
}

_document(address, attribute) := doc if {
	some doc in iam.documents
	doc.address == address
	doc.attribute == attribute
}

# The statements of the single document in a one-policy input.
_statements(type, policy) := statements if {
	docs := iam.documents with input as _with_policy(type, policy)
	count(docs) == 1
	some doc in docs
	statements := doc.statements
}

_no_principals := {"AWS": [], "Service": [], "Federated": [], "CanonicalUser": [], "*": false}

_any_principal := object.union(_no_principals, {"*": true})

_unreadable(address, attribute, kind, reason) := {
	"address": address,
	"attribute": attribute,
	"kind": kind,
	"reason": reason,
}

_condition(operator, qualifier, if_exists, key, values) := {
	"operator": operator,
	"qualifier": qualifier,
	"if_exists": if_exists,
	"key": key,
	"values": values,
}

## Where documents come from ####################################################

test_cdktf_document_locations if {
	locations := {[doc.address, doc.attribute, doc.kind] | some doc in iam.documents} with input as _cdktf
	locations == {
		["aws_kms_key.table_key", "policy", "resource_attribute"],
		["aws_iam_role.reader", "assume_role_policy", "resource_attribute"],
		["aws_iam_role.reader", "inline_policy[0].policy", "inline_policy"],
		["aws_dynamodb_resource_policy.table_policy", "policy", "policy_resource"],
		["data.aws_iam_policy_document.table_access", "statement", "policy_document_data_source"],
	}
}

test_plan_document_locations if {
	locations := {[doc.address, doc.attribute, doc.kind] | some doc in iam.documents} with input as _plan
	locations == {
		["aws_kms_key.table_key", "policy", "resource_attribute"],
		["aws_iam_role.reader[0]", "assume_role_policy", "resource_attribute"],
		["aws_iam_role.reader[0]", "inline_policy[0].policy", "inline_policy"],
		["aws_iam_role.reader[1]", "assume_role_policy", "resource_attribute"],
		["aws_iam_role.reader[1]", "inline_policy[0].policy", "inline_policy"],
		["aws_iam_role.writer", "assume_role_policy", "resource_attribute"],
		["module.net.module.policy[0].aws_vpc_endpoint_policy.this", "policy", "policy_resource"],
		["data.aws_iam_policy_document.table_access", "statement", "policy_document_data_source"],
		["module.net.module.policy[0].data.aws_iam_policy_document.endpoint", "statement", "policy_document_data_source"],
	}
}

test_cdktf_unreadable if {
	entries := iam.unreadable with input as _cdktf
	entries == {
		_unreadable("aws_sns_topic_policy.alerts", "policy", "policy_resource", "expression"),
		_unreadable("aws_sqs_queue_policy.dlq", "policy", "policy_resource", "invalid_json"),
	}
}

test_plan_unreadable_unknown_policies if {
	entries := iam.unreadable with input as _plan
	entries == {
		_unreadable("aws_dynamodb_resource_policy.table_policy", "policy", "policy_resource", "unknown"),
		_unreadable("aws_iam_role.writer", "inline_policy", "inline_policy", "unknown"),
		_unreadable("module.net.aws_vpc_endpoint.dynamodb", "policy", "resource_attribute", "unknown"),
	}
}

test_valid_json_that_is_not_an_object_is_unreadable if {
	entries := iam.unreadable with input as _with_policy("aws_iam_policy", "[1, 2]")
	entries == {_unreadable("aws_iam_policy.p", "policy", "policy_resource", "not_an_object")}
}

test_empty_policy_is_no_document if {
	count(iam.documents) == 0 with input as _with_policy("aws_iam_policy", "")
	count(iam.unreadable) == 0 with input as _with_policy("aws_iam_policy", "")
}

test_policy_given_as_object_is_read if {
	statements := _statements("aws_s3_bucket_policy", {"Statement": [{"Effect": "Deny", "Action": "s3:*"}]})
	statements[0].effect == "Deny"
	statements[0].actions == ["s3:*"]
}

test_json_with_tokens_in_strings_is_read if {
	doc := _document("aws_kms_key.table_key", "policy") with input as _cdktf
	doc.statements[0].principals.AWS == ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
	doc.document.Version == "2012-10-17"
}

test_cdktf_reference_to_policy_document_data_source if {
	doc := _document("aws_dynamodb_resource_policy.table_policy", "policy") with input as _cdktf
	[statement.sid | some statement in doc.statements] == ["OrgRead", "NoDelete"]
	doc.document.statement[0].sid == "OrgRead"
}

test_reference_to_missing_data_source_is_unreadable if {
	entries := iam.unreadable with input as _with_policy("aws_iam_policy", "${data.aws_iam_policy_document.gone.json}")
	entries == {_unreadable("aws_iam_policy.p", "policy", "policy_resource", "expression")}
}

## Statement shape ##############################################################

test_kms_statement_shape if {
	doc := _document("aws_kms_key.table_key", "policy") with input as _cdktf
	statement := doc.statements[1]
	statement.sid == "DynamoDBViaService"
	statement.effect == "Allow"
	statement.actions == ["kms:decrypt", "kms:generatedatakey*"]
	statement.not_actions == []
	statement.resources == ["*"]
	statement.not_resources == []
	statement.principals == object.union(_any_principal, {"AWS": ["*"]})
	statement.not_principals == _no_principals
}

test_conditions_are_normalized if {
	doc := _document("aws_kms_key.table_key", "policy") with input as _cdktf
	conditions := doc.statements[1].conditions
	_condition("StringLike", "ForAnyValue", true, "kms:encryptioncontextkeys", ["aws:dynamodb:*"]) in conditions
	_condition("Bool", "", false, "aws:securetransport", ["true"]) in conditions
	_condition("StringEquals", "", false, "kms:viaservice", ["dynamodb.eu-west-1.amazonaws.com"]) in conditions
	count(conditions) == 4
}

test_single_statement_object if {
	doc := _document("aws_iam_role.reader", "assume_role_policy") with input as _cdktf
	count(doc.statements) == 1
	doc.statements[0].principals.Service == ["lambda.amazonaws.com"]
	doc.statements[0].actions == ["sts:assumerole"]
	doc.statements[0].sid == ""
}

test_not_action_and_not_resource if {
	doc := _document("aws_iam_role.reader", "inline_policy[0].policy") with input as _cdktf
	statement := doc.statements[0]
	statement.effect == "Deny"
	statement.actions == []
	statement.not_actions == ["dynamodb:get*", "dynamodb:query"]
	statement.not_resources == ["${aws_dynamodb_table.table.arn}"]
}

test_principal_star_string if {
	policy := `{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}}`
	_statements("aws_iam_policy", policy)[0].principals == _any_principal
}

test_principal_aws_list_with_star if {
	policy := `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]}}]}`
	statements := _statements("aws_iam_policy", policy)
	statements[0].principals["*"]
	statements[0].principals.AWS == ["arn:aws:iam::1:root", "*"]
}

test_not_principal_and_federated if {
	policy := `{"Statement": [{"Effect": "Deny", "NotPrincipal": {"Federated": "cognito", "CanonicalUser": "abc"}}]}`
	statements := _statements("aws_iam_policy", policy)
	statements[0].principals == _no_principals
	statements[0].not_principals == object.union(_no_principals, {"Federated": ["cognito"], "CanonicalUser": ["abc"]})
}

test_principal_string_other_than_star_is_no_principal if {
	statements := _statements("aws_iam_policy", `{"Statement": [{"Effect": "Allow", "Principal": "arn:aws:iam::1:root"}]}`)
	statements[0].principals == _no_principals
}

test_condition_forms if {
	policy := `{"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {
		"ForAllValues:StringEqualsIfExists": {"AWS:TagKeys": ["team", "env"]},
		"NumericLessThan": {"aws:MultiFactorAuthAge": 3600},
		"Null": {"aws:TokenIssueTime": "false"}
	}}]}`
	conditions := _statements("aws_iam_policy", policy)[0].conditions

	# Sorted as Rego sorts objects (by if_exists, then key, ...), the same in wasm.
	conditions == [
		_condition("NumericLessThan", "", false, "aws:multifactorauthage", ["3600"]),
		_condition("Null", "", false, "aws:tokenissuetime", ["false"]),
		_condition("StringEquals", "ForAllValues", true, "aws:tagkeys", ["team", "env"]),
	]
}

test_statements_that_are_not_objects_are_skipped if {
	statements := _statements("aws_iam_policy", `{"Statement": ["nonsense", {"Effect": "Allow"}]}`)
	count(statements) == 1
	statements[0].conditions == []
}

test_condition_that_is_not_an_object_is_ignored if {
	statements := _statements("aws_iam_policy", `{"Statement": [{"Effect": "Allow", "Condition": "aws:SecureTransport"}]}`)
	statements[0].conditions == []
}

test_document_without_statements if {
	_statements("aws_iam_policy", `{"Version": "2012-10-17"}`) == []
}

## aws_iam_policy_document ####################################################

test_data_source_statements if {
	doc := _document("data.aws_iam_policy_document.table_access", "statement") with input as _cdktf
	[read, deny] := doc.statements
	read.effect == "Allow"
	read.actions == ["dynamodb:getitem", "dynamodb:query"]
	read.resources == ["${aws_dynamodb_table.table.arn}", "${aws_dynamodb_table.table.arn}/index/*"]
	read.principals == object.union(_any_principal, {"AWS": ["*"]})
	read.conditions == [_condition("StringEquals", "", false, "aws:principalorgid", ["${var.organization_id}"])]
	deny.effect == "Deny"
	deny.not_principals.Service == ["dynamodb.amazonaws.com"]
	deny.not_principals["*"] == false
}

test_plan_data_source_with_unknown_resources if {
	doc := _document("data.aws_iam_policy_document.table_access", "statement") with input as _plan
	doc.statements[0].resources == []
	doc.statements[0].principals["*"]
}

test_plan_data_source_star_principal_type if {
	address := "module.net.module.policy[0].data.aws_iam_policy_document.endpoint"
	doc := _document(address, "statement") with input as _plan
	doc.statements[0].principals == _any_principal
	doc.statements[0].sid == "OrgOnly"
}

test_data_source_single_statement_and_merged_principals if {
	document := {"data": {"aws_iam_policy_document": {"d": {"statement": {
		"not_actions": "S3:Delete*",
		"principals": [
			{"type": "AWS", "identifiers": ["arn:aws:iam::1:root"]},
			{"type": "AWS", "identifiers": "arn:aws:iam::2:root"},
		],
		"condition": {"test": "ForAnyValue:StringLike", "variable": "aws:PrincipalTag/Team", "values": ["a*"]},
	}}}}}
	docs := iam.documents with input as {"stack": "s", "document": document}
	some doc in docs
	statement := doc.statements[0]
	statement.effect == "Allow"
	statement.not_actions == ["s3:delete*"]
	statement.principals.AWS == ["arn:aws:iam::1:root", "arn:aws:iam::2:root"]
	statement.principals["*"] == false
	statement.conditions == [_condition("StringLike", "ForAnyValue", false, "aws:principaltag/team", ["a*"])]
}

## Helpers ######################################################################

test_action_matches_wildcards_case_insensitively if {
	iam.action_matches(["dynamodb:Get*"], "DynamoDB:GetItem")
	iam.action_matches(["s3:?etObject"], "s3:GetObject")
	iam.action_matches("*", "kms:Decrypt")
	iam.action_matches(["kms:*"], "KMS:CreateGrant")
	not iam.action_matches(["s3:?etObject"], "s3:GGetObject")
	not iam.action_matches(["dynamodb:Get*"], "dynamodb:Query")
	not iam.action_matches([], "dynamodb:Query")
}

test_statement_allows_action if {
	allow := {"effect": "Allow", "actions": ["dynamodb:*"], "not_actions": []}
	iam.statement_allows_action(allow, "dynamodb:DeleteTable")
	not iam.statement_allows_action(allow, "kms:Decrypt")
	not iam.statement_denies_action(allow, "dynamodb:DeleteTable")
}

test_statement_not_action_covers_everything_else if {
	allow := {"effect": "Allow", "actions": [], "not_actions": ["iam:*"]}
	iam.statement_allows_action(allow, "dynamodb:DeleteTable")
	not iam.statement_allows_action(allow, "iam:PassRole")
}

test_statement_denies_action if {
	deny := {"effect": "Deny", "actions": [], "not_actions": ["dynamodb:get*", "dynamodb:query"]}
	iam.statement_denies_action(deny, "dynamodb:DeleteItem")
	not iam.statement_denies_action(deny, "dynamodb:GetItem")
	not iam.statement_allows_action(deny, "dynamodb:DeleteItem")
}

test_statement_without_actions_covers_nothing if {
	not iam.statement_matches_action({"effect": "Allow", "actions": [], "not_actions": []}, "s3:GetObject")
}

test_allows_any_principal if {
	doc := _document("aws_kms_key.table_key", "policy") with input as _cdktf
	not iam.allows_any_principal(doc.statements[0])
	iam.allows_any_principal(doc.statements[1])
}

test_condition_values_and_keys if {
	doc := _document("aws_kms_key.table_key", "policy") with input as _cdktf
	statement := doc.statements[1]
	iam.condition_values(statement, "StringEquals", "AWS:PrincipalOrgID") == {"${var.organization_id}"}
	iam.condition_values(statement, "StringLike", "kms:EncryptionContextKeys") == {"aws:dynamodb:*"}
	iam.condition_values(statement, "StringNotEquals", "aws:PrincipalOrgID") == set()
	keys := {"aws:principalorgid", "aws:securetransport", "kms:encryptioncontextkeys", "kms:viaservice"}
	iam.condition_keys(statement) == keys
}

## Purpose ######################################################################

_purpose_input := {"stack": "dev", "context": {}, "document": {
	"resource": {
		"aws_iam_role": {"r": {"assume_role_policy": "{\"Statement\":[]}"}},
		"aws_iam_role_policy": {"p": {"role": "${aws_iam_role.r.id}", "policy": "{\"Statement\":[]}"}},
		"aws_kms_key": {"k": {"policy": "{\"Statement\":[]}"}},
		"aws_vpc_endpoint": {"e": {"policy": "{\"Statement\":[]}"}},
	},
	"data": {"aws_iam_policy_document": {"d": {"statement": [{"actions": ["s3:GetObject"], "resources": ["*"]}]}}},
}}

test_purpose_of_each_kind_of_document if {
	purposes := {doc.address: iam.purpose(doc) | some doc in iam.documents} with input as _purpose_input
	purposes == {
		"aws_iam_role.r": "trust",
		"aws_iam_role_policy.p": "identity",
		"aws_kms_key.k": "resource",
		"aws_vpc_endpoint.e": "resource",
		"data.aws_iam_policy_document.d": "definition",
	}
}

test_documents_for_a_purpose if {
	{doc.address | some doc in iam.documents_for("identity")} == {"aws_iam_role_policy.p"} with input as _purpose_input
}

_boundary_input(extra) := {"stack": "bootstrap-dev", "context": {}, "document": {"resource": object.union(
	{
		"aws_iam_role_policy": {"deploy": {"role": "r", "policy": json.marshal({"Statement": [{
			"Effect": "Allow", "Action": "iam:CreateRole", "Resource": "arn:aws:iam::111122223333:role/dev-*",
			"Condition": {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/ops/dev-boundary"}},
		}]})}},
		"aws_iam_policy": {
			"boundary": {"name": "dev-boundary", "path": "/ops/", "policy": "{\"Statement\":[]}"},
			"same_name_other_path": {"name": "dev-boundary", "policy": "{\"Statement\":[]}"},
		},
	},
	extra,
)}}

test_a_required_unattached_boundary_is_not_an_identity_policy if {
	purposes := {doc.address: iam.purpose(doc) | some doc in iam.documents} with input as _boundary_input({})
	purposes["aws_iam_policy.boundary"] == "boundary"
	purposes["aws_iam_policy.same_name_other_path"] == "identity"
	purposes["aws_iam_role_policy.deploy"] == "identity"
}

test_an_attached_boundary_grants_what_it_says if {
	by_reference := {"aws_iam_role_policy_attachment": {"a": {"role": "r", "policy_arn": "${aws_iam_policy.boundary.arn}"}}}
	by_arn := {"aws_iam_role": {"r": {
		"assume_role_policy": "{\"Statement\":[]}",
		"managed_policy_arns": ["arn:aws:iam::111122223333:policy/ops/dev-boundary"],
	}}}
	every extra in [by_reference, by_arn] {
		some doc in iam.documents with input as _boundary_input(extra)
		doc.address == "aws_iam_policy.boundary"
		iam.purpose(doc) == "identity" with input as _boundary_input(extra)
	}
}

test_statement_labels if {
	iam.statement_label(0, {"sid": "Read"}) == "statement \"Read\""
	iam.statement_label(2, {"sid": ""}) == "statement 3"
}

test_operator_name_is_written_as_in_a_policy if {
	iam.operator_name(_condition("StringLike", "ForAnyValue", false, "k", [])) == "ForAnyValue:StringLike"
	iam.operator_name(_condition("StringEquals", "", true, "k", [])) == "StringEqualsIfExists"
	iam.operator_name(_condition("NumericLessThan", "ForAllValues", true, "k", [])) == "ForAllValues:NumericLessThanIfExists"
}

test_a_role_policy_mirrored_in_inline_policy_is_read_once_where_declared if {
	docs := {[doc.address, doc.attribute] |
		some doc in iam.documents
		doc.attribute != "assume_role_policy"
	} with input as {"stack": "app", "context": {}, "document": data.lib.testdata.plan_shapes}
	docs == {
		["aws_iam_role_policy.app_data", "policy"],
		["aws_iam_role.app", "inline_policy[1].policy"],
	}
}

## Resource-aware DynamoDB coverage ###############################################

_dynamodb_actions_of(type, policy) := [statement.dynamodb_actions | some statement in _statements(type, policy)]

test_resource_strings_that_may_be_dynamodb if {
	every resource in [
		"*",
		"arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
		"arn:aws:dynamodb:*:*:table/*",
		"arn:aws-cn:dynamodb:cn-north-1:111122223333:table/Orders/index/*",
		"arn:aws:dynamodb:us-east-1:111122223333:table/Orders/stream/2015-05-11T21:21:33.291",
		"arn:aws:dynamodb::111122223333:global-table/Orders",
		"arn:aws:*",
		"arn:*",
		"arn:aws:dyn*",
		"arn:aws:dynamodb:*",
		"arn:aws:*:*:*:*",
		"${aws_dynamodb_table.orders.arn}",
		"${aws_dynamodb_table.orders.arn}/index/*",
		"${data.aws_dynamodb_table.orders.arn}",
		"arn:aws:dynamodb:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:table/Orders",
		"${var.table_arn}",
	] {
		iam.resource_may_match(resource, "dynamodb")
	}
}

test_resource_strings_that_cannot_be_dynamodb if {
	every resource in [
		"arn:aws:s3:::*",
		"arn:aws:s3:::bucket/*",
		"arn:aws:iam::aws:policy/AdministratorAccess",
		"arn:aws:iam::111122223333:policy/*",
		"arn:*:s3:::*",
		"arn:aws:kms:us-east-1:111122223333:key/*",
		"arn:aws:dynamodb:us-east-1:111122223333:backup-vault/x",
		"arn:aws:s3*",
		"${aws_s3_bucket.logs.arn}/*",
		"${aws_kms_key.table.arn}",
		"${aws_iam_role.team.arn}",
		"Orders",
	] {
		not iam.resource_may_match(resource, "dynamodb")
	}
}

test_iam_resource_strings if {
	iam.resource_may_match("arn:aws:iam::111122223333:role/*", "iam")
	iam.resource_may_match("${aws_iam_role.team.arn}", "iam")
	iam.resource_may_match("*", "iam")
	not iam.resource_may_match("arn:aws:s3:::*", "iam")
	not iam.resource_may_match("arn:aws:iam::111122223333:oidc-provider/x", "iam")
	not iam.resource_may_match("${aws_dynamodb_table.orders.arn}", "iam")
}

test_statements_grant_dynamodb_actions_only_on_resources_that_can_be_dynamodb if {
	[s3, managed_policy, mixed, not_s3, not_dynamodb, none] := _dynamodb_actions_of("aws_iam_policy", json.marshal({"Statement": [
		{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::*"},
		{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:iam::aws:policy/AdministratorAccess"},
		{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": ["arn:aws:s3:::*", "arn:aws:dynamodb:*:*:table/x"]},
		{"Effect": "Allow", "Action": "dynamodb:GetItem", "NotResource": "arn:aws:s3:::*"},
		{"Effect": "Allow", "Action": "dynamodb:GetItem", "NotResource": "arn:aws:dynamodb:*"},
		{"Effect": "Allow", "Action": "dynamodb:GetItem"},
	]}))
	s3 == set()
	managed_policy == set()
	mixed == {"GetItem"}
	not_s3 == {"GetItem"}
	not_dynamodb == set()
	none == {"GetItem"}
}

test_documents_that_govern_other_resources_grant_no_dynamodb_actions if {
	[key] := _dynamodb_actions_of("aws_kms_key", json.marshal({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}))
	key == set()
	[topic] := _dynamodb_actions_of("aws_sns_topic_policy", json.marshal({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
	topic == set()
	[endpoint] := _dynamodb_actions_of("aws_vpc_endpoint", json.marshal({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": "*"}]}))
	endpoint == {"GetItem"}
}

# A plan's ARNs are compared segment by segment; the answers must be the general matcher's.
test_plain_arns_match_as_the_general_matcher_does if {
	every arn in [
		"arn:aws:dynamodb:us-east-1:111122223333:table/Orders", "arn:aws:dynamodb:us-east-1:111122223333:table/Orders/index/ByStatus",
		"arn:aws:dynamodb::111122223333:global-table/g", "arn:aws-cn:dynamodb:cn-north-1:111122223333:table/t",
		"arn:aws:DynamoDB:us-east-1:111122223333:table/t", "arn:aws:dynamodb:us-east-1:111122223333:backup/b",
		"arn:aws:dynamodb:us-east-1:111122223333:table", "arn:aws:dynamodb:us-east-1:111122223333:tab",
		"arn:aws:dynamodb:us-east-1:111122223333:", "arn:aws:dynamodb:us-east-1:111122223333:tab:le", "arn:aws:s3:::bucket/key", "arn:aws:kms:us-east-1:111122223333:key/k",
		"arn:aws:iam::111122223333:role/r", "arn:aws:iam::111122223333:policy/p:v", "arn:aws:iam::111122223333:root",
		"arn:other:dynamodb:us-east-1:111122223333:table/t", "arnx:aws:dynamodb:us-east-1:111122223333:table/t",
		"arn:aws:dynamodb:us-east-1:table/t", "not-an-arn", "",
	] {
		iam._plain(arn)
		every service in ["dynamodb", "iam", "kms", "s3"] {
			_same_answer(arn, service)
		}
	}
}

_same_answer(arn, service) if {
	iam._plain_arn_may_match(arn, service)
	iam._arn_may_match(arn, service)
}

_same_answer(arn, service) if {
	not iam._plain_arn_may_match(arn, service)
	not iam._arn_may_match(arn, service)
}

test_referenced_service_reads_the_leading_token_type if {
	iam._referenced_service("${aws_dynamodb_table.t.arn}/index/*") == "dynamodb"
	iam._referenced_service("${data.aws_dynamodb_table.t.arn}") == "dynamodb"
	iam._referenced_service("${aws_iam_role.r.arn}") == "iam"
	iam._referenced_service("${data.aws_iam_policy.p.arn}") == "iam"
	iam._referenced_service("${aws_dynamodbx_thing.t.arn}") == "other"
	iam._referenced_service("${aws_s3_bucket.b[0].arn}/*") == "other"
	not iam._referenced_service("${var.table_arn}")
	not iam._referenced_service("${aws_dynamodb_table.t}")
	not iam._referenced_service("arn:aws:dynamodb:us-east-1:111122223333:table/${aws_dynamodb_table.t.name}")
}
