# METADATA
# title: Tests for GR-ENC-004
# description: >-
#   Positive (violating) and negative (compliant) fixtures in
#   testdata/kms_key_policy: key policies in aws_kms_key.policy, in
#   aws_kms_key_policy and in an aws_iam_policy_document. The plan fixture
#   follows the documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.encryption.kms_key_policy_test

import data.guardrails.rules.encryption.kms_key_policy

_context := {"organization_id": "o-a1b2c3d4e5", "account_id": "111122223333"}

_input(document) := {"stack": "dev", "document": document, "context": _context}

_fixtures := data.rules.encryption.testdata.kms_key_policy

_by_address(document) := {finding.address: finding.message |
	some finding in kms_key_policy.findings with input as _input(document)
}

test_fires_on_any_principal_without_the_organization_or_the_account_through_a_service if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_kms_key.open"], "key policy statement \"Anyone\" allows any principal without limiting it to organization o-a1b2c3d4e5 or to account 111122223333")
	contains(messages["aws_kms_key.if_exists"], "statement \"OrgIfExists\"")
	contains(messages["aws_kms_key.other_org"], "statement \"OtherOrg\"")
	contains(messages["aws_kms_key.caller_only"], "statement \"CallerOnly\"")
	contains(messages["aws_kms_key.via_anything"], "statement \"ViaAnything\"")
	contains(messages["aws_kms_key.other_account"], "statement \"OtherAccount\"")
	contains(messages["aws_kms_key.not_principal"], "key policy statement 2 allows any principal")
	contains(messages["aws_kms_key_policy.separate"], "statement \"Anyone\"")
	contains(messages["aws_kms_key.from_document"], "statement \"Anyone\"")
	count(messages) == 9
}

test_findings_name_the_rule_and_the_fix if {
	findings := kms_key_policy.findings with input as _input(_fixtures.positive)
	count(findings) == 9
	every finding in findings {
		finding.rule == "GR-ENC-004"
		finding.severity == "critical"
		contains(finding.message, "; add StringEquals aws:PrincipalOrgID = o-a1b2c3d4e5, or both StringEquals kms:CallerAccount = 111122223333 and kms:ViaService")
	}
}

test_quiet_on_organization_or_account_through_a_service_named_principals_and_deny if {
	count(kms_key_policy.findings) == 0 with input as _input(_fixtures.negative)
}

test_quiet_without_the_organization if {
	count(kms_key_policy.findings) == 0 with input as {"stack": "qa", "document": _fixtures.positive, "context": {}}
}

test_an_unknown_account_does_not_settle_kms_caller_account if {
	findings := kms_key_policy.findings with input as {
		"stack": "dev",
		"document": _fixtures.negative,
		"context": {"organization_id": "o-a1b2c3d4e5"},
	}
	[finding] := [finding | some finding in findings]
	finding.address == "aws_kms_key.via_service"
	contains(finding.message, "account <the environment's account id, unknown: pass --account-id>")
}

test_plan_reads_the_same_policies if {
	messages := _by_address(_fixtures.plan)
	object.keys(messages) == {"aws_kms_key.open"}
	contains(messages["aws_kms_key.open"], "statement \"Anyone\" allows any principal")
}
