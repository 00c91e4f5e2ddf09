# METADATA
# title: Each replica is encrypted with a key of its own region
# description: >-
#   A KMS key works only in its own region, and DynamoDB encrypts a replica
#   with a key in the replica's region: a multi-region replica key there, or
#   a key of that region (for instance through a provider alias for it). A
#   replica block or aws_dynamodb_table_replica whose kms_key_arn names a key
#   of another region fails at apply time, after the rest of the stack has
#   changed (AWS: "DynamoDB global tables security",
#   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/globaltables-security.html).
#   Whether a replica has a customer-managed key at all is GR-ENC-001's.
# custom:
#   id: GR-ENC-009
#   severity: high
#   practice: "Protecting your data at rest: customer managed CMK, on every replica of a global table"
package guardrails.rules.encryption.replica_key_region

import data.guardrails.lib.replication
import data.guardrails.lib.resources
import data.guardrails.lib.result

_fix := "use a key created in the replica's region (a provider alias or the region argument for it), or an aws_kms_replica_key of a multi-Region key there"

findings contains result.finding(rego.metadata.chain(), table.address, concat("", [
	table.address, ": ", concat("; ", sort(problems)),
	", and DynamoDB can encrypt a replica only with a key of its own region; ", _fix,
])) if {
	some table in resources.of_type("aws_dynamodb_table")
	replicas := resources.blocks(table, "replica")
	problems := {concat("", ["replica in ", region, " names kms_key_arn in ", key_region]) |
		some replica in replicas
		region := replica.region_name
		is_string(region)
		key_region := _block_key_region(table, replica, count(replicas))
		key_region != region
	}
	count(problems) > 0
}

findings contains result.finding(rego.metadata.chain(), replica.address, concat("", [
	replica.address, ": the replica is created in ", region, " but kms_key_arn names a key in ", key_region,
	", and DynamoDB can encrypt a replica only with a key of its own region; ", _fix,
])) if {
	some replica in resources.of_type("aws_dynamodb_table_replica")
	region := replication.region_of(replica)
	key_region := _resource_key_region(replica)
	key_region != region
}

_resource_key_region(replica) := region if {
	region := replication.key_region(object.get(replica.values, "kms_key_arn", null))
} else := replication.referenced_key_region(replica, "kms_key_arn") if {
	resources.unknown(replica, "kms_key_arn")
}

# A plan that leaves a replica's key unknown records the key the replica attribute references;
# with one replica block, that reference is the block's key.
_block_key_region(table, replica, 1) := region if {
	region := replication.key_region(object.get(replica, "kms_key_arn", null))
} else := replication.referenced_key_region(table, "replica") if {
	resources.unknown(table, "replica")
}

_block_key_region(_, replica, n) := replication.key_region(object.get(replica, "kms_key_arn", null)) if n > 1
