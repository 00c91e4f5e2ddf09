# METADATA
# title: DynamoDB resource policies pass Block Public Access
# description: >-
#   DynamoDB's Block Public Access refuses, at apply time, a resource policy
#   that grants public access: an Allow for Principal "*" (or {"AWS": "*"},
#   or a NotPrincipal) that no trusted condition key narrows
#   (aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgID,
#   aws:PrincipalOrgPaths, aws:SourceAccount, aws:SourceArn, aws:SourceVpc,
#   aws:SourceVpce, aws:UserId, aws:PrincipalServiceName,
#   aws:PrincipalServiceNamesList, aws:PrincipalIsAWSService = true,
#   aws:Ec2InstanceSourceVpc, aws:SourceOrgID, aws:SourceOrgPaths) with fixed
#   values: a wildcard or a policy variable in them makes the policy public
#   again (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-bpa-rbp.html).
#   Judging it the same way here fails the pull request instead of the
#   apply, which would stop halfway through a deployment. A narrowed policy
#   that still admits other accounts is GR-NET-005's.
# custom:
#   id: GR-NET-007
#   severity: critical
#   practice: "Gap: resource-based policies for DynamoDB (newer than the talk), judged as DynamoDB Block Public Access judges them"
package guardrails.rules.network.block_public_access

import data.guardrails.lib.iam
import data.guardrails.lib.public_access
import data.guardrails.lib.result

findings contains result.finding(rego.metadata.chain(), doc.address, concat("", [
	doc.address, ": ", concat("; ", sort(problems)),
	", so DynamoDB Block Public Access refuses the policy when it is applied (PutResourcePolicy fails); ",
	"name the principals, or narrow each statement with a trusted condition key and fixed values, ",
	"e.g. \"StringEquals\": {\"aws:PrincipalOrgID\": <the organization id>}",
])) if {
	some doc in iam.documents_for("resource")
	public_access.dynamodb_policy(doc)
	problems := {_problem(i, statement) |
		some i, statement in doc.statements
		public_access.public(statement)
	}
	count(problems) > 0
}

_problem(i, statement) := concat("", [
	iam.statement_label(i, statement), " allows any principal and its trusted condition keys (",
	concat(", ", sort(loose)), ") hold a wildcard or a policy variable or do not narrow (negated, IfExists or ForAllValues)",
]) if {
	loose := public_access.loose_trusted_keys(statement)
	count(loose) > 0
} else := concat("", [
	iam.statement_label(i, statement), " allows any principal without a trusted condition key",
])
