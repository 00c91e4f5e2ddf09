# METADATA
# title: Tests for guardrails.main
# description: The entrypoint fails closed on input it cannot read.
package guardrails.main_test

import data.guardrails.main

test_unknown_input_is_a_violation if {
	main.violations == {{
		"rule": "GR-INPUT-001",
		"severity": "critical",
		"address": "",
		"stack": "orders",
		"message": "input is neither a cdk.tf.json nor a terraform show -json plan",
	}} with input as {"stack": "orders", "document": {"hello": "world"}, "context": {}}
}

test_missing_stack_is_reported_as_empty if {
	some violation in main.violations with input as {}
	violation.stack == ""
}

test_cdktf_input_has_no_input_violation if {
	count(main.violations) == 0 with input as {"stack": "orders", "document": data.lib.testdata.cdktf_table}
}

test_plan_input_has_no_input_violation if {
	count(main.violations) == 0 with input as {"stack": "orders", "document": data.lib.testdata.plan_modules}
}
