# METADATA
# title: KMS keys keep a deletion window long enough to cancel a mistaken deletion
# description: >-
#   Deleting a key makes everything it encrypted unreadable for good, tables
#   and backups included; the waiting period is the only chance to cancel a
#   mistaken or malicious ScheduleKeyDeletion. At least 7 days everywhere, and
#   30 (the default) in production, where an alert may take days to be acted on.
# custom:
#   id: GR-ENC-003
#   severity: medium
#   practice: "Gap: Protecting your data at rest (customer managed CMK) does not cover the key's deletion window"
package guardrails.rules.encryption.kms_deletion_window

import data.guardrails.lib.context
import data.guardrails.lib.resources
import data.guardrails.lib.result

_attribute := "deletion_window_in_days"

# Unset means the provider's default, 30 days.
_days(key) := object.get(key.values, _attribute, null) if {
	object.get(key.values, _attribute, null) != null
} else := 30

_minimum := 30 if context.production

else := 7

_why := "production keys must stay recoverable for 30 days" if {
	context.production
} else := "KMS requires at least 7 days and a shorter window leaves no time to cancel a mistaken deletion"

findings contains result.finding(rego.metadata.chain(), key.address, concat("", [
	key.address, ": deletion_window_in_days is ", format_int(days, 10), ", below the minimum of ",
	format_int(_minimum, 10), " days (", _why, "); set deletion_window_in_days = ", format_int(_minimum, 10),
	" or more, or leave it unset for the default 30",
])) if {
	some key in resources.of_type("aws_kms_key")
	not resources.unknown(key, _attribute)
	days := _days(key)
	is_number(days)
	days < _minimum
}

findings contains result.finding(rego.metadata.chain(), key.address, concat("", [
	key.address, ": deletion_window_in_days ", json.marshal(days),
	" is not a number the gate can check; set it to a literal number of days, at least ", format_int(_minimum, 10),
])) if {
	some key in resources.of_type("aws_kms_key")
	days := _days(key)
	not is_number(days)
}

findings contains result.cannot_verify(rego.metadata.chain(), key.address, _attribute) if {
	some key in resources.of_type("aws_kms_key")
	resources.unknown(key, _attribute)
}
