# METADATA
# title: Tests for GR-DP-006
# description: >-
#   Fixtures in testdata/replica_protection: replica blocks without PITR or deletion protection,
#   and resource policies of replicated tables that do or do not deny the replication role. The
#   plan fixture is hand-written and follows the documented `terraform show -json` format
#   (format_version 1.2).
package guardrails.rules.data_protection.replica_protection_test

import data.guardrails.rules.data_protection.replica_protection

_input(document) := {"stack": "dev", "document": document, "context": {
	"organization_id": "o-a1b2c3d4e5",
	"account_id": "111122223333",
}}

_fixtures := data.rules.data_protection.testdata.replica_protection

_by_address(document) := {finding.address: finding.message |
	some finding in replica_protection.findings with input as _input(document)
}

_messages := _by_address(_fixtures.positive)

test_fires_on_each_bad_replica_and_policy_and_only_those if {
	object.keys(_messages) == {
		"aws_dynamodb_table.unprotected", "aws_dynamodb_resource_policy.denied",
		"aws_dynamodb_resource_policy.principal_named", "aws_dynamodb_resource_policy.other_conditions",
	}
}

test_findings_carry_the_rule if {
	some finding in replica_protection.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-DP-006"
	finding.severity == "high"
}

test_replica_blocks_need_their_own_pitr_and_deletion_protection if {
	message := _messages["aws_dynamodb_table.unprotected"]
	contains(message, "replica in us-west-2: point-in-time recovery is off")
	contains(message, "replica in us-west-2: deletion protection is off by default (deletion_protection_enabled is not set)")
	not contains(message, "eu-west-1")
	contains(message, "set point_in_time_recovery = true and deletion_protection_enabled = true in every replica block")
}

test_an_endpoint_only_deny_without_exemption_stops_replication if {
	message := _messages["aws_dynamodb_resource_policy.denied"]
	contains(message, "statement \"DenyOutsideEndpoint\" (GetItem, PutItem), statement \"DenyTtlChanges\" (UpdateTimeToLive) deny DynamoDB's replication role")
	contains(message, "REPLICATION_NOT_AUTHORIZED")
	contains(message, "\"ArnNotEquals\": {\"aws:PrincipalArn\"")

	# DeleteBackup is not something replication does.
	not contains(message, "DenyOthersBackups")
}

test_naming_the_role_or_conditions_it_meets_still_deny_it if {
	contains(_messages["aws_dynamodb_resource_policy.principal_named"], "statement \"DenyReplicationRole\" (DeleteItem, DescribeLimits")
	message := _messages["aws_dynamodb_resource_policy.other_conditions"]

	# IfExists exemptions, unknown keys and another organization's id do not spare the role.
	contains(message, "statement \"ExemptionIfExists\" (GetItem, PutItem)")
	contains(message, "statement \"DenyUnlessTagged\" (Scan)")
	contains(message, "statement \"DenyOtherOrganizations\" (DeleteItem")
}

test_quiet_with_exempted_role_and_unreplicated_tables if {
	count(replica_protection.findings) == 0 with input as _input(_fixtures.negative)
}

test_an_aws_dynamodb_table_replica_makes_the_table_replicated if {
	document := json.patch(_fixtures.negative, [{
		"op": "replace",
		"path": "/resource/aws_dynamodb_table_replica/single_west/global_table_arn",
		"value": "${aws_dynamodb_table.single.arn}",
	}])
	messages := _by_address(document)
	object.keys(messages) == {"aws_dynamodb_resource_policy.single"}
	contains(messages["aws_dynamodb_resource_policy.single"], "statement \"DenyOutsideEndpoint\" (GetItem, PutItem)")
}

test_plan_with_concrete_arns if {
	messages := _by_address(_fixtures.plan_positive)
	object.keys(messages) == {"aws_dynamodb_table.orders", "aws_dynamodb_resource_policy.orders"}
	contains(messages["aws_dynamodb_table.orders"], "replica in us-west-2: point-in-time recovery is off")
	contains(messages["aws_dynamodb_resource_policy.orders"], "statement \"DenyOutsideEndpoint\" (DeleteItem")
}

test_plan_cannot_verify_a_replica_left_unknown if {
	plan := json.patch(_fixtures.plan_positive, [
		{"op": "remove", "path": "/planned_values/root_module/resources/0/values/replica/0/point_in_time_recovery"},
		{"op": "replace", "path": "/planned_values/root_module/resources/0/values/replica/0/deletion_protection_enabled", "value": true},
		{"op": "add", "path": "/resource_changes/0/change/after_unknown/replica", "value": [{"point_in_time_recovery": true}]},
	])
	message := _by_address(plan)["aws_dynamodb_table.orders"]
	contains(message, "cannot verify replica point_in_time_recovery and deletion_protection_enabled")
}

# A replicated table's own resource_policy argument must spare the role too.
test_a_tables_resource_policy_argument if {
	document := json.patch(_fixtures.negative, [{
		"op": "add",
		"path": "/resource/aws_dynamodb_table/replicated/resource_policy",
		"value": json.marshal({"Statement": [{"Sid": "DenyAll", "Effect": "Deny", "Principal": "*", "Action": "dynamodb:PutItem", "Resource": "*"}]}),
	}])
	messages := _by_address(document)
	object.keys(messages) == {"aws_dynamodb_table.replicated"}
	contains(messages["aws_dynamodb_table.replicated"], "statement \"DenyAll\" (PutItem) deny DynamoDB's replication role (AWSServiceRoleForDynamoDBReplication) what it needs on replicated table aws_dynamodb_table.replicated")
}
