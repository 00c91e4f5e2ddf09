# METADATA
# title: Tests for GR-MON-001
# description: >-
#   Fixtures in testdata/deletion_alerting: positive (every way a matching rule fails to deliver,
#   and a topic nobody subscribes to), no_rule (tables and only rules that do not match),
#   no_trail (no trail records management events), negative (SNS directly) and negative_lambda
#   (through a Lambda). The plan fixture plan_negative follows the documented
#   `terraform show -json` format (format_version 1.2).
package guardrails.rules.monitoring.deletion_alerting_test

import data.guardrails.rules.monitoring.deletion_alerting

_fixtures := data.rules.monitoring.testdata.deletion_alerting

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_findings(document) := findings if {
	findings := deletion_alerting.findings with input as _input(document)
}

_by_address(document) := {finding.address: finding.message | some finding in _findings(document)}

_rule(name) := concat(".", ["aws_cloudwatch_event_rule", name])

test_every_finding_carries_the_rule_identity if {
	findings := _findings(_fixtures.positive)
	count(findings) == 9
	every finding in findings {
		finding.rule == "GR-MON-001"
		finding.severity == "high"
		finding.stack == "dev"
		startswith(finding.message, concat("", [finding.address, ": "]))
	}
}

test_each_table_is_reported_when_no_rule_matches_delete_table if {
	messages := _by_address(_fixtures.no_rule)
	object.keys(messages) == {"aws_dynamodb_table.orders", "aws_dynamodb_table.customers"}
	every message in messages {
		contains(message, "no EventBridge (CloudWatch Events) rule matches DynamoDB DeleteTable calls")
		contains(message, "add an aws_cloudwatch_event_rule")
	}
}

test_a_rule_without_a_target if {
	message := _by_address(_fixtures.positive)[_rule("no_target")]
	contains(message, "it matches DynamoDB DeleteTable calls, but it has no aws_cloudwatch_event_target")
	contains(message, "target a Lambda function")
}

test_a_target_that_is_neither_lambda_nor_sns if {
	# The pattern is an object here, not a JSON string.
	message := _by_address(_fixtures.positive)[_rule("queue_target")]
	contains(message, "its target aws_cloudwatch_event_target.queue_target is neither a Lambda function nor an SNS topic")
}

test_a_lambda_events_may_not_invoke if {
	# A permission for another principal does not count. The pattern matches by prefix.
	message := _by_address(_fixtures.positive)[_rule("no_permission")]
	contains(message, "no aws_lambda_permission lets events.amazonaws.com invoke aws_lambda_function.no_permission")
}

test_a_permission_not_scoped_by_source_arn if {
	message := _by_address(_fixtures.positive)[_rule("unscoped")]
	contains(message, "aws_lambda_permission.unscoped) is not scoped to this rule by source_arn")
}

test_a_lambda_with_no_topic_in_its_environment if {
	message := _by_address(_fixtures.positive)[_rule("no_topic")]
	contains(message, "aws_lambda_function.no_topic references no aws_sns_topic in its environment variables")
}

test_disabled_rules if {
	messages := _by_address(_fixtures.positive)
	contains(messages[_rule("disabled_state")], "it is disabled (state = DISABLED)")
	contains(messages[_rule("disabled_flag")], "it is disabled (is_enabled = false)")

	# Delivery itself is fine: the disabling is the only problem named.
	not contains(messages[_rule("disabled_state")], "target aws_")
}

test_a_rule_on_another_bus if {
	message := _by_address(_fixtures.positive)[_rule("custom_bus")]
	contains(message, "it is not on the default event bus")
}

test_a_topic_nobody_subscribes_to if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_sns_topic.silent"], "it has no aws_sns_topic_subscription, so nobody receives them")

	# The subscribed topic, the rule that matches nothing and the table stay quiet.
	not messages["aws_sns_topic.alerts"]
	not messages[_rule("unrelated")]
	not messages["aws_dynamodb_table.orders"]
}

test_no_trail_records_management_events if {
	# Data events only, read-only (basic and advanced selectors), data-only advanced selectors, logging off.
	messages := _by_address(_fixtures.no_trail)
	count(messages) == 1
	contains(messages[_rule("deletes")], "no aws_cloudtrail in the stack records management events")
}

test_no_trail_at_all if {
	document := json.patch(_fixtures.negative, [{"op": "remove", "path": "/resource/aws_cloudtrail"}])
	messages := _by_address(document)
	contains(messages[_rule("deletes")], "no aws_cloudtrail in the stack records management events")
}

test_problems_of_one_rule_are_listed_together if {
	document := json.patch(_fixtures.no_trail, [
		{"op": "add", "path": "/resource/aws_cloudwatch_event_rule/deletes/state", "value": "DISABLED"},
		{"op": "remove", "path": "/resource/aws_cloudwatch_event_target"},
	])
	message := _by_address(document)[_rule("deletes")]
	contains(message, "but it is disabled (state = DISABLED); no aws_cloudtrail in the stack records management events")
	contains(message, "; it has no aws_cloudwatch_event_target; target a Lambda function")
}

test_quiet_when_sns_is_targeted_directly if {
	count(_findings(_fixtures.negative)) == 0
}

test_quiet_through_a_lambda if {
	count(_findings(_fixtures.negative_lambda)) == 0
}

test_quiet_without_tables if {
	document := {"resource": {"aws_sns_topic": {"alerts": {"name": "alerts"}}}}
	count(_findings(document)) == 0
}

test_quiet_on_a_plan if {
	count(_findings(_fixtures.plan_negative)) == 0
}

test_a_plan_permission_not_scoped_to_the_rule if {
	# resources 6 is the aws_lambda_permission; its source_arn names another rule.
	plan := json.patch(_fixtures.plan_negative, [{
		"op": "replace",
		"path": "/configuration/root_module/resources/6/expressions/source_arn",
		"value": {"references": ["aws_cloudwatch_event_rule.other.arn", "aws_cloudwatch_event_rule.other"]},
	}])
	message := _by_address(plan)[_rule("deletes")]
	contains(message, "is not scoped to this rule by source_arn")
}

test_a_plan_topic_without_subscription if {
	# resources 2 is the aws_sns_topic_subscription, being destroyed.
	plan := json.patch(_fixtures.plan_negative, [{
		"op": "replace", "path": "/resource_changes/2/change/actions", "value": ["delete"],
	}])
	messages := _by_address(plan)
	object.keys(messages) == {"aws_sns_topic.alerts"}
}

# The widened event list. widened_positive: two CMK-encrypted tables and a backup vault; the
# DynamoDB rule matches only the original six calls, the backup rule two of four events, and the
# KMS rule names only the orders key. widened_negative covers everything; widened_plan and
# widened_plan_first_apply are it rendered as `terraform show -json` (format_version 1.2) for an
# update (key ARNs known) and a first apply (key ARNs, hence the KMS pattern, unknown).

test_widened_events_missing_are_named_per_table if {
	messages := _by_address(_fixtures.widened_positive)
	object.keys(messages) == {"aws_dynamodb_table.orders", "aws_dynamodb_table.customers"}
	every message in messages {
		contains(message, "no EventBridge rule matches aws.dynamodb ExportTableToPointInTime, aws.dynamodb DisableKinesisStreamingDestination, aws.dynamodb UpdateTimeToLive, aws.backup PutBackupVaultLockConfiguration, aws.backup DeleteBackupVaultLockConfiguration")
		contains(message, "for aws.kms, list the table's key in detail.resources.ARN")
	}
	not contains(messages["aws_dynamodb_table.orders"], " on aws_kms_key.")
	contains(messages["aws_dynamodb_table.customers"], "aws.kms ScheduleKeyDeletion on aws_kms_key.customers, aws.kms DisableKey on aws_kms_key.customers, aws.kms PutKeyPolicy on aws_kms_key.customers")
}

test_widened_findings_carry_the_rule_identity if {
	every finding in _findings(_fixtures.widened_positive) {
		finding.rule == "GR-MON-001"
		finding.severity == "high"
	}
}

test_quiet_when_every_widened_event_is_watched if {
	count(_findings(_fixtures.widened_negative)) == 0
}

test_quiet_on_the_widened_plan_with_key_arns_known if {
	count(_findings(_fixtures.widened_plan)) == 0
}

test_first_apply_key_pattern_cannot_be_verified if {
	messages := _by_address(_fixtures.widened_plan_first_apply)
	object.keys(messages) == {"aws_dynamodb_table.orders", "aws_dynamodb_table.customers", "aws_backup_vault.vault"}
	every message in messages {
		contains(message, "cannot verify whether aws.kms ScheduleKeyDeletion on aws_kms_key.")
		contains(message, "aws_cloudwatch_event_rule.keys")
	}
}

test_backup_events_are_required_only_with_backups if {
	document := json.patch(_fixtures.widened_positive, [{"op": "remove", "path": "/resource/aws_backup_vault"}])
	every message in _by_address(document) {
		not contains(message, "aws.backup")
	}
}

test_a_kms_rule_without_a_key_filter_covers_every_key if {
	document := json.patch(_fixtures.widened_positive, [{
		"op": "replace", "path": "/resource/aws_cloudwatch_event_rule/keys/event_pattern",
		"value": "{\"source\": [\"aws.kms\"], \"detail\": {\"eventName\": [\"ScheduleKeyDeletion\", \"DisableKey\", \"PutKeyPolicy\"]}}",
	}])
	every message in _by_address(document) {
		not contains(message, " on aws_kms_key.")
	}
}

test_a_rule_matching_only_widened_events_is_checked_for_delivery if {
	document := json.patch(_fixtures.widened_negative, [{"op": "remove", "path": "/resource/aws_cloudwatch_event_target/keys"}])
	messages := _by_address(document)
	contains(messages[_rule("keys")], "it matches aws.kms DisableKey, aws.kms PutKeyPolicy, aws.kms ScheduleKeyDeletion calls, but it has no aws_cloudwatch_event_target")
}

test_a_backup_vault_key_nobody_watches if {
	document := json.patch(_fixtures.widened_negative, [
		{
			"op": "add", "path": "/resource/aws_kms_key/vault", "value": {"description": "vault", "enable_key_rotation": true},
		},
		{
			"op": "replace", "path": "/resource/aws_backup_vault/vault/kms_key_arn", "value": "${aws_kms_key.vault.arn}",
		},
	])
	messages := _by_address(document)
	object.keys(messages) == {"aws_backup_vault.vault"}
	contains(messages["aws_backup_vault.vault"], "aws_backup_vault.vault: no EventBridge rule matches aws.kms ScheduleKeyDeletion on aws_kms_key.vault, aws.kms DisableKey on aws_kms_key.vault, aws.kms PutKeyPolicy on aws_kms_key.vault")
	contains(messages["aws_backup_vault.vault"], "the key that encrypts this vault's recovery points alerts nobody")
}

## A global table's replica key lives in another region ##########################

_kms_pattern(arns) := json.marshal({
	"source": ["aws.kms"],
	"detail-type": ["AWS API Call via CloudTrail"],
	"detail": {
		"eventSource": ["kms.amazonaws.com"],
		"eventName": ["ScheduleKeyDeletion", "DisableKey", "PutKeyPolicy"],
		"resources": {"ARN": arns},
	},
})

_both_keys := ["${aws_kms_key.home.arn}", "${aws_kms_key.west.arn}"]

# The negative fixture (every DynamoDB event alerted through SNS), with one table replicated to
# us-west-2 under a key of that region, the home region's key rule, and the us-west-2 rule that
# forwards the replica key's events to the home region's default bus.
_replicated(forwarder, forward_target) := object.union(_fixtures.negative, {
	"provider": {"aws": [{"region": "us-east-1"}, {"alias": "us_west_2", "region": "us-west-2"}]},
	"resource": object.union(_fixtures.negative.resource, {
		"aws_kms_key": {
			"home": {"enable_key_rotation": true},
			"west": {"enable_key_rotation": true, "provider": "aws.us_west_2"},
		},
		"aws_dynamodb_table": object.union(_fixtures.negative.resource.aws_dynamodb_table, {"orders": {
			"name": "Orders",
			"hash_key": "Id",
			"billing_mode": "PAY_PER_REQUEST",
			"server_side_encryption": {"enabled": true, "kms_key_arn": "${aws_kms_key.home.arn}"},
			"replica": [{"region_name": "us-west-2", "kms_key_arn": "${aws_kms_key.west.arn}"}],
		}}),
		"aws_cloudwatch_event_rule": object.union(_fixtures.negative.resource.aws_cloudwatch_event_rule, object.union(
			{"keys": {"name": "keys", "event_pattern": _kms_pattern(_both_keys)}},
			forwarder,
		)),
		"aws_cloudwatch_event_target": object.union(_fixtures.negative.resource.aws_cloudwatch_event_target, object.union(
			{"keys": {"rule": "${aws_cloudwatch_event_rule.keys.name}", "arn": "${aws_sns_topic.alerts.arn}"}},
			forward_target,
		)),
	}),
})

_forwarder(provider) := {"west_keys": object.union(
	{"name": "west-keys", "event_pattern": _kms_pattern(["${aws_kms_key.west.arn}"])},
	provider,
)}

_forward_target(region) := {"west_keys": {
	"provider": "aws.us_west_2",
	"rule": "${aws_cloudwatch_event_rule.west_keys.name}",
	"arn": concat("", ["arn:aws:events:", region, ":111122223333:event-bus/default"]),
	"role_arn": "arn:aws:iam::111122223333:role/forwarder",
}}

test_a_replica_key_is_covered_by_a_rule_of_its_region_forwarding_to_the_alerts if {
	count(_findings(_replicated(_forwarder({"provider": "aws.us_west_2"}), _forward_target("us-east-1")))) == 0
}

test_a_replica_key_without_a_rule_in_its_region_alerts_nobody if {
	# The home region's rule lists the replica key, but never sees its events.
	messages := _by_address(_replicated({}, {}))
	object.keys(messages) == {"aws_dynamodb_table.orders"}
	contains(messages["aws_dynamodb_table.orders"], "aws.kms ScheduleKeyDeletion on aws_kms_key.west")
	not contains(messages["aws_dynamodb_table.orders"], "on aws_kms_key.home")
}

test_a_forwarding_rule_in_the_wrong_region_does_not_count if {
	messages := _by_address(_replicated(_forwarder({}), _forward_target("us-east-1")))
	object.keys(messages) == {"aws_dynamodb_table.orders"}
}

test_forwarding_to_a_region_without_an_alerting_rule if {
	messages := _by_address(_replicated(_forwarder({"provider": "aws.us_west_2"}), _forward_target("eu-central-1")))
	object.keys(messages) == {"aws_dynamodb_table.orders", _rule("west_keys")}
	contains(messages[_rule("west_keys")], "forwards aws.kms DisableKey, aws.kms PutKeyPolicy, aws.kms ScheduleKeyDeletion calls to the default event bus of eu-central-1")
}
