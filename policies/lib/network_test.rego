# METADATA
# title: Tests for the network helpers
# description: The statement shapes the network rules rely on, read from parsed policy documents.
package guardrails.lib.network_test

import data.guardrails.lib.iam
import data.guardrails.lib.network

# The single statement of a policy document written as a JSON string on an SNS topic.
_statement(statement) := parsed if {
	document := {"resource": {"aws_sns_topic": {"t": {"policy": json.marshal({"Statement": [statement]})}}}}
	some doc in iam.documents with input as {"document": document}
	parsed := doc.statements[0]
}

test_any_principal_shapes if {
	network.any_principal(_statement({"Effect": "Allow", "Principal": "*", "Action": "sns:Publish"}))
	network.any_principal(_statement({"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "sns:Publish"}))
	network.any_principal(_statement({"Effect": "Allow", "NotPrincipal": "*", "Action": "sns:Publish"}))
	network.any_principal(_statement({"Effect": "Allow", "NotPrincipal": {"Service": "sns.amazonaws.com"}, "Action": "sns:Publish"}))
	not network.any_principal(_statement({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sns:Publish"}))
}

test_requires_organization_rejects_for_all_values_and_empty_values if {
	organization := "o-a1b2c3d4e5"
	network.requires_organization(
		_statement({"Condition": {"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": organization}}}),
		{"StringEquals"}, organization,
	)
	not network.requires_organization(
		_statement({"Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": organization}}}),
		{"StringEquals"}, organization,
	)
	not network.requires_organization(_statement({"Condition": {"StringEquals": {"aws:PrincipalOrgID": []}}}), {"StringEquals"}, organization)
}

test_denies_outside_endpoint_only_unconditionally if {
	network.denies_outside_endpoint(_statement({"Effect": "Deny", "Condition": {"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}}))
	not network.denies_outside_endpoint(_statement({"Effect": "Allow", "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}))
	not network.denies_outside_endpoint(_statement({"Effect": "Deny", "Condition": {"ForAnyValue:StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}))
	not network.denies_outside_endpoint(_statement({"Effect": "Deny", "Condition": {
		"StringNotEquals": {"aws:SourceVpce": "vpce-1"},
		"Bool": {"aws:SecureTransport": "false"},
	}}))
}
