# METADATA
# title: Tests for GR-ENC-002
# description: >-
#   Positive (violating) and negative (compliant) fixtures in
#   testdata/kms_rotation. The plan fixture follows the documented
#   `terraform show -json` format (format_version 1.2).
package guardrails.rules.encryption.kms_rotation_test

import data.guardrails.rules.encryption.kms_rotation

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.encryption.testdata.kms_rotation

_by_address(document) := {finding.address: finding.message |
	some finding in kms_rotation.findings with input as _input(document)
}

test_fires_on_symmetric_keys_that_do_not_rotate if {
	messages := _by_address(_fixtures.positive)
	contains(messages["aws_kms_key.rotation_off"], "automatic rotation is off (enable_key_rotation is false)")
	contains(messages["aws_kms_key.rotation_unset"], "(enable_key_rotation is not set)")
	contains(messages["aws_kms_key.explicit_symmetric"], "set enable_key_rotation = true")
	count(messages) == 3
}

test_findings_name_the_rule if {
	findings := kms_rotation.findings with input as _input(_fixtures.positive)
	count(findings) == 3
	every finding in findings {
		finding.rule == "GR-ENC-002"
		finding.severity == "high"
		startswith(finding.message, concat("", [finding.address, ": "]))
	}
}

test_quiet_on_rotating_asymmetric_hmac_and_custom_store_keys if {
	count(kms_rotation.findings) == 0 with input as _input(_fixtures.negative)
}

test_plan_unknown_rotation_or_spec_cannot_be_verified if {
	messages := _by_address(_fixtures.plan)
	object.keys(messages) == {"aws_kms_key.rotation_off", "aws_kms_key.rotation_unknown", "aws_kms_key.spec_unknown"}
	contains(messages["aws_kms_key.rotation_off"], "enable_key_rotation is false")
	contains(messages["aws_kms_key.rotation_unknown"], "cannot verify enable_key_rotation")
	contains(messages["aws_kms_key.spec_unknown"], "cannot verify customer_master_key_spec")
}
