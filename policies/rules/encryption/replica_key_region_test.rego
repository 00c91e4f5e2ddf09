# METADATA
# title: Tests for GR-ENC-009
# description: >-
#   Fixtures in testdata/replica_key_region: replicas whose key is in another region (the
#   primary's, swapped between replicas, a literal ARN, a replica resource), and keys of the
#   replica's region by provider alias, by region argument, as a multi-Region replica key or a
#   literal ARN. The plan fixture is hand-written and follows the documented
#   `terraform show -json` format (format_version 1.2).
package guardrails.rules.encryption.replica_key_region_test

import data.guardrails.rules.encryption.replica_key_region

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.encryption.testdata.replica_key_region

_by_address(document) := {finding.address: finding.message |
	some finding in replica_key_region.findings with input as _input(document)
}

_messages := _by_address(_fixtures.positive)

test_fires_on_each_replica_with_a_foreign_key if {
	object.keys(_messages) == {
		"aws_dynamodb_table.primary_key", "aws_dynamodb_table.swapped",
		"aws_dynamodb_table.literal", "aws_dynamodb_table_replica.west_with_primary_key",
	}
}

test_findings_carry_the_rule if {
	some finding in replica_key_region.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-ENC-009"
	finding.severity == "high"
}

test_messages_name_both_regions if {
	contains(_messages["aws_dynamodb_table.primary_key"], "aws_dynamodb_table.primary_key: replica in us-west-2 names kms_key_arn in us-east-1, and DynamoDB can encrypt a replica only with a key of its own region")
	contains(_messages["aws_dynamodb_table.swapped"], "replica in eu-west-1 names kms_key_arn in us-west-2; replica in us-west-2 names kms_key_arn in eu-west-1")
	contains(_messages["aws_dynamodb_table.literal"], "replica in eu-west-1 names kms_key_arn in us-east-1")
	contains(_messages["aws_dynamodb_table_replica.west_with_primary_key"], "the replica is created in us-west-2 but kms_key_arn names a key in us-east-1")
	contains(_messages["aws_dynamodb_table.literal"], "aws_kms_replica_key")
}

test_quiet_with_keys_of_each_replicas_region if {
	count(replica_key_region.findings) == 0 with input as _input(_fixtures.negative)
}

test_plan_reads_arns_and_provider_configurations if {
	messages := _by_address(_fixtures.plan_positive)
	object.keys(messages) == {"aws_dynamodb_table.orders", "aws_dynamodb_table_replica.orders_eu"}
	contains(messages["aws_dynamodb_table.orders"], "replica in us-west-2 names kms_key_arn in us-east-1")

	# The replica's key is unknown until apply; the configuration says it is the us-west-2 key.
	contains(messages["aws_dynamodb_table_replica.orders_eu"], "created in eu-west-1 but kms_key_arn names a key in us-west-2")
}

test_plan_unknown_key_of_a_replica_block if {
	plan := json.patch(_fixtures.plan_positive, [
		{"op": "remove", "path": "/planned_values/root_module/resources/1/values/replica/0/kms_key_arn"},
		{"op": "add", "path": "/resource_changes/1/change/after_unknown/replica", "value": [{"kms_key_arn": true}]},
		{"op": "add", "path": "/configuration/root_module/resources/1/expressions/replica", "value": [{"kms_key_arn": {"references": ["aws_kms_key.orders_west.arn", "aws_kms_key.orders_west"]}}]},
	])
	not _by_address(plan)["aws_dynamodb_table.orders"]
}
