# METADATA
# title: Tests for GR-NET-007
# description: >-
#   Fixtures in testdata/block_public_access: one DynamoDB resource policy per way of being
#   public as Block Public Access sees it, and narrowed ones. The plan fixture is hand-written
#   and follows the documented `terraform show -json` format (format_version 1.2).
package guardrails.rules.network.block_public_access_test

import data.guardrails.rules.network.block_public_access
import data.guardrails.rules.network.resource_policy_org_scope

_input(document) := {"stack": "dev", "document": document, "context": {"organization_id": "o-a1b2c3d4e5"}}

_fixtures := data.rules.network.testdata.block_public_access

_by_address(document) := {finding.address: finding.message |
	some finding in block_public_access.findings with input as _input(document)
}

_messages := _by_address(_fixtures.positive)

test_fires_on_each_public_policy_and_only_those if {
	object.keys(_messages) == {concat(".", ["aws_dynamodb_resource_policy", name]) | some name in [
		"open", "untrusted_key", "wildcard_value", "variable_value", "negated", "if_exists",
		"not_principal", "not_aws_service",
	]}
}

test_findings_carry_the_rule_and_the_apply_time_failure if {
	some finding in block_public_access.findings with input as _input(_fixtures.positive)
	finding.rule == "GR-NET-007"
	finding.severity == "critical"
	contains(finding.message, "DynamoDB Block Public Access refuses the policy when it is applied (PutResourcePolicy fails)")
}

test_reasons if {
	contains(_messages["aws_dynamodb_resource_policy.open"], "statement \"EveryAwsPrincipal\" allows any principal without a trusted condition key; statement \"Everyone\" allows any principal without a trusted condition key")
	contains(_messages["aws_dynamodb_resource_policy.untrusted_key"], "statement \"TaggedCallers\" allows any principal without a trusted condition key")
	contains(_messages["aws_dynamodb_resource_policy.wildcard_value"], "its trusted condition keys (aws:principalorgid) hold a wildcard or a policy variable")
	contains(_messages["aws_dynamodb_resource_policy.variable_value"], "(aws:principalaccount)")
	contains(_messages["aws_dynamodb_resource_policy.negated"], "(aws:principalaccount)")
	contains(_messages["aws_dynamodb_resource_policy.if_exists"], "(aws:principalorgid)")
	contains(_messages["aws_dynamodb_resource_policy.not_aws_service"], "(aws:principalisawsservice)")
	contains(_messages["aws_dynamodb_resource_policy.not_principal"], "statement \"AllButOne\" allows any principal")
}

test_quiet_with_narrowed_or_named_principals if {
	count(block_public_access.findings) == 0 with input as _input(_fixtures.negative)
}

test_gr_net_005_leaves_these_statements_to_this_rule if {
	count(resource_policy_org_scope.findings) == 0 with input as _input(_fixtures.positive)
}

test_plan_policy_variables_are_not_fixed if {
	messages := _by_address(_fixtures.plan_positive)
	object.keys(messages) == {"aws_dynamodb_resource_policy.orders"}
	message := messages["aws_dynamodb_resource_policy.orders"]
	contains(message, "statement \"PerUser\" allows any principal and its trusted condition keys (aws:principalarn)")
	not contains(message, "\"Organization\"")
}

# A table's own resource_policy argument is judged the same way.
test_a_tables_resource_policy_argument if {
	document := json.patch(_fixtures.negative, [{
		"op": "add",
		"path": "/resource/aws_dynamodb_table/orders/resource_policy",
		"value": json.marshal({"Statement": [{"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": "*"}]}),
	}])
	messages := _by_address(document)
	object.keys(messages) == {"aws_dynamodb_table.orders"}
	contains(messages["aws_dynamodb_table.orders"], "statement \"Everyone\" allows any principal without a trusted condition key")
	org_scope := {finding.address | some finding in resource_policy_org_scope.findings with input as _input(document)}
	not "aws_dynamodb_table.orders" in org_scope
}
