# METADATA
# title: Tests for GR-FGA-009
# description: >-
#   Positive (violating) and negative (compliant) fixtures in testdata/oidc_trust_conditions. The
#   plan fixture is hand-written and follows the documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.access.oidc_trust_conditions_test

import data.guardrails.rules.access.oidc_trust_conditions

_input(document) := {"stack": "bootstrap-dev", "document": document, "context": {
	"organization_id": "o-a1b2c3d4e5",
	"account_id": "111122223333",
}}

_fixtures := data.rules.access.testdata.oidc_trust_conditions

_github := "token.actions.githubusercontent.com"

_by_address(document) := {finding.address: finding.message |
	some finding in oidc_trust_conditions.findings with input as _input(document)
}

test_fires_when_aud_or_sub_is_not_pinned if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_iam_role.no_sub"], concat("", [
		"statement \"GitHubDeploys\" trusts the OIDC provider ", _github,
		" with no \"", _github, ":sub\" condition (StringEquals or StringLike)",
	]))
	contains(messages["aws_iam_role.no_sub"], "any workflow of any repository on GitHub could assume the role")
	not contains(messages["aws_iam_role.no_sub"], ":aud\" condition")
	contains(messages["aws_iam_role.no_aud"], concat("", ["no \"", _github, ":aud\" condition"]))
	not contains(messages["aws_iam_role.no_aud"], ":sub\" condition")
	contains(messages["aws_iam_role.no_conditions"], concat("", ["no \"", _github, ":aud\" condition"]))
	contains(messages["aws_iam_role.no_conditions"], concat("", ["no \"", _github, ":sub\" condition"]))
	contains(messages["aws_iam_role.from_data_source"], concat("", ["no \"", _github, ":sub\" condition"]))
}

test_a_condition_that_does_not_restrict_is_missing if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_iam_role.sub_if_exists"], concat("", ["no \"", _github, ":sub\" condition"]))
	contains(messages["aws_iam_role.sub_not_equals"], concat("", ["no \"", _github, ":sub\" condition"]))
}

test_fires_on_wildcards_before_the_owner if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_iam_role.any_repository"], concat("", [
		"StringLike \"", _github, ":sub\" value \"repo:*\", whose wildcard matches subjects of any owner",
	]))
	contains(messages["aws_iam_role.owner_prefix"], "value \"repo:example-org*\", whose wildcard matches subjects of any owner")
	not contains(messages["aws_iam_role.owner_prefix"], "repo:example-org/ddb-guardrails:pull_request")
	eks := "oidc.eks.us-east-1.amazonaws.com/id/exampled539d4633e53de1b71example"
	contains(messages["aws_iam_role.eks_any_subject"], concat("", [
		"trusts the OIDC provider ", eks, " with StringLike \"", eks, ":sub\" value \"*\"",
	]))
	contains(messages["aws_iam_role.eks_any_subject"], concat("", ["anyone ", eks, " issues a token to"]))
}

test_every_violating_role_and_nothing_else if {
	addresses := {address | some address, _ in _by_address(_fixtures.positive)}
	addresses == {
		"aws_iam_role.no_sub", "aws_iam_role.no_aud", "aws_iam_role.no_conditions",
		"aws_iam_role.any_repository", "aws_iam_role.owner_prefix", "aws_iam_role.sub_if_exists",
		"aws_iam_role.sub_not_equals", "aws_iam_role.eks_any_subject", "aws_iam_role.from_data_source",
		"aws_iam_role.any_audience",
	}
}

test_fires_on_an_audience_pattern_that_admits_any_service if {
	message := _by_address(_fixtures.positive)["aws_iam_role.any_audience"]
	contains(message, concat("", ["StringLike \"", _github, ":aud\" value \"*\", which matches any audience"]))
	contains(message, "(a token issued for another service could assume the role)")
	not contains(message, ":sub\" condition")
	not contains(message, "matches subjects of any owner")
}

test_findings_name_the_rule_and_the_fix if {
	some finding in oidc_trust_conditions.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-FGA-009"
	finding.severity == "critical"
	contains(finding.message, "\"repo:<owner>/<repository>:environment:<name>\"")
}

test_quiet_on_pinned_subjects_saml_services_and_denies if {
	count(oidc_trust_conditions.findings) == 0 with input as _input(_fixtures.negative)
}

test_fires_on_a_plan if {
	messages := _by_address(_fixtures.plan_positive)
	contains(messages["aws_iam_role.deploy"], concat("", [
		"statement \"DeploymentJobsOfThisEnvironment\" trusts the OIDC provider ", _github,
		" with no \"", _github, ":sub\" condition",
	]))
	count(messages) == 1
}
