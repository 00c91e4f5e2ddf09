# METADATA
# title: Tests for guardrails.lib.dynamodb
package guardrails.lib.dynamodb_test

import data.guardrails.lib.dynamodb

_input := {"stack": "dev", "context": {}, "document": {"resource": {"aws_dynamodb_table": {
	"catalog": {"name": "ProductCatalog"},
	"orders": {"name": "Orders"},
}}}}

_statement(actions, not_actions) := {
	"effect": "Allow", "actions": actions, "not_actions": not_actions, "resources": ["*"],
	"not_resources": [], "conditions": [], "principals": {}, "not_principals": {},
}

test_tables_in_tokens_arns_wildcards_and_star if {
	dynamodb.tables_in("${aws_dynamodb_table.catalog.arn}/index/*") == {"aws_dynamodb_table.catalog"} with input as _input
	dynamodb.tables_in("arn:aws:dynamodb:us-east-1:111122223333:table/Orders") == {"aws_dynamodb_table.orders"} with input as _input
	dynamodb.tables_in("arn:aws:dynamodb:*:*:table/*") == {"aws_dynamodb_table.catalog", "aws_dynamodb_table.orders"} with input as _input
	dynamodb.tables_in("*") == {"aws_dynamodb_table.catalog", "aws_dynamodb_table.orders"} with input as _input
	dynamodb.tables_in("arn:aws:s3:::bucket/*") == set() with input as _input
}

test_names_specific_table if {
	dynamodb.names_specific_table("${aws_dynamodb_table.catalog.arn}")
	dynamodb.names_specific_table("${aws_dynamodb_table.catalog.arn}/index/ByCategory")
	dynamodb.names_specific_table("arn:aws:dynamodb:us-east-1:111122223333:table/Orders/stream/*")
	not dynamodb.names_specific_table("arn:aws:dynamodb:us-east-1:111122223333:table/*")
	not dynamodb.names_specific_table("arn:aws:dynamodb:*:111122223333:table/Orders")
	not dynamodb.names_specific_table("*")
	not dynamodb.names_specific_table("prefix-${aws_dynamodb_table.catalog.arn}")
}

test_covered_actions_expand_wildcards_and_not_action if {
	dynamodb.covered_actions(_statement(["dynamodb:get*"], [])) == {"GetItem", "GetRecords", "GetResourcePolicy", "GetShardIterator", "GetAbacStatus"}
	"Scan" in dynamodb.covered_data_actions(_statement(["*"], []))
	not "Scan" in dynamodb.covered_data_actions(_statement([], ["dynamodb:scan"]))
	"Query" in dynamodb.covered_data_actions(_statement([], ["dynamodb:scan"]))
}

test_classifications_come_from_the_reference_data if {
	"GetItem" in dynamodb.data_plane
	not "DescribeTable" in dynamodb.data_plane
	"DeleteTable" in dynamodb.destructive
	not "CreateTable" in dynamodb.destructive
	"Scan" in dynamodb.bypasses_leading_keys
	"PartiQLSelect" in dynamodb.bypasses_leading_keys
	not "Query" in dynamodb.bypasses_leading_keys
	"GetItem" in dynamodb.supporting("dynamodb:Select")
	not "PutItem" in dynamodb.supporting("dynamodb:Select")
}
