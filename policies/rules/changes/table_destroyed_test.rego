# METADATA
# title: Tests for GR-CHG-001
# description: >-
#   Fixtures in testdata/table_destroyed, written from Terraform's documented
#   JSON plan format: positive (deleted, replaced in either order, tainted, a
#   replica, a table in a module with a for_each key), negative (moved, moved
#   and updated, a deposed object, created, forgotten, a data-source read, a
#   deleted bucket, a deletion that only resource_drift records).
package guardrails.rules.changes.table_destroyed_test

import data.guardrails.rules.changes.table_destroyed

_fixtures := data.rules.changes.testdata.table_destroyed

_findings(document) := findings if {
	findings := table_destroyed.findings with input as {"stack": "prod", "document": document, "context": {}}
}

_messages(document) := {finding.address: finding.message | some finding in _findings(document)}

test_fires_on_every_destroyed_table_and_replica if {
	object.keys(_messages(_fixtures.positive)) == {
		"aws_dynamodb_table.deleted",
		"aws_dynamodb_table.replaced",
		"aws_dynamodb_table.renamed",
		"aws_dynamodb_table.tainted",
		"aws_dynamodb_table_replica.us",
		`module.data.aws_dynamodb_table.orders["eu"]`,
		"aws_dynamodb_table.global",
	}
}

test_a_replica_block_removed_from_a_table if {
	message := _messages(_fixtures.positive)["aws_dynamodb_table.global"]
	contains(message, "removes this table's replica in eu-central-1")
	contains(message, "destroyed in that region")
	not contains(message, "us-east-1")
}

test_a_deletion_names_the_action_the_reason_and_the_way_out if {
	message := _messages(_fixtures.positive)["aws_dynamodb_table.deleted"]
	startswith(message, "aws_dynamodb_table.deleted: the plan deletes this table")
	contains(message, "(Terraform: the resource is no longer in the configuration, delete_because_no_resource_config)")
	contains(message, "every item in it is destroyed")
	contains(message, "Deletion protection does not make this safe")
	contains(message, "a `moved` block if it was renamed")
	contains(message, "waive this address with a reason and an expiry")
}

test_a_replacement_names_the_attributes_that_force_it if {
	message := _messages(_fixtures.positive)["aws_dynamodb_table.replaced"]
	contains(message, "the plan replaces this table, destroying it before creating the new one, because hash_key changes (Terraform: an attribute")
	contains(message, ", replace_because_cannot_update): every item")
	contains(message, "every item in it is destroyed and the new one starts empty")
	contains(message, "Keep hash_key as it is")
}

test_create_before_destroy_and_nested_paths if {
	message := _messages(_fixtures.positive)["aws_dynamodb_table.renamed"]
	contains(message, "replaces this table, creating the new one before destroying it")
	contains(message, ", because attribute[0].name and name change")
	contains(message, "Keep attribute[0].name and name as they are")
}

test_a_replacement_without_paths_says_how_to_avoid_it if {
	message := _messages(_fixtures.positive)["aws_dynamodb_table.tainted"]
	contains(message, "the object is tainted")
	contains(message, "untaint it")
}

test_replicas_and_module_instances if {
	messages := _messages(_fixtures.positive)
	contains(messages["aws_dynamodb_table_replica.us"], "deletes this replica")
	contains(messages["aws_dynamodb_table_replica.us"], "destroyed in its region")
	contains(messages["module.data.aws_dynamodb_table.orders[\"eu\"]"], "its for_each key is gone")
}

test_findings_carry_the_rule_identity if {
	every finding in _findings(_fixtures.positive) {
		finding.rule == "GR-CHG-001"
		finding.severity == "critical"
	}
}

test_quiet_on_moves_deposed_objects_reads_drift_and_other_types if {
	count(_findings(_fixtures.negative)) == 0
}

test_quiet_on_a_synthesized_stack if {
	count(_findings(data.lib.testdata.cdktf_table)) == 0
}
