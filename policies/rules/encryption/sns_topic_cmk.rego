# METADATA
# title: SNS topics are encrypted with a customer-managed key
# description: >-
#   The alert topic carries what happened to the tables (who tried to delete
#   which one), and without kms_master_key_id SNS keeps its messages without
#   server-side encryption. The AWS-managed alias/aws/sns key encrypts, but
#   its key policy cannot be restricted, so a customer-managed key keeps the
#   topic's contents under the account's own key policy and CloudTrail.
# custom:
#   id: GR-ENC-005
#   severity: high
#   practice: "Gap: Protecting your data at rest covers the table, not the SNS topic that e-mails its deletion alerts"
package guardrails.rules.encryption.sns_topic_cmk

import data.guardrails.lib.keys
import data.guardrails.lib.resources
import data.guardrails.lib.result

_attribute := "kms_master_key_id"

_fix := "set kms_master_key_id to an aws_kms_key declared in this stack (its arn or an alias of it)"

findings contains result.finding(rego.metadata.chain(), topic.address, concat("", [topic.address, ": ", problem, "; ", _fix])) if {
	some topic in resources.of_type("aws_sns_topic")
	problem := keys.problem(topic, _attribute, "SNS stores the topic's messages without server-side encryption")
}

findings contains result.cannot_verify(rego.metadata.chain(), topic.address, _attribute) if {
	some topic in resources.of_type("aws_sns_topic")
	keys.unverifiable(topic, _attribute)
}
