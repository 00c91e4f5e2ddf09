# METADATA
# title: Tests for GR-NET-005
# description: >-
#   Fixtures in testdata/resource_policy_org_scope: topic, queue, bucket and table policies that
#   allow any principal, with and without aws:PrincipalOrgID; key and endpoint policies are left
#   to their own rules.
package guardrails.rules.network.resource_policy_org_scope_test

import data.guardrails.rules.network.resource_policy_org_scope

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.network.testdata.resource_policy_org_scope

_by_address(document) := {finding.address: finding.message |
	some finding in resource_policy_org_scope.findings with input as _input(document)
}

_messages := _by_address(_fixtures.positive)

_unscoped := "allow any principal without requiring aws:PrincipalOrgID \"o-a1b2c3d4e5\""

test_fires_on_every_unscoped_resource_policy if {
	object.keys(_messages) == {
		"aws_sns_topic_policy.alerts", "aws_sqs_queue_policy.failures", "aws_sqs_queue.inline",
		"aws_s3_bucket_policy.audit", "aws_dynamodb_resource_policy.orders",
	}
}

test_findings_carry_the_rule_and_the_fix if {
	some finding in resource_policy_org_scope.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-NET-005"
	finding.severity == "critical"
	endswith(finding.message, "name the principals, or add \"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}")
}

test_principal_star_without_a_condition_and_with_if_exists if {
	contains(_messages["aws_sns_topic_policy.alerts"], concat(" ", [
		"aws_sns_topic_policy.alerts: statement \"AnyonePublishes\", statement 2",
		_unscoped,
	]))
	contains(_messages["aws_sqs_queue.inline"], concat(" ", ["statement \"AnyoneSends\"", _unscoped]))
}

test_string_like_not_principal_and_another_organization if {
	contains(_messages["aws_sqs_queue_policy.failures"], concat(" ", ["statement \"OrganizationLike\"", _unscoped]))
	contains(_messages["aws_s3_bucket_policy.audit"], concat(" ", ["statement \"EveryoneButOneReads\"", _unscoped]))
	contains(_messages["aws_dynamodb_resource_policy.orders"], concat(" ", ["statement \"OtherOrganizationReads\"", _unscoped]))
}

test_quiet_with_the_organization_and_on_key_and_endpoint_policies if {
	count(resource_policy_org_scope.findings) == 0 with input as _input(_fixtures.negative)
}

test_quiet_without_an_organization_id if {
	# GR-INPUT-003 reports the missing fact.
	count(resource_policy_org_scope.findings) == 0 with input as {"document": _fixtures.positive, "context": {}}
}

test_fires_on_a_policy_written_on_the_bucket_itself if {
	bucket := {"resource": {"aws_s3_bucket": {"logs": {
		"bucket": "logs",
		"policy": json.marshal({"Statement": [{
			"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
			"Resource": "arn:aws:s3:::logs/*",
		}]}),
	}}}}
	object.keys(_by_address(bucket)) == {"aws_s3_bucket.logs"}
}
