# METADATA
# title: Input is a stack the gate can read
# description: >-
#   The gate fails closed: a document that is neither a CDKTF cdk.tf.json nor
#   a `terraform show -json` plan is a finding, never "no violations"; so is
#   a cdk.tf.json that calls Terraform modules, whose resources it does not
#   hold (a plan of it shows them).
# custom:
#   id: GR-INPUT-001
#   severity: critical
#   practice: "Gap: a policy gate that passes what it cannot read protects nothing"
package guardrails.rules.input.unknown_format

import data.guardrails.lib.resources
import data.guardrails.lib.result

findings contains result.finding(rego.metadata.chain(), "", concat("", [
	"the input is neither a CDKTF cdk.tf.json (with a top-level resource object) ",
	"nor a `terraform show -json` plan (with format_version and planned_values); ",
	"pass cdktf.out/stacks/<env>/cdk.tf.json or the JSON of a saved plan",
])) if {
	resources.format == "unknown"
	not resources.unsupported_plan_version
}

findings contains result.finding(rego.metadata.chain(), "", concat("", [
	"the plan's format_version is ", resources.unsupported_plan_version,
	", and only versions 0.x and 1.x of Terraform's JSON plan format can be read; ",
	"render the plan with a Terraform release that writes format 1.x, or update ddb-guardrails",
])) if {
	resources.format == "unknown"
}

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": the stack calls a Terraform module, whose resources a cdk.tf.json does not hold, ",
	"so no rule can check them (a DynamoDB table, key or policy in it would pass unseen); ",
	"gate the plan instead (`terraform show -json`), which shows every module's resources, ",
	"or declare them with constructs",
])) if {
	some name in resources.module_calls
	address := concat(".", ["module", name])
}
