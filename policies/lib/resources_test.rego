# METADATA
# title: Tests for guardrails.lib.resources
# description: >-
#   Fixtures live in testdata/ (loaded by `opa test policies` as
#   data.lib.testdata); small edge cases are written inline.
package guardrails.lib.resources_test

import data.guardrails.lib.resources

_cdktf := {"stack": "orders", "document": data.lib.testdata.cdktf_table, "context": {}}

_plan := {"stack": "orders", "document": data.lib.testdata.plan_modules, "context": {}}

_doc(document) := {"stack": "orders", "document": document, "context": {}}

_bucket(address, values) := {
	"address": address,
	"mode": "managed",
	"type": "aws_s3_bucket",
	"name": "b",
	"values": values,
}

# A plan whose root module holds the given resources.
_root_plan(resources) := {"format_version": "1.2", "planned_values": {"root_module": {"resources": resources}}}

## Format detection ############################################################

test_format_cdktf if resources.format == "cdktf" with input as _cdktf

test_format_plan if resources.format == "plan" with input as _plan

test_format_cdktf_with_only_data_sources if {
	resources.format == "cdktf" with input as _doc({"data": {"aws_caller_identity": {"c": {}}}})
}

test_format_plan_with_only_resource_changes if {
	resources.format == "plan" with input as _doc({"format_version": "1.2", "resource_changes": []})
}

test_format_unknown_for_empty_document if resources.format == "unknown" with input as _doc({})

test_format_unknown_without_document if resources.format == "unknown" with input as {"stack": "orders"}

test_format_unknown_for_non_object if resources.format == "unknown" with input as _doc("resource")

# `terraform show -json` of a state file has format_version but no plan body.
test_format_unknown_for_state_file if {
	resources.format == "unknown" with input as _doc({"format_version": "1.0", "values": {"root_module": {}}})
}

test_unknown_format_has_no_resources if count(resources.by_address) == 0 with input as _doc({})

## Terraform's JSON syntax: arrays of objects at any level ##########################

# HCL's JSON spec lets each level of a block (the section, its labels, its body) be an array of
# objects; a table written that way must be read like one CDKTF writes.
_table_body := {"name": "Orders", "billing_mode": "PAY_PER_REQUEST", "deletion_protection_enabled": true}

test_cdktf_section_as_array if {
	doc := {"resource": [{"aws_dynamodb_table": {"t": _table_body}}, {"aws_kms_key": {"k": {}}}]}
	resources.format == "cdktf" with input as _doc(doc)
	found := {address | some address, _ in resources.by_address} with input as _doc(doc)
	found == {"aws_dynamodb_table.t", "aws_kms_key.k"}
}

test_cdktf_names_as_array if {
	doc := {"resource": {"aws_dynamodb_table": [{"t": _table_body}, {"u": {"name": "U"}}]}}
	found := {address | some address, _ in resources.by_address} with input as _doc(doc)
	found == {"aws_dynamodb_table.t", "aws_dynamodb_table.u"}
}

test_cdktf_body_as_array_is_one_body if {
	doc := {"resource": {"aws_dynamodb_table": {"t": [
		{"name": "Orders", "billing_mode": "PAY_PER_REQUEST"},
		{"deletion_protection_enabled": true},
	]}}}
	table := resources.by_address["aws_dynamodb_table.t"] with input as _doc(doc)
	table.values == _table_body
}

test_cdktf_data_section_as_array if {
	doc := {"data": [{"aws_caller_identity": {"c": [{}]}}]}
	resources.format == "cdktf" with input as _doc(doc)
	resources.by_address["data.aws_caller_identity.c"].mode == "data" with input as _doc(doc)
}

# Terraform rejects these; they are not blocks, and an empty or mixed array is no section.
test_cdktf_non_objects_are_not_blocks if {
	doc := {"resource": {"aws_dynamodb_table": {"t": ["name"], "u": "Orders"}, "aws_kms_key": [1]}}
	count(resources.by_address) == 0 with input as _doc(doc)
}

test_format_unknown_for_empty_or_mixed_sections if {
	resources.format == "unknown" with input as _doc({"resource": []})
	resources.format == "unknown" with input as _doc({"resource": [{"aws_kms_key": {}}, "x"]})
}

## CDKTF #######################################################################

test_cdktf_addresses if {
	addresses := {address | some address, _ in resources.by_address} with input as _cdktf
	addresses == {
		"aws_dynamodb_resource_policy.table_policy",
		"aws_dynamodb_table.table",
		"aws_iam_role.reader",
		"aws_kms_key.table_key",
		"aws_sns_topic.alerts",
		"aws_sns_topic_policy.alerts",
		"aws_sqs_queue_policy.dlq",
		"data.aws_caller_identity.current",
		"data.aws_iam_policy_document.table_access",
	}
}

test_cdktf_table_shape if {
	table := resources.by_address["aws_dynamodb_table.table"] with input as _cdktf
	table.address == "aws_dynamodb_table.table"
	table.type == "aws_dynamodb_table"
	table.name == "table"
	table.mode == "managed"
	table.path == "orders/table"
	table.unknown == {}
	not "//" in object.keys(table.values)
	table.values.server_side_encryption == {"enabled": true, "kms_key_arn": "${aws_kms_key.table_key.arn}"}
}

test_cdktf_nested_reference if {
	table := resources.by_address["aws_dynamodb_table.table"] with input as _cdktf
	resources.references(table, "server_side_encryption") == ["aws_kms_key.table_key"] with input as _cdktf
}

# lookup(...) is a function call whose argument is a reference; the quoted
# default "my_default.value" is a string literal, not a reference.
test_cdktf_reference_inside_function_call if {
	table := resources.by_address["aws_dynamodb_table.table"] with input as _cdktf
	resources.references(table, "tags") == ["aws_kms_key.table_key"] with input as _cdktf
}

test_cdktf_several_tokens_in_one_string if {
	topic := resources.by_address["aws_sns_topic.alerts"] with input as _cdktf
	resources.all_references(topic) == {"kms_master_key_id": ["aws_kms_key.table_key", "data.aws_caller_identity.current"]} with input as _cdktf
}

test_cdktf_token_with_nested_braces if {
	topic_policy := resources.by_address["aws_sns_topic_policy.alerts"] with input as _cdktf
	resources.references(topic_policy, "policy") == ["aws_sns_topic.alerts"] with input as _cdktf
}

test_cdktf_escaped_and_non_resource_tokens_have_no_refs if {
	queue_policy := resources.by_address["aws_sqs_queue_policy.dlq"] with input as _cdktf
	resources.all_references(queue_policy) == {} with input as _cdktf
}

test_cdktf_data_source if {
	identity := resources.by_address["data.aws_caller_identity.current"] with input as _cdktf
	identity.mode == "data"
	identity.type == "aws_caller_identity"
	identity.name == "current"
	identity.path == "orders/current"
}

test_cdktf_path_defaults_to_empty if {
	document := {"resource": {"aws_s3_bucket": {"b": {"bucket": "x"}}}}
	bucket := resources.by_address["aws_s3_bucket.b"] with input as _doc(document)
	bucket.path == ""
	bucket.values == {"bucket": "x"}
}

test_token_refs_data_and_resource if {
	refs := resources.token_refs(`${aws_kms_key.a.arn}/x/${data.aws_caller_identity.c.account_id}`)
	refs == ["aws_kms_key.a", "data.aws_caller_identity.c"]
}

# The one-regex reading of a value that is a single token must agree with the general one;
# every other value must fall through to it.
test_token_refs_sole_reference_agrees_with_the_general_reading if {
	every text in [
		"${aws_dynamodb_table.t.arn}", "${aws_dynamodb_table.t.arn}/index/*", "${data.aws_iam_policy_document.d.json}",
		"${aws_kms_key.alerts-key_453745FF.arn}", "${aws_a.b[0].id}", "${aws_a.b[12].arn}/stream/*",
		"${aws_s3_bucket.b.arn}/logs/*", "${aws_x.y}",
	] {
		resources._sole_reference(text)
		resources.token_refs(text) == sort({ref | some ref in resources._string_refs(text)})
	}
}

test_token_refs_sole_reference_leaves_other_values_to_the_general_reading if {
	every text in [
		"${aws_a.b.arn}/${aws_c.d.arn}", "${aws_a.b.arn}/$${aws:username}", "x/${aws_a.b.arn}", "${var.v}",
		`${aws_e.f["k"].arn}`, "${aws_c.d.*.id}", "${jsonencode(aws_a.b.arn)}", "${module.m.out}",
	] {
		not resources._sole_reference(text)
	}
}

test_token_refs_walks_objects_and_arrays if {
	refs := resources.token_refs({"a": [{"b": "${aws_x.y.id}"}], "c": "${data.aws_z.w.json}"})
	refs == ["aws_x.y", "data.aws_z.w"]
}

test_token_refs_ignores_non_resource_roots if {
	text := concat(" ", [
		"${var.my_var}", "${local.my_local.x}", "${each.value.my_x}", "${count.index}",
		"${path.module}", "${terraform.workspace}", "${self.my_attr}",
	])
	resources.token_refs(text) == []
}

test_token_refs_ignores_literal_text_after_token if {
	resources.token_refs("${var.prefix}-my_table.backup") == []
}

test_token_refs_indexes_and_splats if {
	resources.token_refs(`${aws_a.b[0].id} ${aws_c.d.*.id} ${aws_e.f["k"].arn}`) == ["aws_a.b", "aws_c.d", "aws_e.f"]
}

test_token_refs_for_expression if {
	resources.token_refs(`${{for k, v in aws_a.b : k => v.id}}`) == ["aws_a.b"]
}

test_token_refs_module_outputs_are_not_resources if {
	resources.token_refs("${module.mod_a.out_put}") == []
}

test_token_refs_without_tokens if {
	resources.token_refs("aws_kms_key.a.arn") == []
	resources.token_refs(true) == []
}

test_cdktf_of_type_excludes_data_sources if {
	tables := resources.of_type("aws_dynamodb_table") with input as _cdktf
	{table.address | some table in tables} == {"aws_dynamodb_table.table"}
	count(resources.of_type("aws_caller_identity")) == 0 with input as _cdktf
}

test_cdktf_data_of_type if {
	identities := resources.data_of_type("aws_caller_identity") with input as _cdktf
	{identity.address | some identity in identities} == {"data.aws_caller_identity.current"}
}

test_cdktf_resolve if {
	table := resources.by_address["aws_dynamodb_table.table"] with input as _cdktf
	keys := resources.resolve(table, "server_side_encryption") with input as _cdktf
	{key.address | some key in keys} == {"aws_kms_key.table_key"}
	count(resources.resolve(table, "billing_mode")) == 0 with input as _cdktf
}

## Plan ########################################################################

test_plan_addresses_cover_every_module_depth if {
	addresses := {address | some address, _ in resources.by_address} with input as _plan
	addresses == {
		"aws_dynamodb_resource_policy.table_policy",
		"aws_dynamodb_table.table",
		"aws_iam_role.reader[0]",
		"aws_iam_role.reader[1]",
		"aws_iam_role.writer",
		"aws_kms_key.table_key",
		"data.aws_iam_policy_document.table_access",
		"module.net.aws_vpc_endpoint.dynamodb",
		"module.net.module.policy[0].aws_vpc_endpoint_policy.this",
		"module.net.module.policy[0].data.aws_iam_policy_document.endpoint",
	}
}

test_plan_resource_shape if {
	table := resources.by_address["aws_dynamodb_table.table"] with input as _plan
	table.type == "aws_dynamodb_table"
	table.name == "table"
	table.mode == "managed"
	table.path == ""
	table.values.name == "orders"
	table.values.server_side_encryption == [{"enabled": true}]
	resources.all_references(table) == {"server_side_encryption": ["aws_kms_key.table_key"]} with input as _plan
}

test_plan_unknown_includes_nested_unknowns if {
	table := resources.by_address["aws_dynamodb_table.table"] with input as _plan
	table.unknown.arn
	table.unknown.server_side_encryption
	not table.unknown.attribute
	not table.unknown.billing_mode
}

test_plan_deleted_resource_is_ignored if {
	not resources.by_address["aws_dynamodb_table.old"] with input as _plan
}

test_plan_deleted_resource_in_planned_values_is_ignored if {
	plan := object.union(_root_plan([_bucket("aws_s3_bucket.b", {})]), {
		"resource_changes": [{"address": "aws_s3_bucket.b", "change": {"actions": ["delete"]}}],
	})
	count(resources.by_address) == 0 with input as _doc(plan)
}

# The deposed object's delete shares the address; the current object's create
# is the change that describes the planned values.
test_plan_deposed_change_does_not_hide_resource if {
	key := resources.by_address["aws_kms_key.table_key"] with input as _plan
	key.unknown.key_id
}

test_plan_data_source if {
	doc := resources.by_address["data.aws_iam_policy_document.table_access"] with input as _plan
	doc.mode == "data"
	resources.all_references(doc) == {"statement": ["aws_dynamodb_table.table"]} with input as _plan
	doc.unknown.json
}

test_plan_variable_and_local_references_are_dropped if {
	key := resources.by_address["aws_kms_key.table_key"] with input as _plan
	resources.all_references(key) == {} with input as _plan
	endpoint := resources.by_address["module.net.aws_vpc_endpoint.dynamodb"] with input as _plan
	resources.all_references(endpoint) == {} with input as _plan
}

test_plan_module_references_are_prefixed if {
	policy := resources.by_address["module.net.module.policy[0].aws_vpc_endpoint_policy.this"] with input as _plan
	resources.all_references(policy) == {"policy": ["module.net.module.policy.data.aws_iam_policy_document.endpoint"]} with input as _plan
}

test_plan_resolve_module_instance if {
	policy := resources.by_address["module.net.module.policy[0].aws_vpc_endpoint_policy.this"] with input as _plan
	sources := resources.resolve(policy, "policy") with input as _plan
	{source.address | some source in sources} == {"module.net.module.policy[0].data.aws_iam_policy_document.endpoint"}
}

test_plan_resolve_counted_resource_gives_every_instance if {
	writer := resources.by_address["aws_iam_role.writer"] with input as _plan
	resources.references(writer, "tags") == ["aws_iam_role.reader"] with input as _plan
	readers := resources.resolve(writer, "tags") with input as _plan
	{reader.address | some reader in readers} == {"aws_iam_role.reader[0]", "aws_iam_role.reader[1]"}
}

test_plan_of_type_counts_instances if {
	count(resources.of_type("aws_iam_role")) == 3 with input as _plan
	count(resources.data_of_type("aws_iam_policy_document")) == 2 with input as _plan
}

# Values that happen to hold "child_modules" or "resources" keys must not be
# read as modules.
test_plan_values_are_not_modules if {
	fake := {"child_modules": [{"resources": [_bucket("aws_s3_bucket.fake", {})]}]}
	plan := _root_plan([_bucket("aws_s3_bucket.b", fake)])
	{address | some address, _ in resources.by_address} == {"aws_s3_bucket.b"} with input as _doc(plan)
}

test_plan_for_each_module_key_is_not_a_module_segment if {
	plan := {
		"format_version": "1.2",
		"planned_values": {"root_module": {"child_modules": [{
			"address": `module.net["module.fake"]`,
			"resources": [_bucket(`module.net["module.fake"].aws_s3_bucket.b`, {})],
		}]}},
		"configuration": {"root_module": {"module_calls": {"net": {"module": {"resources": [{
			"address": "aws_s3_bucket.b",
			"expressions": {"bucket": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}},
		}]}}}}},
	}
	bucket := resources.by_address["module.net[\"module.fake\"].aws_s3_bucket.b"] with input as _doc(plan)
	resources.all_references(bucket) == {"bucket": ["module.net.aws_kms_key.k"]} with input as _doc(plan)
	bucket.unknown == {}
}

test_plan_without_configuration_has_no_refs if {
	plan := _root_plan([_bucket("aws_s3_bucket.b", null)])
	bucket := resources.by_address["aws_s3_bucket.b"] with input as _doc(plan)
	resources.all_references(bucket) == {} with input as _doc(plan)
	bucket.values == {}
}

## Blocks ######################################################################

_with_values(values) := {"address": "aws_x.y", "values": values, "unknown": {"a": true}, "refs": {}}

test_blocks_from_a_cdktf_object if {
	resources.blocks(_with_values({"sse": {"enabled": true}}), "sse") == [{"enabled": true}]
}

test_blocks_from_a_plan_list if {
	resources.blocks(_with_values({"sse": [{"enabled": true}, "junk"]}), "sse") == [{"enabled": true}]
}

test_blocks_absent_or_null if {
	resources.blocks(_with_values({}), "sse") == []
	resources.blocks(_with_values({"sse": null}), "sse") == []
}

test_unknown_attribute if {
	resources.unknown(_with_values({}), "a")
	not resources.unknown(_with_values({}), "b")
}

test_references_type if {
	table := resources.by_address["aws_dynamodb_table.table"] with input as _cdktf
	resources.references_type(table, "server_side_encryption", "aws_kms_key") with input as _cdktf
	not resources.references_type(table, "server_side_encryption", "aws_sns_topic") with input as _cdktf
}

## Plans as Terraform writes them #############################################

_shapes := _doc(data.lib.testdata.plan_shapes)

test_shapes_for_each_instances_modules_at_depth_and_moves if {
	addresses := {address | some address, _ in resources.by_address} with input as _shapes
	addresses == {
		`aws_dynamodb_table.orders["eu"]`,
		`aws_dynamodb_table.orders["us"]`,
		"aws_dynamodb_table.renamed",
		`module.data["x"].module.inner.module.leaf.aws_kms_key.k[0]`,
		"aws_iam_role.app",
		"aws_iam_role_policy.app_data",
		"data.aws_caller_identity.current",
	}
}

test_shapes_a_deposed_object_does_not_replace_the_current_one if {
	table := resources.by_address["aws_dynamodb_table.orders[\"eu\"]"] with input as _shapes
	table.values.name == "Orders-eu"
}

test_shapes_an_unknown_deep_in_a_block_marks_the_attribute_unknown if {
	table := resources.by_address["aws_dynamodb_table.orders[\"us\"]"] with input as _shapes
	resources.unknown(table, "server_side_encryption")
	not resources.unknown(table, "deletion_protection_enabled")
}

test_shapes_references_of_a_for_each_resource if {
	table := resources.by_address["aws_dynamodb_table.orders[\"us\"]"] with input as _shapes
	resources.all_references(table) == {"server_side_encryption": ["aws_kms_key.rotated"]} with input as _shapes
}

test_unsupported_plan_version_is_refused if {
	resources.format == "unknown" with input as _doc({"format_version": "9.0", "planned_values": {}})
	resources.unsupported_plan_version == "9.0" with input as _doc({"format_version": "9.0", "planned_values": {}})
	resources.format == "unknown" with input as _doc({"format_version": "10", "planned_values": {}})
	resources.format == "plan" with input as _doc({"format_version": "0.1", "planned_values": {}})
	resources.format == "plan" with input as _doc({"format_version": "1", "planned_values": {}})
	not resources.unsupported_plan_version with input as _doc({"format_version": "1.2", "planned_values": {}})
}

test_config_address_drops_instance_keys if {
	resources.config_address(`module.a["x"].module.b[0]`, {"mode": "managed", "type": "aws_s3_bucket", "name": "c"}) == "module.a.module.b.aws_s3_bucket.c"
	resources.config_address("", {"mode": "data", "type": "aws_iam_policy_document", "name": "d"}) == "data.aws_iam_policy_document.d"
}

## A plan joined with its synthesized configuration ############################

_first_plan := {
	"format_version": "1.2",
	"planned_values": {"root_module": {
		"resources": [
			{"address": "aws_dynamodb_table.t", "mode": "managed", "type": "aws_dynamodb_table", "name": "t", "values": {"billing_mode": "PAY_PER_REQUEST", "server_side_encryption": [{"enabled": true}]}},
			{"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "values": {"description": "from the plan"}},
		],
		"child_modules": [{"address": "module.m", "resources": [{"address": "module.m.aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "values": {}}]}],
	}},
	"resource_changes": [
		{"address": "aws_dynamodb_table.t", "mode": "managed", "type": "aws_dynamodb_table", "name": "t", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"arn": true, "name": true, "server_side_encryption": [{"kms_key_arn": true}]}}},
		{"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"arn": true, "policy": true}}},
		{"address": "module.m.aws_kms_key.k", "module_address": "module.m", "mode": "managed", "type": "aws_kms_key", "name": "k", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"policy": true}}},
	],
}

_configuration := {"resource": {
	"aws_dynamodb_table": {"t": {"name": "Configured", "server_side_encryption": {"enabled": true, "kms_key_arn": "${aws_kms_key.k.arn}"}}},
	"aws_kms_key": {"k": {"description": "from the configuration", "policy": "{\"Statement\":[]}"}},
}}

_joined := {"stack": "orders", "document": _first_plan, "configuration": _configuration, "context": {}}

test_join_takes_unknown_attributes_from_the_configuration if {
	table := resources.by_address["aws_dynamodb_table.t"] with input as _joined
	table.values.server_side_encryption == {"enabled": true, "kms_key_arn": "${aws_kms_key.k.arn}"}
	resources.references(table, "server_side_encryption") == ["aws_kms_key.k"] with input as _joined
	not resources.unknown(table, "server_side_encryption")
	resources.references_type(table, "server_side_encryption", "aws_kms_key") with input as _joined
}

test_join_keeps_what_the_plan_knows_and_what_nobody_knows if {
	table := resources.by_address["aws_dynamodb_table.t"] with input as _joined
	table.values.name == "Configured" # unknown in the plan (after_unknown.name), so configured

	key := resources.by_address["aws_kms_key.k"] with input as _joined
	key.values.description == "from the plan"
	key.values.policy == "{\"Statement\":[]}"
	resources.unknown(key, "arn") # computed: in no configuration
}

test_join_leaves_child_modules_alone if {
	key := resources.by_address["module.m.aws_kms_key.k"] with input as _joined
	resources.unknown(key, "policy")
}

test_without_configuration_unknowns_stay_unknown if {
	table := resources.by_address["aws_dynamodb_table.t"] with input as _doc(_first_plan)
	resources.unknown(table, "server_side_encryption")
	resources.unknown(table, "name")
	not table.values.name
}
