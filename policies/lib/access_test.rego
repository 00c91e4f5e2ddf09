# METADATA
# title: Tests for guardrails.lib.access
package guardrails.lib.access_test

import data.guardrails.lib.access

_policy(statement) := json.marshal({"Version": "2012-10-17", "Statement": [statement]})

_read := {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}

_input := {"stack": "dev", "context": {}, "document": {
	"data": {"aws_iam_policy_document": {"unused": {"statement": [{"actions": ["dynamodb:GetItem"], "resources": ["*"]}]}}},
	"resource": {
		"aws_iam_role": {"reader": {"name": "reader", "assume_role_policy": _policy({
			"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole",
		})}},
		"aws_iam_role_policy": {"reader": {"role": "reader", "policy": _policy(_read)}},
		"aws_dynamodb_resource_policy": {"catalog": {"resource_arn": "arn", "policy": _policy(_read)}},
		"aws_vpc_endpoint": {"dynamodb": {"service_name": "com.amazonaws.us-east-1.dynamodb", "policy": _policy(_read)}},
		"aws_vpc_endpoint_policy": {"dynamodb": {"vpc_endpoint_id": "vpce-1", "policy": _policy(_read)}},
		"aws_kms_key": {"key": {"policy": _policy(_read)}},
	},
}}

_statement(conditions) := {"effect": "Allow", "conditions": conditions}

_condition(operator, qualifier, if_exists, key, values) := {
	"operator": operator, "qualifier": qualifier, "if_exists": if_exists, "key": key, "values": values,
}

test_dynamodb_documents_are_identity_table_and_endpoint_policies if {
	addresses := {doc.address | some doc in access.dynamodb_documents} with input as _input
	addresses == {
		"aws_iam_role_policy.reader", "aws_dynamodb_resource_policy.catalog",
		"aws_vpc_endpoint.dynamodb", "aws_vpc_endpoint_policy.dynamodb",
	}
}

test_conditions_on if {
	statement := _statement([_condition("StringEquals", "ForAllValues", false, "dynamodb:attributes", ["Id"])])
	access.conditions_on(statement, "dynamodb:attributes")
	not access.conditions_on(statement, "dynamodb:leadingkeys")
}

test_requires_specific_attributes if {
	access.requires_specific_attributes(_statement([_condition("StringEquals", "", false, "dynamodb:select", ["SPECIFIC_ATTRIBUTES"])]))
	access.requires_specific_attributes(_statement([_condition("StringEquals", "ForAnyValue", false, "dynamodb:select", ["SPECIFIC_ATTRIBUTES"])]))
	not access.requires_specific_attributes(_statement([_condition("StringEquals", "", true, "dynamodb:select", ["SPECIFIC_ATTRIBUTES"])]))
	not access.requires_specific_attributes(_statement([_condition("StringEquals", "ForAllValues", false, "dynamodb:select", ["SPECIFIC_ATTRIBUTES"])]))
	not access.requires_specific_attributes(_statement([_condition("StringLike", "", false, "dynamodb:select", ["SPECIFIC_ATTRIBUTES"])]))
	not access.requires_specific_attributes(_statement([_condition("StringEquals", "", false, "dynamodb:select", ["SPECIFIC_ATTRIBUTES", "ALL_ATTRIBUTES"])]))
	not access.requires_specific_attributes(_statement([_condition("StringEquals", "", false, "dynamodb:select", [])]))
	not access.requires_specific_attributes(_statement([]))
}

test_key_name if {
	access.key_name("dynamodb:leadingkeys") == "dynamodb:LeadingKeys"
	access.key_name("dynamodb:attributes") == "dynamodb:Attributes"
	access.key_name("aws:sourcevpce") == "aws:sourcevpce"
}
