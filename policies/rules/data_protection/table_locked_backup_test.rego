# METADATA
# title: Tests for GR-DP-003
# description: >-
#   Fixtures in testdata/table_locked_backup: positive (a table no selection names; a vault locked
#   in governance mode; a lock and a plan keeping 7 days; a vault with the AWS-managed key; a vault
#   without a lock; a selection without a plan; a plan targeting a vault the stack does not
#   declare), negative (a plan with a loose rule and a locked one, a key through an alias, a plan
#   that never deletes). plan_positive and plan_negative are them rendered by tests/support/plan.ts
#   in the documented `terraform show -json` format (format_version 1.2); plan_negative's selections
#   list the tables' ARNs as constants.
package guardrails.rules.data_protection.table_locked_backup_test

import data.guardrails.rules.data_protection.table_locked_backup

_fixtures := data.rules.data_protection.testdata.table_locked_backup

_context(tier) := {"organization_id": "o-a1b2c3d4e5", "tier": tier}

_by_address(document, context) := {finding.address: finding.message |
	some finding in table_locked_backup.findings with input as {"stack": "prod", "document": document, "context": context}
}

_positive_addresses := {
	"aws_dynamodb_table.unselected", "aws_dynamodb_table.governance", "aws_dynamodb_table.short",
	"aws_dynamodb_table.aws_key", "aws_dynamodb_table.no_lock", "aws_dynamodb_table.orphan",
	"aws_dynamodb_table.no_vault",
}

_check_positive(messages) if {
	object.keys(messages) == _positive_addresses
	contains(messages["aws_dynamodb_table.unselected"], "aws_dynamodb_table.unselected: no aws_backup_selection names it in resources")
	contains(messages["aws_dynamodb_table.governance"], "the lock aws_backup_vault_lock_configuration.governance of vault aws_backup_vault.governance is in governance mode (no changeable_for_days)")
	contains(messages["aws_dynamodb_table.short"], "lets recovery points go after 7 days (min_retention_days), below the required 35")
	contains(messages["aws_dynamodb_table.short"], "plan aws_backup_plan.short deletes recovery points from vault aws_backup_vault.short after 7 days (lifecycle.delete_after)")
	contains(messages["aws_dynamodb_table.aws_key"], "vault aws_backup_vault.aws_key is not encrypted with a customer-managed key declared in the stack")
	contains(messages["aws_dynamodb_table.no_lock"], "vault aws_backup_vault.no_lock has no aws_backup_vault_lock_configuration")
	contains(messages["aws_dynamodb_table.orphan"], "selection aws_backup_selection.orphan belongs to no aws_backup_plan of this stack")
	contains(messages["aws_dynamodb_table.no_vault"], "plan aws_backup_plan.no_vault has no rule whose target_vault_name is an aws_backup_vault of this stack")
	every message in messages {
		endswith(message, "aws_backup_vault_lock_configuration with changeable_for_days (compliance mode) and min_retention_days >= 35")
	}
}

test_fires_on_every_production_table_without_a_locked_backup if {
	_check_positive(_by_address(_fixtures.positive, _context("production")))
}

test_the_plan_gives_the_same_verdict if {
	_check_positive(_by_address(_fixtures.plan_positive, _context("production")))
}

test_findings_carry_the_rule_identity if {
	findings := table_locked_backup.findings with input as {"stack": "prod", "document": _fixtures.positive, "context": _context("production")}
	count(findings) == 7
	every finding in findings {
		finding.rule == "GR-DP-003"
		finding.severity == "high"
	}
}

test_quiet_outside_production if {
	count(_by_address(_fixtures.positive, _context("staging"))) == 0
}

test_quiet_when_one_chain_is_locked if {
	count(_by_address(_fixtures.negative, _context("production"))) == 0
	count(_by_address(_fixtures.plan_negative, _context("production"))) == 0
}

test_the_configured_retention_is_required if {
	context := object.union(_context("production"), {"backup_min_retention_days": 90})
	messages := _by_address(_fixtures.negative, context)
	object.keys(messages) == {"aws_dynamodb_table.orders", "aws_dynamodb_table.customers"}
	contains(messages["aws_dynamodb_table.orders"], "lets recovery points go after 35 days (min_retention_days), below the required 90")
	contains(messages["aws_dynamodb_table.orders"], "min_retention_days >= 90")
}

test_a_lock_without_a_minimum if {
	document := json.patch(_fixtures.negative, [{"op": "remove", "path": "/resource/aws_backup_vault_lock_configuration/locked/min_retention_days"}])
	messages := _by_address(document, _context("production"))
	contains(messages["aws_dynamodb_table.orders"], "lets recovery points go after no minimum (min_retention_days)")
}

test_quiet_on_a_first_apply_that_leaves_names_and_arns_unknown if {
	count(_by_address(_fixtures.plan_first_apply, _context("production"))) == 0
}
