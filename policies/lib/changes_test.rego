# METADATA
# title: Tests for guardrails.lib.changes
# description: >-
#   The change-aware rules' fixtures cover each rule; these cover the
#   library's words and the plan shapes that must not read as changes.
package guardrails.lib.changes_test

import data.guardrails.lib.changes

_shapes := {"stack": "app", "context": {}, "document": data.lib.testdata.plan_shapes}

_change(actions, extra) := object.union({"address": "aws_s3_bucket.b", "type": "aws_s3_bucket", "name": "b", "change": {"actions": actions}}, extra)

test_moves_deposed_objects_reads_and_drift_are_not_removals if {
	count(changes.removals) == 0 with input as _shapes
	changes.updates == {} with input as {"stack": "app", "context": {}, "document": {"format_version": "1.2", "resource_changes": [_change(["no-op"], {"previous_address": "aws_s3_bucket.a"})]}}
}

test_an_update_of_a_moved_resource_is_an_update if {
	object.keys(changes.updates) == {`aws_dynamodb_table.orders["us"]`} with input as _shapes
}

test_verbs_and_orders if {
	changes.verb(_change(["delete"], {})) == "deletes"
	changes.verb(_change(["delete", "create"], {})) == "replaces"
	changes.verb(_change(["create", "delete"], {})) == "replaces"
	changes.order(_change(["delete", "create"], {})) == ", destroying it before creating the new one"
	changes.order(_change(["create", "delete"], {})) == ", creating the new one before destroying it"
	changes.order(_change(["delete"], {})) == ""
}

test_reasons_in_words_and_unknown_reasons_verbatim if {
	changes.reason(_change(["delete"], {"action_reason": "delete_because_count_index"})) == " (Terraform: its count index is out of range, delete_because_count_index)"
	changes.reason(_change(["delete"], {"action_reason": "delete_because_something_new"})) == " (Terraform: its reason, delete_because_something_new)"
	changes.reason(_change(["delete"], {})) == ""
}

test_replace_paths_in_words if {
	change := {"change": {"actions": ["delete", "create"], "replace_paths": [["name"], ["global_secondary_index", 2, "hash_key"], []]}}
	changes.replace_paths(change) == ["global_secondary_index[2].hash_key", "name"]
	changes.because(change) == ", because global_secondary_index[2].hash_key and name change"
	changes.because({"change": {"actions": ["delete", "create"]}}) == ""
}

test_identifiers_before if {
	changes.identifiers_before({"change": {"before": {"arn": "arn:aws:kms:eu-west-1:1:key/k", "id": "k", "key_id": "k", "name": "x"}}}) == {"arn:aws:kms:eu-west-1:1:key/k", "k"}
}
