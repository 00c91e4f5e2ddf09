# METADATA
# title: Public resource policies, as DynamoDB Block Public Access judges them
# description: >-
#   DynamoDB refuses, when a resource policy is put, any policy that grants
#   public access: an Allow for the wildcard principal that none of the
#   trusted condition keys narrows, with fixed values (no wildcards, no
#   policy variables)
#   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-bpa-rbp.html).
package guardrails.lib.public_access

import data.guardrails.lib.collections
import data.guardrails.lib.network
import data.guardrails.lib.resources

# The trusted condition keys that AWS lists, lowercased as the statements hold them.
trusted_keys := {
	"aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths",
	"aws:sourceaccount", "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:userid",
	"aws:principalservicename", "aws:principalservicenameslist", "aws:principalisawsservice",
	"aws:ec2instancesourcevpc", "aws:sourceorgid", "aws:sourceorgpaths",
}

# Operators that narrow a request to the values listed (the negated ones widen it instead).
_narrowing_operators := {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"}

# METADATA
# title: Public statement
# description: >-
#   True when the statement allows any principal ("*", {"AWS": "*"} or a
#   NotPrincipal) and no condition narrows it (see narrowing).
public(statement) if {
	statement.effect == "Allow"
	network.any_principal(statement)
	not collections.nonempty(narrowing(statement))
}

# METADATA
# title: Narrowing conditions
# description: >-
#   The trusted keys (lowercased) the statement tests with a narrowing
#   operator (StringEquals, StringLike, ArnEquals, ArnLike; not IfExists, not
#   ForAllValues, which pass requests without the key) and fixed values; for
#   aws:PrincipalIsAWSService, Bool "true".
narrowing(statement) := {condition.key |
	some condition in statement.conditions
	condition.key in trusted_keys
	condition.key != "aws:principalisawsservice"
	condition.operator in _narrowing_operators
	_tight(condition)
	not _holds_an_open_value(condition.values)
} | {condition.key |
	some condition in statement.conditions
	condition.key == "aws:principalisawsservice"
	condition.operator == "Bool"
	_tight(condition)
	condition.values == ["true"]
}

# A negated helper rather than `every` inside the comprehension, which OPA's optimizer
# (`opa build -O=1`) rejects as unsafe.
_holds_an_open_value(values) if {
	some value in values
	not fixed(value)
}

_tight(condition) if {
	not condition.if_exists
	condition.qualifier in {"", "ForAnyValue"}
	collections.nonempty(condition.values)
}

# METADATA
# title: Fixed value
# description: >-
#   True when a condition value has no IAM wildcard (* or ?) and no policy
#   variable (${aws:username}, written $${...} in cdk.tf.json). A Terraform
#   reference (${aws_vpc_endpoint.x.id}) is a fixed value once applied.
fixed(value) if {
	not contains(value, "*")
	not contains(value, "?")
	not regex.match(`\$\{[^}]*:[^}]*\}`, value)
}

# METADATA
# title: Why trusted keys do not narrow
# description: >-
#   The trusted keys the statement tests whose values hold a wildcard or a
#   policy variable, or that are tested with an operator or qualifier that
#   does not narrow: why a statement that seems narrowed is still public.
loose_trusted_keys(statement) := {condition.key |
	some condition in statement.conditions
	condition.key in trusted_keys
	not condition.key in narrowing(statement)
}

# METADATA
# title: DynamoDB resource policy
# description: >-
#   True when the document is a DynamoDB resource policy: an
#   aws_dynamodb_resource_policy, or the resource_policy argument of an
#   aws_dynamodb_table.
dynamodb_policy(doc) if resources.by_address[doc.address].type == "aws_dynamodb_resource_policy"

dynamodb_policy(doc) if {
	resources.by_address[doc.address].type == "aws_dynamodb_table"
	doc.attribute == "resource_policy"
}
