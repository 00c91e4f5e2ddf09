# METADATA
# title: Production tables keep the full point-in-time recovery window
# description: >-
#   Point-in-time recovery restores a table to any second of its recovery
#   period, which point_in_time_recovery.recovery_period_in_days sets from 1
#   to 35 days (35 when unset). A production table must keep 35: corruption
#   or a purge noticed after a shorter window cannot be undone, and the price
#   does not depend on the window ("You can configure the recovery period to
#   be between 1 and 35 days", with continuous backups billed on table size:
#   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery_Howitworks.html).
#   Tables with recovery off are GR-DP-001's finding.
# custom:
#   id: GR-DP-004
#   severity: high
#   practice: "Further exploration: continuous backup and point-in-time restore (the 35-day window)"
package guardrails.rules.data_protection.table_pitr_window

import data.guardrails.lib.context
import data.guardrails.lib.resources
import data.guardrails.lib.result

# The tier's minimum: production keeps DynamoDB's longest window. Other tiers choose their own.
_production_minimum := 35

findings contains result.finding(rego.metadata.chain(), table.address, concat("", [
	table.address, ": point-in-time recovery reaches back only ", format_int(days, 10),
	" days (point_in_time_recovery.recovery_period_in_days), below the 35 a production table keeps, ",
	"so damage noticed later cannot be undone; remove recovery_period_in_days or set it to 35 (the price does not depend on it)",
])) if {
	context.production
	some table in resources.of_type("aws_dynamodb_table")
	some block in resources.blocks(table, "point_in_time_recovery")
	block.enabled in {true, "true"}
	_known(block.recovery_period_in_days)
	days := to_number(block.recovery_period_in_days)
	days < _production_minimum
}

# In a plan an unset period is computed (unknown until apply, then 35); a configured one that the
# plan leaves unknown (from a variable or another resource) cannot be verified.
findings contains result.cannot_verify(
	rego.metadata.chain(), table.address,
	"point_in_time_recovery.recovery_period_in_days",
) if {
	context.production
	some table in resources.of_type("aws_dynamodb_table")
	resources.unknown(table, "point_in_time_recovery")
	some block in resources.blocks(table, "point_in_time_recovery")
	block.enabled in {true, "true"}
	not _known(object.get(block, "recovery_period_in_days", null))
	_configured_periods[table.address]
}

_known(days) if is_number(days)

_known(days) if {
	is_string(days)
	is_number(to_number(days))
}

# Root-module tables whose configuration sets recovery_period_in_days, indexed once.
_configured_periods contains resource.address if {
	resources.format == "plan"
	some resource in input.document.configuration.root_module.resources
	resource.type == "aws_dynamodb_table"
	some block in resource.expressions.point_in_time_recovery
	block.recovery_period_in_days
}
