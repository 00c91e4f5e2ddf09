# METADATA
# title: Identity policies do not grant table exports
# description: >-
#   dynamodb:ExportTableToPointInTime copies a whole table, every item and
#   attribute, to an S3 bucket the caller names, where none of the table's
#   controls follow it: not the leading-key and attribute limits, not the
#   resource policy or the VPC endpoint. A role granted it (by name or by a
#   wildcard such as dynamodb:* or dynamodb:Export*) can read everything the
#   fine-grained policies hide. Exports belong to a dedicated pipeline whose
#   output GR-ENC-010 checks, not to team or application roles
#   (AWS: "DynamoDB data export to Amazon S3",
#   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.HowItWorks.html).
# custom:
#   id: GR-FGA-010
#   severity: high
#   practice: "Fine-grained access control: least privilege, without a bulk export that bypasses it"
package guardrails.rules.access.export_grant

import data.guardrails.lib.collections
import data.guardrails.lib.iam
import data.guardrails.lib.result

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": ", concat(", ", sort(labels)),
	" allow dynamodb:ExportTableToPointInTime, which copies whole tables to an S3 bucket the caller chooses, ",
	"past every leading-key, attribute, resource-policy and endpoint restriction; ",
	"remove it (name the actions the role needs instead of a wildcard) and run exports from a dedicated, reviewed pipeline",
])) if {
	some address, labels in _grants
}

_grants[doc.address] contains iam.statement_label(i, statement) if {
	some doc in iam.documents_for("identity")
	some i, statement in doc.statements
	statement.effect == "Allow"
	"ExportTableToPointInTime" in statement.dynamodb_actions
	not _denied_in_document(doc)
}

# A Deny of the export on everything, with no condition, in the same document takes the grant back.
_denied_in_document(doc) if {
	some statement in doc.statements
	iam.statement_denies_action(statement, "dynamodb:ExportTableToPointInTime")
	"*" in statement.resources
	not collections.nonempty(statement.conditions)
}
