# METADATA
# title: Tests for GR-FGA-006
# description: >-
#   Positive (violating) and negative (compliant) fixtures in testdata/trust_policy_principals. The
#   plan fixture is hand-written and follows the documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.access.trust_policy_principals_test

import data.guardrails.rules.access.trust_policy_principals

_input(document) := {"stack": "dev", "document": document, "context": {
	"organization_id": "o-a1b2c3d4e5",
	"account_id": "111122223333",
}}

_fixtures := data.rules.access.testdata.trust_policy_principals

_by_address(document) := {finding.address: finding.message |
	some finding in trust_policy_principals.findings with input as _input(document)
}

test_fires_on_every_way_of_trusting_anyone if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_iam_role.star"], "statement \"Anyone\" allows every AWS principal")
	contains(messages["aws_iam_role.aws_star"], "statement 1 allows every AWS principal")
	contains(messages["aws_iam_role.aws_star"], "whatever its conditions")
	contains(messages["aws_iam_role.aws_list_star"], "allows every AWS principal")
	contains(messages["aws_iam_role.federated_star"], "allows Principal {\"Federated\": \"*\"}")
	contains(messages["aws_iam_role.not_principal"], "uses NotPrincipal")
	contains(messages["aws_iam_role.from_data_source"], "allows every AWS principal")
	count(messages) == 10
}

test_fires_on_other_accounts_without_organization_or_external_id if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_iam_role.foreign_root"], "lets principals of another account assume the role without requiring aws:PrincipalOrgID \"o-a1b2c3d4e5\" or sts:ExternalId (statement \"Partner\" trusts arn:aws:iam::999999999999:root, the whole account")
	contains(messages["aws_iam_role.foreign_account_id"], "statement 1 trusts 999999999999, the whole account")
	not contains(messages["aws_iam_role.foreign_account_id"], "Alice")
	contains(messages["aws_iam_role.foreign_role_weak_conditions"], "trusts arn:aws:iam::999999999999:role/Deployer)")
	contains(messages["aws_iam_role.foreign_other_organization"], "trusts arn:aws:sts::999999999999:assumed-role/Deployer/session)")
	contains(messages["aws_iam_role.foreign_root"], "or {\"sts:ExternalId\": <the id agreed with that account>}")
	not contains(messages["aws_iam_role.foreign_root"], "whatever its conditions")
}

test_fires_on_a_foreign_account_in_a_plan if {
	message := _by_address(_fixtures.plan_positive)["aws_iam_role.partner"]
	contains(message, "statement \"Partner\" trusts arn:aws:iam::999999999999:root")
}

test_foreign_accounts_need_the_account_id if {
	findings := trust_policy_principals.findings with input as {"stack": "dev", "document": _fixtures.positive, "context": {"organization_id": "o-a1b2c3d4e5"}}
	not "aws_iam_role.foreign_root" in {finding.address | some finding in findings}
}

test_findings_name_the_fix if {
	some finding in trust_policy_principals.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-FGA-006"
	finding.severity == "critical"
	contains(finding.message, "the IAM user or role ARNs the environment config lists")
}

test_quiet_on_named_principals_services_and_denies if {
	count(trust_policy_principals.findings) == 0 with input as _input(_fixtures.negative)
}

test_fires_on_a_plan if {
	messages := _by_address(_fixtures.plan_positive)
	contains(messages["aws_iam_role.books"], "statement \"NamedPrincipalsOfThisOrganizationAssume\" allows every AWS principal")
	count(messages) == 2
	count(trust_policy_principals.findings) == 0 with input as _input(_fixtures.plan_negative)
}
