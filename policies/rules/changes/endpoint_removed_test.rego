# METADATA
# title: Tests for GR-CHG-004
# description: >-
#   Fixtures in testdata/endpoint_removed, written from Terraform's documented
#   JSON plan format: positive (a gateway endpoint deleted and an interface
#   endpoint replaced while a table remains), negative (an S3 endpoint
#   deleted, an endpoint updated, an endpoint deleted with every table).
package guardrails.rules.changes.endpoint_removed_test

import data.guardrails.rules.changes.endpoint_removed

_fixtures := data.rules.changes.testdata.endpoint_removed

_findings(document) := findings if {
	findings := endpoint_removed.findings with input as {"stack": "prod", "document": document, "context": {}}
}

_messages(document) := {finding.address: finding.message | some finding in _findings(document)}

test_fires_on_a_deleted_or_replaced_dynamodb_endpoint if {
	messages := _messages(_fixtures.positive)
	object.keys(messages) == {"aws_vpc_endpoint.dynamodb", "aws_vpc_endpoint.dynamodb_interface"}
	contains(messages["aws_vpc_endpoint.dynamodb"], "deletes the DynamoDB VPC endpoint vpce-0a1b2c3d4e5f60718")
	contains(messages["aws_vpc_endpoint.dynamodb"], "while 1 table(s) remain (aws_dynamodb_table.orders)")
	contains(messages["aws_vpc_endpoint.dynamodb_interface"], "replaces the DynamoDB VPC endpoint vpce-0b1b2c3d4e5f60718, destroying it before creating the new one, because vpc_id changes")
}

test_quiet_on_other_endpoints_and_updates if {
	count(_findings(_fixtures.negative)) == 0
}

test_quiet_when_no_table_remains if {
	count(_findings(_fixtures.no_tables_left)) == 0
}

test_quiet_on_a_synthesized_stack if {
	count(_findings(data.lib.testdata.cdktf_table)) == 0
}
