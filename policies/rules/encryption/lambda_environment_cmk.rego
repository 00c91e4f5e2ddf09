# METADATA
# title: Lambda environment variables are encrypted with a customer-managed key
# description: >-
#   A function's environment variables (ARNs, names, sometimes settings that
#   matter) are encrypted at rest with the AWS-managed aws/lambda key unless
#   kms_key_arn names another. A customer-managed key lets the key policy
#   decide who can read them, and CloudTrail shows who did.
# custom:
#   id: GR-ENC-008
#   severity: medium
#   practice: "Gap: Protecting your data at rest covers the table, not the environment variables of the function that processes its events"
package guardrails.rules.encryption.lambda_environment_cmk

import data.guardrails.lib.collections
import data.guardrails.lib.keys
import data.guardrails.lib.resources
import data.guardrails.lib.result

_attribute := "kms_key_arn"

_fix := "set kms_key_arn to the arn of an aws_kms_key declared in this stack"

findings contains result.finding(rego.metadata.chain(), function.address, concat("", [function.address, ": ", problem, "; ", _fix])) if {
	some address in _with_environment
	function := resources.by_address[address]
	problem := keys.problem(function, _attribute, "Lambda encrypts its environment variables with the AWS-managed aws/lambda key")
}

findings contains result.cannot_verify(rego.metadata.chain(), function.address, _attribute) if {
	some address in _with_environment
	function := resources.by_address[address]
	keys.unverifiable(function, _attribute)
}

_with_environment contains function.address if {
	some function in resources.of_type("aws_lambda_function")
	_has_variables(function)
}

_has_variables(function) if {
	some environment in resources.blocks(function, "environment")
	count(object.get(environment, "variables", collections.no_object)) > 0
}

# A plan that cannot know the environment yet may still give it variables.
_has_variables(function) if resources.unknown(function, "environment")
