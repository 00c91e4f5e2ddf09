# METADATA
# title: Tests for GR-CHG-003
# description: >-
#   Fixtures in testdata/resource_policy_removed, written from Terraform's
#   documented JSON plan format: positive (a table's policy deleted while the
#   table stays), negative (deleted with its table, replaced, updated).
package guardrails.rules.changes.resource_policy_removed_test

import data.guardrails.rules.changes.resource_policy_removed

_fixtures := data.rules.changes.testdata.resource_policy_removed

_findings(document) := findings if {
	findings := resource_policy_removed.findings with input as {"stack": "prod", "document": document, "context": {}}
}

test_fires_when_a_remaining_table_loses_its_policy if {
	[finding] := [finding | some finding in _findings(_fixtures.positive)]
	finding.rule == "GR-CHG-003"
	finding.address == "aws_dynamodb_resource_policy.orders"
	contains(finding.message, "deletes the resource policy of aws_dynamodb_table.orders")
	contains(finding.message, "while the table remains")
}

test_quiet_when_the_table_goes_too_or_the_policy_is_put_back if {
	count(_findings(_fixtures.negative)) == 0
}

test_quiet_on_a_synthesized_stack if {
	count(_findings(data.lib.testdata.cdktf_table)) == 0
}
