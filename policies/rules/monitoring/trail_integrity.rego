# METADATA
# title: CloudTrail trails cover every region and can be validated
# description: >-
#   CloudTrail is where DynamoDB's control-plane calls (who deleted which
#   table, from where) are recorded. A single-region trail misses calls made
#   in other regions, and without log file validation nobody can show the
#   logs were not altered after the fact.
# custom:
#   id: GR-MON-002
#   severity: medium
#   practice: "Monitoring access to your data: CloudTrail identifies who did what from where"
package guardrails.rules.monitoring.trail_integrity

import data.guardrails.lib.resources
import data.guardrails.lib.result

_requirements := [
	{
		"attribute": "is_multi_region_trail",
		"problem": "it records only its own region (is_multi_region_trail is not true)",
		"fix": "set is_multi_region_trail = true",
	},
	{
		"attribute": "enable_log_file_validation",
		"problem": "its log files cannot be validated (enable_log_file_validation is not true)",
		"fix": "set enable_log_file_validation = true",
	},
]

findings contains result.finding(rego.metadata.chain(), trail.address, concat("", [
	trail.address, ": ", concat(", and ", [r.problem | some r in failed]),
	"; ", concat(" and ", [r.fix | some r in failed]),
])) if {
	some trail in resources.of_type("aws_cloudtrail")
	failed := [requirement |
		some requirement in _requirements
		not resources.unknown(trail, requirement.attribute)
		not _true(trail, requirement.attribute)
	]
	count(failed) > 0
}

findings contains result.cannot_verify(rego.metadata.chain(), trail.address, requirement.attribute) if {
	some trail in resources.of_type("aws_cloudtrail")
	some requirement in _requirements
	resources.unknown(trail, requirement.attribute)
}

_true(trail, attribute) if trail.values[attribute] in {true, "true"}
