# METADATA
# title: Tests for the customer-managed key helpers
# description: >-
#   CDKTF and plan inputs written inline. The plan follows the documented
#   `terraform show -json` format (format_version 1.2).
package guardrails.lib.keys_test

import data.guardrails.lib.keys
import data.guardrails.lib.resources

_declared := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

_cdktf := {
	"resource": {
		"aws_kms_key": {"key": {"enable_key_rotation": true}},
		"aws_kms_alias": {
			"alias": {"name": "alias/app", "target_key_id": "${aws_kms_key.key.key_id}"},
			"reserved": {"name": "alias/aws/sns", "target_key_id": "${aws_kms_key.key.key_id}"},
		},
		"aws_sns_topic": {
			"direct": {"kms_master_key_id": "${aws_kms_key.key.arn}"},
			"via_alias": {"kms_master_key_id": "${aws_kms_alias.alias.name}"},
			"via_reserved_alias": {"kms_master_key_id": "${aws_kms_alias.reserved.arn}"},
			"declared": {"kms_master_key_id": _declared},
			"aws_managed": {"kms_master_key_id": "alias/aws/sns"},
			"foreign": {"kms_master_key_id": "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
			"lookup": {"kms_master_key_id": "${data.aws_kms_key.lookup.arn}"},
			"absent": {"name": "absent"},
			"empty": {"kms_master_key_id": ""},
			"number": {"kms_master_key_id": 42},
		},
	},
	"data": {"aws_kms_key": {"lookup": {"key_id": "alias/aws/sns"}}},
}

_input(document) := {"stack": "dev", "document": document, "context": {"key_arns": [_declared]}}

_topic(name) := resources.by_address[concat(".", ["aws_sns_topic", name])]

_customer_managed_topics := {topic.name |
	some topic in resources.of_type("aws_sns_topic")
	keys.customer_managed(topic, "kms_master_key_id")
}

test_customer_managed_directly_through_an_alias_or_declared if {
	_customer_managed_topics == {"direct", "via_alias", "declared"} with input as _input(_cdktf)
}

test_designated_keys_follow_aliases if {
	keys.designated_keys(_topic("via_alias"), "kms_master_key_id") == {"aws_kms_key.key"} with input as _input(_cdktf)
	keys.designated_keys(_topic("via_reserved_alias"), "kms_master_key_id") == set() with input as _input(_cdktf)
}

test_problems if {
	problems := {name: keys.problem(_topic(name), "kms_master_key_id", "nothing encrypts it") |
		some name in ["direct", "via_alias", "declared", "aws_managed", "foreign", "lookup", "absent", "empty", "number"]
	} with input as _input(_cdktf)
	not problems.direct
	not problems.via_alias
	not problems.declared
	problems.absent == "kms_master_key_id is not set, so nothing encrypts it"
	problems.empty == problems.absent
	contains(problems.aws_managed, "alias/aws/sns is an AWS-managed key")
	contains(problems.foreign, "999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab is not a customer-managed key")
	contains(problems.lookup, "${data.aws_kms_key.lookup.arn} is not a customer-managed key")
	contains(problems.number, "kms_master_key_id 42 is not")
}

test_declared_keys_need_the_context if {
	_customer_managed_topics == {"direct", "via_alias"} with input as {"stack": "dev", "document": _cdktf}
}

_plan := {
	"format_version": "1.2",
	"planned_values": {"root_module": {"resources": [
		{"address": "aws_kms_key.key", "mode": "managed", "type": "aws_kms_key", "name": "key", "values": {"enable_key_rotation": true}},
		{"address": "aws_sns_topic.new_key", "mode": "managed", "type": "aws_sns_topic", "name": "new_key", "values": {}},
		{"address": "aws_sns_topic.variable", "mode": "managed", "type": "aws_sns_topic", "name": "variable", "values": {}},
		{"address": "aws_sns_topic.existing", "mode": "managed", "type": "aws_sns_topic", "name": "existing", "values": {"kms_master_key_id": "arn:aws:kms:us-east-1:111122223333:key/0000"}},
	]}},
	"resource_changes": [
		{"address": "aws_kms_key.key", "change": {"actions": ["create"], "after_unknown": {"arn": true}}},
		{"address": "aws_sns_topic.new_key", "change": {"actions": ["create"], "after_unknown": {"kms_master_key_id": true}}},
		{"address": "aws_sns_topic.variable", "change": {"actions": ["create"], "after_unknown": {"kms_master_key_id": true}}},
		{"address": "aws_sns_topic.existing", "change": {"actions": ["no-op"], "after_unknown": {}}},
	],
	"configuration": {"root_module": {"resources": [
		{"address": "aws_kms_key.key", "mode": "managed", "type": "aws_kms_key", "name": "key", "expressions": {}},
		{"address": "aws_sns_topic.new_key", "mode": "managed", "type": "aws_sns_topic", "name": "new_key", "expressions": {"kms_master_key_id": {"references": ["aws_kms_key.key.arn", "aws_kms_key.key"]}}},
		{"address": "aws_sns_topic.variable", "mode": "managed", "type": "aws_sns_topic", "name": "variable", "expressions": {"kms_master_key_id": {"references": ["var.key_arn"]}}},
		{"address": "aws_sns_topic.existing", "mode": "managed", "type": "aws_sns_topic", "name": "existing", "expressions": {"kms_master_key_id": {"references": ["aws_kms_key.key.arn", "aws_kms_key.key"]}}},
	]}},
}

test_plan_references_settle_unknown_and_concrete_values if {
	_customer_managed_topics == {"new_key", "existing"} with input as _input(_plan)
	unverifiable := {topic.name |
		some topic in resources.of_type("aws_sns_topic")
		keys.unverifiable(topic, "kms_master_key_id")
	} with input as _input(_plan)
	unverifiable == {"variable"}
}

test_plan_unknown_without_a_key_reference_cannot_be_verified if {
	_topic("variable") with input as _input(_plan)
	not keys.problem(_topic("variable"), "kms_master_key_id", "x") with input as _input(_plan)
	not keys.absent(_topic("variable"), "kms_master_key_id") with input as _input(_plan)
}

test_declared_matches_the_arn_or_id_of_a_key_in_the_input if {
	shapes := {"stack": "app", "context": {}, "document": data.lib.testdata.plan_shapes}
	keys.declared("arn:aws:kms:eu-west-1:111122223333:key/9234abcd-12ab-34cd-56ef-1234567890ab") with input as shapes
	keys.declared("9234abcd-12ab-34cd-56ef-1234567890ab") with input as shapes
	not keys.declared("arn:aws:kms:eu-west-1:111122223333:key/other") with input as shapes
	not keys.declared("") with input as shapes
}
