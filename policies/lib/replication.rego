# METADATA
# title: Global tables
# description: >-
#   Which tables have replicas (replica blocks, or aws_dynamodb_table_replica
#   resources whose global_table_arn references them), the region each
#   resource is created in (its region argument, else its provider's), and
#   whether a resource policy statement denies DynamoDB's replication
#   service-linked role.
package guardrails.lib.replication

import data.guardrails.lib.collections
import data.guardrails.lib.context
import data.guardrails.lib.iam
import data.guardrails.lib.network
import data.guardrails.lib.resources

# METADATA
# title: Tables with replicas
# description: >-
#   The addresses of aws_dynamodb_table resources that have a replica block
#   or that an aws_dynamodb_table_replica references.
replicated_tables contains table.address if {
	some table in resources.of_type("aws_dynamodb_table")
	collections.nonempty(resources.blocks(table, "replica"))
}

replicated_tables contains target.address if {
	some replica in resources.of_type("aws_dynamodb_table_replica")
	some target in resources.resolve(replica, "global_table_arn")
	target.type == "aws_dynamodb_table"
}

# What the replication role does on a replica (DynamoDBReplicationServiceRolePolicy, v8):
# https://docs.aws.amazon.com/aws-managed-policy/latest/reference/DynamoDBReplicationServiceRolePolicy.html
replication_actions := [
	"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
	"dynamodb:DescribeTable", "dynamodb:UpdateTable", "dynamodb:Scan", "dynamodb:DescribeStream",
	"dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeTimeToLive",
	"dynamodb:UpdateTimeToLive", "dynamodb:DescribeLimits", "dynamodb:GetResourcePolicy",
]

# METADATA
# title: Denied replication actions
# description: >-
#   The replication role's actions (sorted, without the service prefix) that
#   a Deny statement refuses it: the statement covers them, applies to the
#   role (any principal, or the role named) and has no condition the role's
#   requests are known not to meet. Replication never comes through a VPC
#   endpoint or from a source IP, its principal is the role in this account
#   and organization, and it is not a service principal.
denied_replication_actions(statement) := sort({trim_prefix(action, "dynamodb:") |
	some action in replication_actions
	iam.statement_denies_action(statement, action)
}) if {
	statement.effect == "Deny"
	_applies_to_role(statement)
	every condition in statement.conditions {
		not _spares_role(condition)
	}
} else := collections.no_list

_applies_to_role(statement) if network.any_principal(statement)

_applies_to_role(statement) if {
	some arn in iam.as_list(statement.principals.AWS)
	network.replication_role(arn)
}

# Conditions a replication request does not meet, so the Deny does not reach the role.
_spares_role(condition) if network.exempts_replication_role(condition)

_spares_role(condition) if {
	condition.key == "aws:principalarn"
	condition.operator in {"ArnEquals", "ArnLike", "StringEquals", "StringLike"}
	not condition.if_exists
	role := _role_arn
	every value in condition.values {
		not glob.match(value, null, role)
	}
}

_role_arn := concat("", [
	"arn:aws:iam::", context.account_id,
	":role/aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication",
])

# Keys a replication request does not carry: a positive test of them fails.
_spares_role(condition) if {
	condition.key in {"aws:sourcevpce", "aws:sourcevpc", "aws:sourceip", "aws:vpcsourceip"}
	condition.operator in {"StringEquals", "StringLike", "IpAddress", "ArnEquals", "ArnLike"}
	not condition.if_exists
}

_spares_role(condition) if {
	condition.key == "aws:principalisawsservice"
	condition.operator == "Bool"
	condition.values == ["true"]
}

_spares_role(condition) if {
	condition.key == "aws:principalorgid"
	condition.operator in {"StringNotEquals", "StringNotLike"}
	context.organization_id in condition.values
}

_spares_role(condition) if {
	condition.key == "aws:principalaccount"
	condition.operator in {"StringNotEquals", "StringNotLike"}
	context.account_id in condition.values
}

## Regions #####################################################################

# METADATA
# title: Region of a resource
# description: >-
#   The region a resource is created in: its own region argument (AWS
#   provider 6), else the region of the provider configuration it names
#   (`provider = "aws.<alias>"` in cdk.tf.json, provider_config_key in a
#   plan's configuration), else the default aws provider's. Undefined when
#   none of these is a literal.
region_of(resource) := region if {
	region := resource.values.region
	is_string(region)
	region != ""
	not contains(region, "${")
} else := region if {
	region := _provider_regions[_provider_key(resource)]
}

_provider_key(resource) := key if {
	resources.format == "cdktf"
	key := resource.values.provider
	is_string(key)
} else := key if {
	resources.format == "plan"
	key := _plan_provider_keys[split(resource.address, "[")[0]]
} else := "aws"

# cdk.tf.json: provider.aws is a list of configurations, one without an alias.
_provider_regions[key] := region if {
	resources.format == "cdktf"
	some config in iam.as_list(input.document.provider.aws)
	region := config.region
	is_string(region)
	key := _cdktf_provider_key(config)
}

_cdktf_provider_key(config) := concat(".", ["aws", config.alias]) if {
	is_string(config.alias)
} else := "aws"

# A plan's configuration keys providers "aws" or "aws.<alias>" (root module).
_provider_regions[key] := region if {
	resources.format == "plan"
	some key, config in input.document.configuration.provider_config
	config.name == "aws"
	region := config.expressions.region.constant_value
	is_string(region)
}

# Root-module resources by configuration address; an instance drops its index to find its own.
_plan_provider_keys[resource.address] := resource.provider_config_key if {
	resources.format == "plan"
	some resource in input.document.configuration.root_module.resources
}

# METADATA
# title: Region of a key
# description: >-
#   The region of the KMS key that attribute value designates: parsed from a
#   literal key ARN (arn:aws:kms:<region>:...), else the region of the key or
#   alias resource it references. Undefined when neither says.
key_region(value) := match[1] if {
	is_string(value)
	some match in regex.find_all_string_submatch_n(`^arn:aws[a-z-]*:kms:([a-z0-9-]+):`, value, 1)
} else := region if {
	some ref in resources.token_refs(value)
	key := resources.by_address[ref]
	key.type in {"aws_kms_key", "aws_kms_replica_key", "aws_kms_alias", "aws_kms_replica_external_key"}
	region := region_of(key)
}

# METADATA
# title: Region of a referenced key
# description: >-
#   The region of the one KMS key resource that attribute attr of resource
#   references: how a plan that leaves a key ARN unknown still says which key
#   it will be. Undefined unless exactly one key is referenced.
referenced_key_region(resource, attr) := region if {
	keys := [key |
		some key in resources.resolve(resource, attr)
		key.type in {"aws_kms_key", "aws_kms_replica_key", "aws_kms_alias", "aws_kms_replica_external_key"}
	]
	count(keys) == 1
	region := region_of(keys[0])
}
