# METADATA
# title: Tests for GR-FGA-004
# description: >-
#   Positive (Action "*", "dynamodb:*", NotAction, Resource "*", wildcard
#   ARNs, NotResource, in JSON and aws_iam_policy_document form) and negative
#   (named tables, their indexes and streams, control-plane and other
#   services' wildcards, resource policies) fixtures in
#   testdata/data_plane_wildcards. The plan fixture follows the documented
#   `terraform show -json` format (format_version 1.2).
package guardrails.rules.access.data_plane_wildcards_test

import data.guardrails.rules.access.data_plane_wildcards

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.access.testdata.data_plane_wildcards

_by_address(document) := {finding.address: finding.message |
	some finding in data_plane_wildcards.findings with input as _input(document)
}

test_fires_on_wildcard_actions_and_resources if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_iam_role_policy.star_resource"], "statement \"ReadProductCatalogItems\" (Resource \"*\")")
	contains(messages["aws_iam_role_policy.from_document"], "statement \"EveryTable\" (Resource \"arn:aws:dynamodb:us-east-1:111122223333:table/*\")")
	contains(messages["aws_iam_policy.star_action"], "statement \"AllOfDynamoDb\" (Action \"dynamodb:*\")")
	contains(messages["aws_iam_policy.admin"], "statement \"Admin\" (Action \"*\"; Resource \"*\")")
	contains(messages["aws_iam_policy.not_action"], "statement \"AllButDelete\" (NotAction)")
	contains(messages["aws_iam_policy.not_resource"], "statement \"AllButAudit\" (NotResource)")
	count(messages) == 7
}

test_names_each_wildcard_arn if {
	message := _by_address(_fixtures.positive)["aws_iam_user_policy.wildcard_arns"]
	contains(message, "statement \"AnyRegion\" (Resource \"arn:aws:dynamodb:*:111122223333:table/ProductCatalog\")")
	contains(message, "statement \"AnyAccount\" (Resource \"arn:aws:dynamodb:us-east-1:*:table/ProductCatalog\")")
	contains(message, "statement \"TablePrefix\" (Resource \"arn:aws:dynamodb:us-east-1:111122223333:table/Product*\")")
	contains(message, "statement \"AnyService\" (Resource \"arn:aws:*\")")
	not contains(message, "aws_dynamodb_table.catalog")
}

test_findings_explain_the_fix if {
	some finding in data_plane_wildcards.findings with input as _input(_fixtures.positive)
	finding.address == "aws_iam_role_policy.star_resource"
	finding.rule == "GR-FGA-004"
	finding.severity == "high"
	startswith(finding.message, "aws_iam_role_policy.star_resource: ")
	contains(finding.message, "grant DynamoDB data-plane actions with wildcards")
	contains(finding.message, "name each table in Resource")
}

test_quiet_on_named_tables_indexes_streams_and_other_wildcards if {
	count(data_plane_wildcards.findings) == 0 with input as _input(_fixtures.negative)
}

test_plan_with_concrete_arns if {
	messages := _by_address(_fixtures.plan)
	contains(messages["aws_iam_role_policy.everywhere"], "statement \"ReadEverywhere\" (Resource \"arn:aws:dynamodb:*:111122223333:table/ProductCatalog\")")
	count(messages) == 1
}
