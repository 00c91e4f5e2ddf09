# METADATA
# title: Tests for the input rules
# description: Unknown formats, unreadable policies and missing context fail closed.
package guardrails.rules.input_test

import data.guardrails.rules.input.missing_context
import data.guardrails.rules.input.unknown_format
import data.guardrails.rules.input.unreadable_policy

_context := {"organization_id": "o-a1b2c3d4e5"}

test_unknown_format_fires_on_other_json if {
	some finding in unknown_format.findings with input as {"stack": "dev", "document": {"hello": "world"}, "context": _context}
	finding.rule == "GR-INPUT-001"
	finding.severity == "critical"
	finding.stack == "dev"
}

test_unknown_format_fires_on_a_state_file if {
	count(unknown_format.findings) == 1 with input as {"document": {"format_version": "1.0", "values": {}}}
}

test_unknown_format_fires_on_each_module_call_of_a_cdktf_stack if {
	doc := {"resource": {}, "module": {"tables": {"source": "terraform-aws-modules/dynamodb-table/aws"}}}
	findings := unknown_format.findings with input as {"stack": "dev", "document": doc, "context": _context}
	[finding] := [f | some f in findings]
	finding.rule == "GR-INPUT-001"
	finding.address == "module.tables"
	contains(finding.message, "gate the plan instead")
}

test_unknown_format_reads_module_calls_in_every_json_form if {
	doc := {"resource": {}, "module": [{"a": {"source": "./a"}}, {"b": [{"source": "./b"}]}]}
	findings := unknown_format.findings with input as {"stack": "dev", "document": doc, "context": _context}
	{f.address | some f in findings} == {"module.a", "module.b"}
}

# A plan shows a module's resources (planned_values.root_module.child_modules): nothing is hidden.
test_unknown_format_quiet_on_a_plan_with_module_calls if {
	doc := {
		"format_version": "1.2",
		"planned_values": {"root_module": {"child_modules": [{"address": "module.tables", "resources": []}]}},
		"configuration": {"root_module": {"module_calls": {"tables": {"source": "./tables"}}}},
	}
	count(unknown_format.findings) == 0 with input as {"stack": "dev", "document": doc, "context": _context}
}

test_unknown_format_quiet_on_cdktf_and_plan if {
	count(unknown_format.findings) == 0 with input as {"document": {"resource": {}}}
	count(unknown_format.findings) == 0 with input as {"document": {"format_version": "1.2", "planned_values": {}}}
}

test_unreadable_policy_fires_with_the_reason if {
	findings := unreadable_policy.findings with input as {"stack": "dev", "context": _context, "document": {"resource": {
		"aws_iam_role": {"r": {"assume_role_policy": "{not json"}},
		"aws_sns_topic_policy": {"t": {"arn": "x", "policy": "${jsonencode({Statement = []})}"}},
	}}}
	messages := {finding.address: finding.message | some finding in findings}
	contains(messages["aws_iam_role.r"], "assume_role_policy is not valid JSON")
	contains(messages["aws_sns_topic_policy.t"], "only Terraform can evaluate")
}

test_unreadable_policy_fires_on_unknown_plan_values if {
	some finding in unreadable_policy.findings with input as {"context": _context, "document": {
		"format_version": "1.2",
		"planned_values": {"root_module": {"resources": [{
			"address": "aws_sns_topic_policy.t", "mode": "managed", "type": "aws_sns_topic_policy", "name": "t",
			"values": {"arn": "arn:aws:sns:us-east-1:111122223333:t"},
		}]}},
		"resource_changes": [{
			"address": "aws_sns_topic_policy.t", "mode": "managed", "type": "aws_sns_topic_policy", "name": "t",
			"change": {"actions": ["create"], "after": {"arn": "arn:aws:sns:us-east-1:111122223333:t"}, "after_unknown": {"policy": true}},
		}],
	}}
	contains(finding.message, "unknown until apply")
}

test_unreadable_policy_quiet_on_json_strings if {
	count(unreadable_policy.findings) == 0 with input as {"context": _context, "document": {"resource": {
		"aws_iam_role": {"r": {"assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}},
	}}}
}

test_missing_context_fires_without_organization if {
	some finding in missing_context.findings with input as {"stack": "qa", "document": {"resource": {}}, "context": {}}
	contains(finding.message, "no organization id for stack \"qa\"")
}

test_missing_context_quiet_with_organization_or_unknown_format if {
	count(missing_context.findings) == 0 with input as {"document": {"resource": {}}, "context": _context}
	count(missing_context.findings) == 0 with input as {"document": {}}
}
