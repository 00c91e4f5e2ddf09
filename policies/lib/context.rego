# METADATA
# title: Environment context
# description: >-
#   Facts about the environment a stack belongs to, passed by the gate in
#   input.context (from the environment's definition, or from CLI flags for
#   plans of other origins): the AWS Organizations id, the account and the
#   tier. Rules read them here so a missing fact fails closed in one place.
package guardrails.lib.context

import data.guardrails.lib.collections

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
# title: Trusted keys kept outside the stack
# description: >-
#   KMS keys the environment trusts as customer-managed although the stack
#   does not declare them (e.g. kept in a central security account): key
#   ARNs, alias ARNs or alias names, from the environment's trustedKeys and
#   the CLI's --trusted-key, and key ARNs from --key-arn (context key_arns).
trusted_keys contains key if {
	some field in ["key_arns", "trusted_keys"]
	some key in object.get(input.context, field, collections.no_list)
	is_string(key)
	key != ""
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
