# METADATA
# title: Tests for GR-CHG-002
# description: >-
#   Fixtures in testdata/table_key_lost, written from Terraform's documented
#   JSON plan format: positive (a key deleted under a table that names its
#   ARN, a key replaced under a table that references it, a key disabled under
#   a replica, a backup vault's key deleted), negative (a key deleted with its
#   table, an unused key, an unrelated update, a key that was already
#   disabled, a deposed key object).
package guardrails.rules.changes.table_key_lost_test

import data.guardrails.rules.changes.table_key_lost

_fixtures := data.rules.changes.testdata.table_key_lost

_findings(document) := findings if {
	findings := table_key_lost.findings with input as {"stack": "prod", "document": document, "context": {}}
}

_messages(document) := {finding.address: finding.message | some finding in _findings(document)}

test_fires_on_each_key_that_data_depends_on if {
	object.keys(_messages(_fixtures.positive)) == {
		"aws_kms_key.deleted", "aws_kms_key.replaced",
		"aws_kms_key.disabled", "aws_kms_key.vault",
	}
}

test_names_the_users_and_the_consequence if {
	messages := _messages(_fixtures.positive)
	contains(messages["aws_kms_key.deleted"], "the plan deletes this KMS key (Terraform: the resource is no longer in the configuration, delete_because_no_resource_config), which encrypts")
	contains(messages["aws_kms_key.deleted"], "which encrypts aws_dynamodb_table.by_value")
	contains(messages["aws_kms_key.deleted"], "archives a table whose key stays inaccessible for seven days")
	contains(messages["aws_kms_key.replaced"], "replaces this KMS key, destroying it before creating the new one, because customer_master_key_spec changes")
	contains(messages["aws_kms_key.replaced"], "which encrypts aws_dynamodb_table.by_reference")
	contains(messages["aws_kms_key.disabled"], "turns off this KMS key (is_enabled: true -> false), which encrypts aws_dynamodb_table_replica.us")
	contains(messages["aws_kms_key.vault"], "which encrypts aws_backup_vault.locked")
}

test_findings_carry_the_rule_identity if {
	every finding in _findings(_fixtures.positive) {
		finding.rule == "GR-CHG-002"
		finding.severity == "critical"
	}
}

test_quiet_when_no_remaining_data_uses_the_key if {
	count(_findings(_fixtures.negative)) == 0
}

test_quiet_on_a_synthesized_stack if {
	count(_findings(data.lib.testdata.cdktf_table)) == 0
}
