# METADATA
# title: Tests for GR-FGA-008
# description: >-
#   Positive (iam:* on "*", Action "*", NotAction, policy versions on a wildcard,
#   a role editing its own policy, trust rewrites, PassRole on any role with
#   compute, in one document or across a role's documents, credentials for other
#   users) and negative (named roles, a permissions boundary, iam:PolicyARN,
#   PassRole to a named role or to another service, S3 and managed-policy
#   resources, read-only IAM, a Deny of iam:*, the caller's own keys) fixtures in
#   testdata/privilege_escalation. The plan fixtures are hand-written and follow
#   the documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.access.privilege_escalation_test

import data.guardrails.rules.access.privilege_escalation

_input(document) := {"stack": "dev", "document": document, "context": {
	"organization_id": "o-a1b2c3d4e5",
	"account_id": "111122223333",
}}

_fixtures := data.rules.access.testdata.privilege_escalation

_by_address(document) := {finding.address: finding.message |
	some finding in privilege_escalation.findings with input as _input(document)
}

test_fires_on_every_escalation_path if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_iam_policy.iam_star"], "statement \"IamEverything\" grants every IAM permissions-management action (iam:*) on \"*\"")
	contains(messages["aws_iam_policy.admin"], "statement \"Admin\" grants every IAM permissions-management action")
	contains(messages["aws_iam_policy.not_action"], "statement \"AllButS3\" grants every IAM permissions-management action")
	contains(messages["aws_iam_policy.policy_versions"], "iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion on \"arn:aws:iam::111122223333:policy/*\" (rewrite a managed policy as a new default version")
	contains(messages["aws_iam_role_policy.self_edit"], "iam:AttachRolePolicy, iam:PutRolePolicy on \"${aws_iam_role.deployer.arn}\", the policy's own holder or one of its policies (it can change its own permissions)")
	contains(messages["aws_iam_role_policy.trust_rewrite"], "iam:UpdateAssumeRolePolicy on \"arn:aws:iam::111122223333:role/team-*\" (rewrite a role's trust policy")
	contains(messages["aws_iam_role_policy.from_document"], "statement \"AttachAnything\" grants iam:AttachRolePolicy on \"*\"")
	contains(messages["aws_iam_user_policy.keys"], "iam:CreateAccessKey, iam:UpdateLoginProfile on \"arn:aws:iam::111122223333:user/*\" (sign in as another user")
	count(messages) == 13
}

test_a_policy_that_rewrites_itself_or_a_policy_of_its_holder if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_iam_policy.rewrites_itself"], "statement \"OwnVersions\" grants iam:CreatePolicyVersion on \"${aws_iam_policy.rewrites_itself.arn}\", the policy's own holder")
	contains(messages["aws_iam_role_policy.sibling_policy"], "iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion on \"${aws_iam_policy.lambda_create.arn}\", the policy's own holder")
}

test_a_boundary_condition_does_not_bound_removing_the_boundary if {
	message := _by_address(_fixtures.positive)["aws_iam_role_policy.boundary_removal"]
	contains(message, "statement \"DropTheBoundary\" grants iam:DeleteRolePermissionsBoundary on \"arn:aws:iam::111122223333:role/dev-*\" (remove a permissions boundary")
	not contains(message, "iam:PutRolePolicy")
}

test_names_pass_role_combinations if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_iam_role_policy.pass_and_lambda"], "statement \"PassAnyRole\" grants iam:PassRole on \"*\", and statement \"Functions\" of aws_iam_role_policy.pass_and_lambda grants lambda:CreateFunction (pass any role to compute")
	contains(messages["aws_iam_role_policy.pass_only"], "iam:PassRole on \"arn:aws:iam::111122223333:role/team-*\", and statement \"CreateFunctions\" of aws_iam_policy.lambda_create grants lambda:CreateFunction")
	contains(messages["aws_iam_policy.admin"], "ec2:RunInstances")
	not messages["aws_iam_policy.lambda_create"]
}

test_findings_name_the_rule_and_the_fix if {
	findings := privilege_escalation.findings with input as _input(_fixtures.positive)
	every finding in findings {
		finding.rule == "GR-FGA-008"
		finding.severity == "critical"
		startswith(finding.message, concat("", [finding.address, ": "]))
		contains(finding.message, "dynamodb:* on every table included")
		contains(finding.message, "require iam:PermissionsBoundary")
	}
}

test_quiet_on_pinned_bounded_and_non_iam_grants if {
	count(privilege_escalation.findings) == 0 with input as _input(_fixtures.negative)
}

test_plan if {
	messages := _by_address(_fixtures.plan_positive)
	contains(messages["aws_iam_policy.iam_star"], "every IAM permissions-management action (iam:*) on \"*\"")
	contains(messages["aws_iam_role_policy.self_edit"], "iam:PutRolePolicy on \"arn:aws:iam::111122223333:role/deployer\", the policy's own holder")
	count(messages) == 2
	count(privilege_escalation.findings) == 0 with input as _input(_fixtures.plan_negative)
}

test_escalation_actions_exist_in_the_reference_data if {
	every action, _ in privilege_escalation._compute {
		[service, name] := split(action, ":")
		data.guardrails.iam.actions[service][name]
	}
	every action in privilege_escalation._credential_actions {
		[service, name] := split(action, ":")
		data.guardrails.iam.actions[service][name]
	}
	every key, _ in privilege_escalation._path_of {
		data.guardrails.iam.permissions_management.iam[key]
	}
}
