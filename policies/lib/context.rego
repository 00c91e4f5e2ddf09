# METADATA
# title: Environment context
# description: >-
#   Facts about the environment a stack belongs to, passed by the gate in
#   input.context (from the environment's definition, or from CLI flags for
#   plans of other origins): the AWS Organizations id, the account and the
#   tier. Rules read them here so a missing fact fails closed in one place.
package guardrails.lib.context

# METADATA
# title: Organization id
# description: The configured AWS Organizations id, e.g. "o-a1b2c3d4e5".
organization_id := id if {
	id := input.context.organization_id
	is_string(id)
	id != ""
}

# METADATA
# title: Account id
account_id := id if {
	id := input.context.account_id
	is_string(id)
	id != ""
}

# METADATA
# title: Production
# description: True when the environment's tier is "production".
production if input.context.tier == "production"

# METADATA
# title: Customer-managed key ARNs configured outside the stack
# description: >-
#   KMS key ARNs the environment declares as its own customer-managed keys,
#   for tables encrypted with a key the stack does not create.
external_key_arns contains arn if {
	some arn in input.context.key_arns
	is_string(arn)
}

# METADATA
# title: Backup retention the environment requires
# description: >-
#   The days the environment's locked AWS Backup vault must keep each
#   recovery point at least (its configured backup.lock.minRetentionDays),
#   when the gate knows the environment.
backup_min_retention_days := days if {
	days := input.context.backup_min_retention_days
	is_number(days)
	days > 0
}
