# METADATA
# title: CloudWatch log groups are encrypted with a customer-managed key
# description: >-
#   The alert function's logs repeat the events it handles: principals, table
#   names and errors. Without kms_key_id CloudWatch Logs encrypts them with a
#   key it owns, which the account can neither restrict nor audit; a
#   customer-managed key puts reading them under the key policy too.
# custom:
#   id: GR-ENC-006
#   severity: medium
#   practice: "Gap: Protecting your data at rest covers the table, not the logs of the function that processes its events"
package guardrails.rules.encryption.log_group_cmk

import data.guardrails.lib.keys
import data.guardrails.lib.resources
import data.guardrails.lib.result

_attribute := "kms_key_id"

_fix := "set kms_key_id to the arn of an aws_kms_key declared in this stack whose policy lets logs.<region>.amazonaws.com use it"

findings contains result.finding(rego.metadata.chain(), group.address, concat("", [group.address, ": ", problem, "; ", _fix])) if {
	some group in resources.of_type("aws_cloudwatch_log_group")
	problem := keys.problem(group, _attribute, "CloudWatch Logs encrypts the log group with a key it owns")
}

findings contains result.cannot_verify(rego.metadata.chain(), group.address, _attribute) if {
	some group in resources.of_type("aws_cloudwatch_log_group")
	keys.unverifiable(group, _attribute)
}
