# METADATA
# title: Resource policies open to everyone admit only the organization
# description: >-
#   A resource policy statement that allows Principal "*" lets any AWS
#   account in, unless a condition narrows it. Requiring
#   aws:PrincipalOrgID to be the environment's organization keeps tables,
#   topics, queues and buckets to the organization's own principals. KMS key
#   policies (GR-ENC-004) and VPC endpoint policies (GR-NET-002) have rules
#   of their own, and DynamoDB resource policy statements that Block Public
#   Access would refuse are GR-NET-007's.
# custom:
#   id: GR-NET-005
#   severity: critical
#   practice: "Limiting network access: only my organization (aws:PrincipalOrgID), applied to every resource policy"
package guardrails.rules.network.resource_policy_org_scope

import data.guardrails.lib.context
import data.guardrails.lib.iam
import data.guardrails.lib.network
import data.guardrails.lib.public_access
import data.guardrails.lib.resources
import data.guardrails.lib.result

_owned_elsewhere := {"aws_kms_key", "aws_kms_key_policy", "aws_vpc_endpoint", "aws_vpc_endpoint_policy"}

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": ", concat(", ", sort(labels)),
	" allow any principal without requiring aws:PrincipalOrgID \"", context.organization_id, "\"; ",
	"name the principals, or add \"StringEquals\": {\"aws:PrincipalOrgID\": \"", context.organization_id, "\"}",
])) if {
	some address, labels in _violations
}

# Without an organization id GR-INPUT-003 reports the stack; nothing to compare with here.
_violations[doc.address] contains iam.statement_label(i, statement) if {
	organization := context.organization_id
	some doc in iam.documents_for("resource")
	not resources.by_address[doc.address].type in _owned_elsewhere
	some i, statement in doc.statements
	statement.effect == "Allow"
	network.any_principal(statement)
	not network.requires_organization(statement, {"StringEquals"}, organization)
	not _judged_by_block_public_access(doc, statement)
}

# A DynamoDB resource policy statement that Block Public Access refuses is GR-NET-007's.
_judged_by_block_public_access(doc, statement) if {
	public_access.dynamodb_policy(doc)
	public_access.public(statement)
}
