# METADATA
# title: CloudTrail trails cover every region and global service events, and can be validated
# description: >-
#   CloudTrail is where DynamoDB's control-plane calls (who deleted which
#   table, from where) are recorded. A single-region trail misses calls made
#   in other regions, a trail without global service events misses IAM and
#   STS, so changes to the policies that grant table access go unaudited, and
#   without log file validation nobody can show the logs were not altered
#   after the fact.
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
		"default": false,
	},
	{
		"attribute": "enable_log_file_validation",
		"problem": "its log files cannot be validated (enable_log_file_validation is not true)",
		"fix": "set enable_log_file_validation = true",
		"default": false,
	},
	{
		"attribute": "include_global_service_events",
		"problem": concat("", [
			"it does not record global service events (include_global_service_events = false), so IAM and STS calls, ",
			"the changes to the policies that grant table access included, go unaudited",
		]),
		"fix": "set include_global_service_events = true (the provider's default)",
		"default": true,
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
		not _compliant(trail, requirement)
	]
	count(failed) > 0
}

findings contains result.cannot_verify(rego.metadata.chain(), trail.address, requirement.attribute) if {
	some trail in resources.of_type("aws_cloudtrail")
	some requirement in _requirements
	resources.unknown(trail, requirement.attribute)
}

_compliant(trail, requirement) if trail.values[requirement.attribute] in {true, "true"}

# An attribute that defaults to true is compliant unless set to false.
_compliant(trail, requirement) if {
	requirement["default"]
	not object.get(trail.values, requirement.attribute, null) in {false, "false"}
}
