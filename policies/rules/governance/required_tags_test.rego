# METADATA
# title: Tests for GR-GOV-001
# description: >-
#   Fixtures in testdata/required_tags: positive (tags missing, empty or blank; aliased providers
#   with and without default_tags), negative (default_tags as a single object). The plan fixture
#   follows the documented `terraform show -json` format (format_version 1.2): tags_all known,
#   tags merged with provider_config default_tags, unknown tag values, an unknown tags map.
package guardrails.rules.governance.required_tags_test

import data.guardrails.rules.governance.required_tags

_fixtures := data.rules.governance.testdata.required_tags

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_findings(document) := findings if {
	findings := required_tags.findings with input as _input(document)
}

_by_address(document) := {finding.address: finding.message | some finding in _findings(document)}

_missing(message, tags) if contains(message, concat("", ["required tags missing or empty: ", tags, " ("]))

test_fires_listing_the_missing_tags_counting_default_tags if {
	messages := _by_address(_fixtures.positive)
	object.keys(messages) == {
		"aws_dynamodb_table.unclassified",
		"aws_dynamodb_table.empty_owner",
		"aws_dynamodb_table.bare_provider",
		"aws_dynamodb_table.unknown_alias",
		"aws_kms_key.untagged",
		"aws_kms_key.blank",
	}

	# The unaliased provider's default_tags supply owner and environment.
	_missing(messages["aws_dynamodb_table.unclassified"], "data-classification")
	_missing(messages["aws_kms_key.untagged"], "data-classification")
	_missing(messages["aws_kms_key.blank"], "data-classification")

	# An empty resource tag overrides the default one.
	_missing(messages["aws_dynamodb_table.empty_owner"], "owner")

	# aws.bare has no default_tags; aws.nowhere is not declared.
	_missing(messages["aws_dynamodb_table.bare_provider"], "environment, owner")
	_missing(messages["aws_dynamodb_table.unknown_alias"], "data-classification, environment, owner")
}

test_findings_carry_the_rule_identity_and_the_fix if {
	findings := _findings(_fixtures.positive)
	count(findings) == 6
	every finding in findings {
		finding.rule == "GR-GOV-001"
		finding.severity == "low"
		startswith(finding.message, concat("", [finding.address, ": "]))
		endswith(finding.message, "; add them to its tags or to the provider's default_tags")
	}
}

test_quiet_when_tags_and_default_tags_cover_everything if {
	count(_findings(_fixtures.negative)) == 0
}

test_plan_tags_all_tags_and_provider_default_tags if {
	messages := _by_address(_fixtures.plan)
	object.keys(messages) == {
		"aws_dynamodb_table.known_unclassified",
		"aws_kms_key.merged_unclassified",
		"aws_kms_key.tags_unknown",
	}

	# tags_all known: read as is.
	_missing(messages["aws_dynamodb_table.known_unclassified"], "data-classification")

	# tags_all unknown: tags merged with the default provider's default_tags.
	_missing(messages["aws_kms_key.merged_unclassified"], "data-classification")

	# The whole tags map unknown.
	contains(messages["aws_kms_key.tags_unknown"], "cannot verify tags")
}

test_plan_resource_on_an_aliased_provider_without_its_default_tags if {
	# Resource 4 is aws_dynamodb_table.replica, on aws.replica; without that provider's
	# configuration it falls back to the unaliased provider, which lacks data-classification.
	plan := json.patch(_fixtures.plan, [{"op": "remove", "path": "/configuration/provider_config/aws.replica"}])
	_missing(_by_address(plan)["aws_dynamodb_table.replica"], "data-classification")
}
