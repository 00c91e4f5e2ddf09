# METADATA
# title: Tests for GR-FGA-007
# description: >-
#   Positive (violating) and negative (compliant) fixtures in testdata/valid_iam. The plan fixture
#   is hand-written and follows the documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.access.valid_iam_test

import data.guardrails.rules.access.valid_iam

_input(document) := {"stack": "dev", "document": document, "context": {
	"organization_id": "o-a1b2c3d4e5",
	"account_id": "111122223333",
}}

_fixtures := data.rules.access.testdata.valid_iam

_by_address(document) := {finding.address: finding.message |
	some finding in valid_iam.findings with input as _input(document)
}

test_fires_on_the_talks_operator if {
	message := _by_address(_fixtures.positive)["aws_iam_role_policy.talk"]
	contains(message, "statement \"FineGrainedTableAccess\": condition operator \"ForAllValues:NumericGreaterThanOrEqualTo\" is not an IAM condition operator (NumericGreaterThanEquals is)")
	not contains(message, "NumericLessThan\"")
}

test_lists_every_problem_of_a_document if {
	message := _by_address(_fixtures.positive)["aws_iam_policy.typos"]
	every problem in [
		"Action \"dynamo:GetItem\" matches no action",
		"Action \"dynamodb:GetItems\" matches no action",
		"Action \"dynamodb:Zap*\" matches no action",
		"Action \"s3\" matches no action",
		"Action 7 matches no action",
		"Effect \"allow\" is neither \"Allow\" nor \"Deny\"",
		"\"NullIfExists\" is not an IAM condition operator (Null takes no IfExists)",
		"\"StringMatches\" is not an IAM condition operator,",
		"\"stringequals\" is not an IAM condition operator (StringEquals is)",
		"statement 2: Condition \"oops\" is not an object",
		"statement 2: it has no Effect",
		"statement 3: NotAction \"dynamodb:{GetItem,Query}\" matches no action",
	] {
		contains(message, problem)
	}
}

test_one_finding_per_address_naming_each_document if {
	message := _by_address(_fixtures.positive)["aws_iam_role.both"]
	contains(message, "assume_role_policy statement 1: Action \"sts:AssumeRoles\"")
	contains(message, "inline_policy[0].policy statement 1: Action \"sqs:SendMessages\"")
}

test_a_data_source_is_reported_once_where_it_is_written if {
	messages := _by_address(_fixtures.positive)
	ds := messages["data.aws_iam_policy_document.bad"]
	contains(ds, "statement \"Ds\": Effect \"Permit\"")
	contains(ds, "actions \"kms:Decrypts\" matches no action")
	contains(ds, "\"NumericGreaterThanOrEqual\" is not an IAM condition operator (NumericGreaterThanEquals is)")
	not messages["aws_iam_role_policy.uses_data_source"]
	count(messages) == 6
}

test_fires_on_malformed_principals_and_trust_policy_resources if {
	messages := _by_address(_fixtures.positive)
	malformed := messages["aws_iam_role.malformed_principal"]
	contains(malformed, "assume_role_policy statement \"Broken\": Principal AWS \"arn:aws:iam::root\" is not \"*\", a 12-digit account id")
	contains(malformed, "Principal AWS \"Alice\" is not")
	contains(messages["aws_iam_role.trust_with_resource"], "statement \"WithResource\": a trust policy takes no Resource or NotResource (the role itself is the resource), so IAM rejects the policy")
}

test_findings_carry_the_rule if {
	some finding in valid_iam.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-FGA-007"
	finding.severity == "high"
}

test_quiet_on_valid_documents if {
	count(valid_iam.findings) == 0 with input as _input(_fixtures.negative)
}

test_fires_on_a_plan if {
	messages := _by_address(_fixtures.plan_positive)
	contains(messages["aws_iam_role_policy.talk"], "(NumericGreaterThanEquals is)")
	contains(messages["aws_iam_role.malformed"], "Principal AWS \"arn:aws:iam::root\" is not")
	contains(messages["aws_iam_role.malformed"], "a trust policy takes no Resource")
	count(messages) == 2
}
