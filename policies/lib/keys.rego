# METADATA
# title: Customer-managed keys
# description: >-
#   Whether an attribute that names a KMS key (kms_key_id, kms_master_key_id,
#   kms_key_arn) designates a customer-managed key: an aws_kms_key of this
#   input, directly or through an aws_kms_alias that targets one, or a key
#   the environment trusts. An AWS-managed alias (alias/aws/...) never
#   qualifies, a key named outside the stack cannot be verified, and a value
#   a plan leaves unknown is settled only by the configuration's references.
package guardrails.lib.keys

import data.guardrails.lib.collections
import data.guardrails.lib.context
import data.guardrails.lib.resources

# METADATA
# title: Designates a customer-managed key
# description: >-
#   True when attribute attr (top level) of resource references an
#   aws_kms_key of this input, directly or through an aws_kms_alias whose
#   target_key_id references one, or holds an ARN in the environment's
#   declared key ARNs; and is not an AWS-managed alias. In a plan the value
#   may be a concrete ARN or unknown: the configuration's references decide.
customer_managed(resource, attr) if {
	not aws_managed(resource, attr)
	collections.nonempty(designated_keys(resource, attr))
}

customer_managed(resource, attr) if trusted(resource.values[attr])

# METADATA
# title: A trusted key
# description: >-
#   True when value names a key the environment trusts (context.trusted_keys):
#   the same ARN or alias, or an alias name ("alias/x") and an alias ARN of the
#   environment's account that name the same alias.
trusted(value) if value in context.trusted_keys

trusted(value) if {
	startswith(value, "alias/")
	some key in context.trusted_keys
	_alias_arn_in_account(key, value)
}

trusted(value) if {
	some key in context.trusted_keys
	startswith(key, "alias/")
	_alias_arn_in_account(value, key)
}

_alias_arn_in_account(arn, alias) if {
	is_string(arn)
	some match in regex.find_all_string_submatch_n(`^arn:aws[a-z-]*:kms:[^:]*:([0-9]{12}):(alias/.+)$`, arn, 1)
	match[2] == alias
	_own_account(match[1])
}

_own_account(account) if account == context.account_id

_own_account(_) if not context.account_id

customer_managed(resource, attr) if declared(resource.values[attr])

# METADATA
# title: A key the stack declares, by value
# description: >-
#   True when value is the ARN or id of an aws_kms_key in this input. A plan
#   writes an existing key's ARN where the configuration wrote a reference,
#   and the reference itself is lost when it runs through a module output
#   (module.kms.key_arn), so the value is matched as well.
declared(value) if {
	is_string(value)
	value != ""
	_declared_key_identifiers[value]
}

_declared_key_identifiers contains value if {
	some key in resources.of_type("aws_kms_key")
	some attr in ["arn", "id", "key_id"]
	value := key.values[attr]
	is_string(value)
	not contains(value, "${")
}

# METADATA
# title: Keys an attribute designates
# description: >-
#   The addresses of the aws_kms_key resources of this input that attribute
#   attr of resource references, directly or through an aws_kms_alias (one
#   not named alias/aws/...).
designated_keys(resource, attr) := _designated(encryption_targets(resource, attr))

# METADATA
# title: What a key attribute references
# description: >-
#   resources.resolve(resource, attr), read once per table for its
#   server_side_encryption: several rules ask it of every table, and
#   resolving a block's references allocates.
encryption_targets(resource, attr) := targets if {
	attr == "server_side_encryption"
	targets := _table_encryption_targets[resource.address]
} else := resources.resolve(resource, attr)

_table_encryption_targets[table.address] := resources.resolve(table, "server_side_encryption") if {
	some table in resources.of_type("aws_dynamodb_table")
}

# The attribute's references are resolved once, for keys and for aliases alike.
_designated(targets) := {key.address |
	some key in targets
	_managed_key(key)
} | {key.address |
	some alias in targets
	alias.mode == "managed"
	alias.type == "aws_kms_alias"
	not _aws_managed_name(object.get(alias.values, "name", ""))
	some key in resources.resolve(alias, "target_key_id")
	_managed_key(key)
}

_managed_key(resource) if {
	resource.mode == "managed"
	resource.type == "aws_kms_key"
}

# METADATA
# title: AWS-managed key
# description: >-
#   True when attribute attr of resource names an AWS-managed key
#   (alias/aws/<service>, as an alias name or an alias ARN).
aws_managed(resource, attr) if _aws_managed_name(resource.values[attr])

_aws_managed_name(value) if {
	is_string(value)
	contains(value, "alias/aws/")
}

# METADATA
# title: Attribute absent
# description: >-
#   True when attribute attr of resource is unset (missing, null or "") and
#   the plan does not leave it unknown.
absent(resource, attr) if {
	not resources.unknown(resource, attr)
	object.get(resource.values, attr, null) in {null, ""}
}

# METADATA
# title: Cannot verify
# description: >-
#   True when a plan leaves attribute attr unknown until apply and nothing in
#   the configuration says it is a customer-managed key.
unverifiable(resource, attr) if {
	resources.unknown(resource, attr)
	not customer_managed(resource, attr)
}

# METADATA
# title: What is wrong with the key
# description: >-
#   Undefined when attribute attr designates a customer-managed key or cannot
#   be verified (see unverifiable); otherwise the problem, for a message:
#   unset (followed by absent_means, what the service does then), AWS-managed,
#   or some other key.
problem(resource, attr, absent_means) := concat("", [attr, " is not set, so ", absent_means]) if {
	absent(resource, attr)
} else := concat("", [
	attr, " ", resource.values[attr],
	" is an AWS-managed key, whose key policy the account cannot restrict or audit",
]) if {
	aws_managed(resource, attr)
} else := concat("", ["cannot verify that ", attr, " ", resource.values[attr], " is a customer-managed key: ", unseen]) if {
	not resources.unknown(resource, attr)
	not customer_managed(resource, attr)
	names_unseen_key(resource.values[attr])
} else := concat("", [
	attr, " ", _text(resource.values[attr]),
	" is not a customer-managed key: it references no aws_kms_key in this stack and is not a key the environment trusts",
]) if {
	not resources.unknown(resource, attr)
	not customer_managed(resource, attr)
}

# METADATA
# title: Unseen key, in words
# description: >-
#   Why the gate cannot tell whether a key named outside the stack is
#   customer-managed, and how to settle it, for a message.
unseen := concat("", [
	"it names a key this stack does not declare (an alias outside alias/aws/, a key ARN or a key id), ",
	"whose kind and key policy the gate cannot see, and the environment does not trust it ",
	"(trustedKeys in the environment definition, or --trusted-key, for keys kept elsewhere)",
])

# METADATA
# title: Names a key outside the stack
# description: >-
#   True for a literal key id, key ARN or alias: it names a real key the gate
#   cannot look up. A `${...}` token names something in the configuration,
#   which the gate can see.
names_unseen_key(value) if {
	is_string(value)
	not contains(value, "${")
}

_text(value) := value if {
	is_string(value)
} else := json.marshal(value)
