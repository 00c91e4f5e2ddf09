# METADATA
# title: KMS key policies limit any-principal grants to the organization or to the account through an AWS service
# description: >-
#   A key policy is the only thing that decides who may use a key: an Allow
#   for every principal with no condition lets any AWS account decrypt what
#   the key protects. Such a statement must require the organization
#   (StringEquals aws:PrincipalOrgID) or the account's own callers through an
#   AWS service (kms:CallerAccount and kms:ViaService), as DynamoDB's key
#   policy examples do.
# custom:
#   id: GR-ENC-004
#   severity: critical
#   practice: "Protecting your data at rest: AWS KMS & DynamoDB permissions (the CMK used only through DynamoDB), only my organization (aws:PrincipalOrgID)"
package guardrails.rules.encryption.kms_key_policy

import data.guardrails.lib.collections
import data.guardrails.lib.context
import data.guardrails.lib.iam
import data.guardrails.lib.network
import data.guardrails.lib.resources
import data.guardrails.lib.result

_key_policy_types := {"aws_kms_key", "aws_kms_key_policy"}

# Set qualifiers a single-valued key can carry safely (see network.requires_organization).
_safe_qualifiers := {"", "ForAnyValue"}

findings contains result.finding(rego.metadata.chain(), doc.address, concat("", [
	doc.address, ": key policy ", iam.statement_label(i, statement),
	" allows any principal without limiting it to organization ", context.organization_id,
	" or to account ", _account, " through an AWS service; add StringEquals aws:PrincipalOrgID = ",
	context.organization_id, ", or both StringEquals kms:CallerAccount = ", _account,
	" and kms:ViaService, or name the principals",
])) if {
	context.organization_id
	some doc in iam.documents
	doc.attribute == "policy"
	resources.by_address[doc.address].type in _key_policy_types
	some i, statement in doc.statements
	statement.effect == "Allow"
	network.any_principal(statement)
	not _scoped(statement)
}

_account := context.account_id if context.account_id

else := "<the environment's account id, unknown: pass --account-id>"

_scoped(statement) if network.requires_organization(statement, {"StringEquals"}, context.organization_id)

_scoped(statement) if {
	_requires_caller_account(statement)
	_requires_via_service(statement)
}

_requires_caller_account(statement) if {
	some condition in statement.conditions
	condition.key == "kms:calleraccount"
	condition.operator == "StringEquals"
	not condition.if_exists
	condition.qualifier in _safe_qualifiers
	collections.nonempty(condition.values)
	every value in condition.values {
		value == context.account_id
	}
}

_requires_via_service(statement) if {
	some condition in statement.conditions
	condition.key == "kms:viaservice"
	condition.operator in {"StringEquals", "StringLike"}
	not condition.if_exists
	condition.qualifier in _safe_qualifiers
	collections.nonempty(condition.values)
	not "*" in condition.values
}
