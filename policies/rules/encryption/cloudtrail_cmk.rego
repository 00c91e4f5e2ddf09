# METADATA
# title: CloudTrail trails encrypt their log files with a customer-managed key
# description: >-
#   The trail is the record of who did what to the tables and keys. Without
#   kms_key_id its log files get only the bucket's default encryption, so
#   anyone who can read the bucket can read the trail; SSE-KMS with a
#   customer-managed key also requires kms:Decrypt on that key.
# custom:
#   id: GR-ENC-007
#   severity: high
#   practice: "Gap: Protecting your data at rest covers the table, not the CloudTrail log files that record access to it"
package guardrails.rules.encryption.cloudtrail_cmk

import data.guardrails.lib.keys
import data.guardrails.lib.resources
import data.guardrails.lib.result

_attribute := "kms_key_id"

_fix := "set kms_key_id to an aws_kms_key declared in this stack whose policy lets cloudtrail.amazonaws.com use it for this trail"

findings contains result.finding(rego.metadata.chain(), trail.address, concat("", [trail.address, ": ", problem, "; ", _fix])) if {
	some trail in resources.of_type("aws_cloudtrail")
	problem := keys.problem(trail, _attribute, "its log files get only the S3 bucket's default encryption")
}

findings contains result.cannot_verify(rego.metadata.chain(), trail.address, _attribute) if {
	some trail in resources.of_type("aws_cloudtrail")
	keys.unverifiable(trail, _attribute)
}
