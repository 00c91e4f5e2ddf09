# METADATA
# title: Production tables are backed up into a locked vault with a customer-managed key
# description: >-
#   Point-in-time recovery is deleted with its table, so ransomware or a
#   compromised deploy role with admin rights can take both. Every production
#   table is therefore selected by an AWS Backup plan (aws_backup_selection
#   naming it in resources) whose rule stores recovery points in a vault that
#   is encrypted with a customer-managed key declared in the stack and locked
#   in compliance mode: with changeable_for_days set, once that grace time
#   ends "the vault lock configuration cannot be changed or deleted by any
#   user or by AWS" and recovery points cannot be deleted before their
#   retention ends
#   (https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html).
#   Without changeable_for_days the lock is in governance mode, which anyone
#   allowed backup:DeleteBackupVaultLockConfiguration removes. The lock's
#   min_retention_days and the rule's lifecycle.delete_after are at least the
#   environment's configured retention (backup.lock.minRetentionDays; 35 days,
#   point-in-time recovery's longest window, when the environment is unknown).
# custom:
#   id: GR-DP-003
#   severity: high
#   practice: "Gap: the talk's backups (on-demand and PITR) share the table's fate; a locked vault survives an attacker with admin rights"
package guardrails.rules.data_protection.table_locked_backup

import data.guardrails.lib.collections
import data.guardrails.lib.context
import data.guardrails.lib.keys
import data.guardrails.lib.resources
import data.guardrails.lib.result

_default_retention := 35

_required := days if {
	days := context.backup_min_retention_days
} else := _default_retention

findings contains result.finding(rego.metadata.chain(), table, concat("", [
	table, ": ", concat("; ", problems),
	", so deleting the table with its point-in-time recovery leaves no backup an administrator cannot delete; ",
	"select the table by reference in an aws_backup_selection of an aws_backup_plan whose rule targets an ",
	"aws_backup_vault encrypted with a customer-managed key of this stack and locked by an ",
	"aws_backup_vault_lock_configuration with changeable_for_days (compliance mode) and min_retention_days >= ",
	format_int(_required, 10),
])) if {
	context.production
	some table in _tables
	not _protected(table)
	problems := _problems(table)
}

_tables contains table.address if some table in resources.of_type("aws_dynamodb_table")

## What selects a table ########################################################

# table address -> the selections that name it, by reference or (in a plan) by its known ARN.
_selections_of[table] contains selection.address if {
	some selection in resources.of_type("aws_backup_selection")
	some target in resources.resolve(selection, "resources")
	target.type == "aws_dynamodb_table"
	table := target.address
}

_selections_of[table] contains selection.address if {
	some selection in resources.of_type("aws_backup_selection")
	some arn in object.get(selection.values, "resources", collections.no_list)
	table := object.get(_table_by_arn, arn, null)
	table != null
}

_table_by_arn[arn] := table.address if {
	some table in resources.of_type("aws_dynamodb_table")
	arn := table.values.arn
	is_string(arn)
	startswith(arn, "arn:")
}

_plans_of(selection) := {plan.address |
	some plan in resources.resolve(resources.by_address[selection], "plan_id")
	plan.mode == "managed"
	plan.type == "aws_backup_plan"
}

# A rule names its vault by name: a `${aws_backup_vault.x.name}` token, or the name itself in a plan.
# A plan that leaves the name unknown still records which vault the plan's rules reference.
_rule_vaults(plan, rule) := {vault.address |
	some vault in resources.of_type("aws_backup_vault")
	_names(object.get(rule, "target_vault_name", null), vault)
} | {vault.address |
	not is_string(object.get(rule, "target_vault_name", null))
	some vault in resources.resolve(resources.by_address[plan], "rule")
	vault.mode == "managed"
	vault.type == "aws_backup_vault"
}

_names(value, resource) if {
	is_string(value)
	some attr in ["name", "id"]
	contains(value, concat("", ["${", resource.address, ".", attr, "}"]))
}

_names(value, resource) if {
	is_string(value)
	value == resource.values.name
}

## What protects a vault ######################################################

_locks_of[vault] contains lock.address if {
	some lock in resources.of_type("aws_backup_vault_lock_configuration")
	some vault_resource in resources.of_type("aws_backup_vault")
	_names(object.get(lock.values, "backup_vault_name", null), vault_resource)
	vault := vault_resource.address
}

_locks_of[vault] contains lock.address if {
	some lock in resources.of_type("aws_backup_vault_lock_configuration")
	some vault_resource in resources.resolve(lock, "backup_vault_name")
	vault_resource.type == "aws_backup_vault"
	vault := vault_resource.address
}

_vault_problems(vault) := ({concat("", [
	"vault ", vault, " is not encrypted with a customer-managed key declared in the stack (kms_key_arn)",
]) |
	count(keys.designated_keys(resources.by_address[vault], "kms_key_arn")) == 0
} | {concat("", ["vault ", vault, " has no aws_backup_vault_lock_configuration"]) |
	count(object.get(_locks_of, vault, collections.no_set)) == 0
}) | {problem |
	some lock in object.get(_locks_of, vault, collections.no_set)
	some problem in _lock_problems(lock, vault)
}

# With several locks on one vault (which AWS would collapse to one), the best one counts.
_lock_problems(lock, vault) := {problem |
	values := resources.by_address[lock].values
	some problem in array.concat(
		[concat("", [
			"the lock ", lock, " of vault ", vault, " is in governance mode (no changeable_for_days), ",
			"which anyone allowed backup:DeleteBackupVaultLockConfiguration can remove",
		]) |
			not _number(object.get(values, "changeable_for_days", null))
		],
		[concat("", [
			"the lock ", lock, " of vault ", vault, " lets recovery points go after ",
			_days(object.get(values, "min_retention_days", null)), " (min_retention_days), below the required ",
			format_int(_required, 10),
		]) |
			not _at_least(object.get(values, "min_retention_days", null), _required)
		],
	)
}

_rule_problems(plan, rule, vault) := {concat("", [
	"plan ", plan, " deletes recovery points from vault ", vault, " after ", _days(rule.lifecycle_days),
	" (lifecycle.delete_after), below the required ", format_int(_required, 10),
]) |
	not _at_least(rule.lifecycle_days, _required)
}

# Each rule of a plan with the days it keeps recovery points (null: kept until deleted by hand).
_plan_rules(plan) := [{"block": rule, "lifecycle_days": _delete_after(rule)} |
	some rule in resources.blocks(resources.by_address[plan], "rule")
]

_delete_after(rule) := days if {
	some lifecycle in resources.blocks({"values": rule}, "lifecycle")
	days := lifecycle.delete_after
	days != null
} else := "forever"

_at_least("forever", _)

_at_least(days, required) if {
	_number(days)
	to_number(days) >= required
}

_number(value) if is_number(value)

_number(value) if {
	is_string(value)
	is_number(to_number(value))
}

_days(value) := concat("", [format_int(to_number(value), 10), " days"]) if {
	_number(value)
} else := "no minimum"

## Verdict #####################################################################

# One selection -> plan -> rule -> vault chain without a problem protects the table. A selection
# usually names many tables: its chains are judged once, not once per table.
_chains(table) := [problems |
	some selection in object.get(_selections_of, table, collections.no_set)
	some problems in _selection_chains[selection]
]

_selection_chains[selection] := [problems |
	some plan in _plans_of(selection)
	some rule in _plan_rules(plan)
	some vault in _rule_vaults(plan, rule.block)
	problems := _vault_problems(vault) | _rule_problems(plan, rule, vault)
] if {
	some selection, _ in resources.of_type("aws_backup_selection")
}

_protected_by contains selection if {
	some selection, chains in _selection_chains
	some problems in chains
	count(problems) == 0
}

_protected(table) if {
	some selection in object.get(_selections_of, table, collections.no_set)
	_protected_by[selection]
}

_problems(table) := ["no aws_backup_selection names it in resources (by reference or ARN)"] if {
	count(object.get(_selections_of, table, collections.no_set)) == 0
} else := sort((({problem |
	some selection in object.get(_selections_of, table, collections.no_set)
	count(_plans_of(selection)) == 0
	problem := concat("", ["selection ", selection, " belongs to no aws_backup_plan of this stack (plan_id)"])
} | {problem |
	some selection in object.get(_selections_of, table, collections.no_set)
	some plan in _plans_of(selection)
	count({vault | some rule in _plan_rules(plan); some vault in _rule_vaults(plan, rule.block)}) == 0
	problem := concat("", ["plan ", plan, " has no rule whose target_vault_name is an aws_backup_vault of this stack"])
}) | {problem |
	some problems in _chains(table)
	some problem in problems
}))
