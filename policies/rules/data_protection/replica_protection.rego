# METADATA
# title: Global table replicas keep PITR and deletion protection, and replication is never denied
# description: >-
#   A replica does not inherit the table's protections: each replica block
#   sets its own point_in_time_recovery and deletion_protection_enabled,
#   both off unless set (aws_dynamodb_table_replica resources are checked by
#   GR-DP-001 and GR-DP-002). And a replicated table's resource policy must
#   not deny the replication service-linked role
#   (AWSServiceRoleForDynamoDBReplication) the actions of its policy: AWS
#   documents that replication then stops, the replica turns
#   REPLICATION_NOT_AUTHORIZED, and after 20 hours it is irreversibly
#   converted to a single-Region table
#   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/globaltables-security.html).
#   An endpoint-only Deny must exempt the role, e.g. ArnNotEquals
#   aws:PrincipalArn with its ARN.
# custom:
#   id: GR-DP-006
#   severity: high
#   practice: "Gap: global tables (the talk covers one Region); Further exploration: continuous backup and deletion protection, on every replica"
package guardrails.rules.data_protection.replica_protection

import data.guardrails.lib.dynamodb
import data.guardrails.lib.iam
import data.guardrails.lib.replication
import data.guardrails.lib.resources
import data.guardrails.lib.result

findings contains result.finding(rego.metadata.chain(), table.address, concat("", [
	table.address, ": ", concat("; ", sort(problems)),
	"; set point_in_time_recovery = true and deletion_protection_enabled = true in every replica block",
])) if {
	some table in resources.of_type("aws_dynamodb_table")
	problems := {problem |
		some replica in resources.blocks(table, "replica")
		some problem in _replica_problems(table, replica)
	}
	count(problems) > 0
}

findings contains result.cannot_verify(rego.metadata.chain(), table.address, "replica point_in_time_recovery and deletion_protection_enabled") if {
	some table in resources.of_type("aws_dynamodb_table")
	resources.unknown(table, "replica")
	some replica in resources.blocks(table, "replica")
	some attribute in ["point_in_time_recovery", "deletion_protection_enabled"]
	object.get(replica, attribute, null) == null
	count({problem | some block in resources.blocks(table, "replica"); some problem in _replica_problems(table, block)}) == 0
}

_replica_problems(table, replica) := {problem |
	some attribute, what in {
		"point_in_time_recovery": "point-in-time recovery is off, so a bad write there can be undone only from a backup",
		"deletion_protection_enabled": "deletion protection is off, so one DeleteTable in that region drops it",
	}
	value := object.get(replica, attribute, null)
	value != null
	not value in {true, "true"}
	problem := concat("", ["replica in ", _region(replica), ": ", what, " (", attribute, " is not true)"])
} | {problem |
	some attribute, what in {
		"point_in_time_recovery": "point-in-time recovery is off by default",
		"deletion_protection_enabled": "deletion protection is off by default",
	}
	not attribute in object.keys(replica)
	not resources.unknown(table, "replica")
	problem := concat("", ["replica in ", _region(replica), ": ", what, " (", attribute, " is not set)"])
}

_region(replica) := region if {
	region := replica.region_name
	is_string(region)
} else := "an unnamed region"

findings contains result.finding(rego.metadata.chain(), doc.address, concat("", [
	doc.address, ": ", concat(", ", sort(labels)),
	" deny DynamoDB's replication role (AWSServiceRoleForDynamoDBReplication) what it needs on replicated table ",
	concat(", ", sort(tables)),
	", so replication stops and after 20 hours in REPLICATION_NOT_AUTHORIZED the replica becomes a single-Region table for good; ",
	"exempt the role with \"ArnNotEquals\": {\"aws:PrincipalArn\": \"arn:aws:iam::<account>:role/aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication\"}",
])) if {
	some doc in iam.documents_for("resource")
	tables := {table | some table in _governed_tables(doc); table in replication.replicated_tables}
	count(tables) > 0
	labels := {concat("", [iam.statement_label(i, statement), " (", concat(", ", denied), ")"]) |
		some i, statement in doc.statements
		denied := replication.denied_replication_actions(statement)
		count(denied) > 0
	}
	count(labels) > 0
}

_governed_tables(doc) := _attached_tables(policy) if {
	policy := resources.by_address[doc.address]
	policy.type == "aws_dynamodb_resource_policy"
} else := {doc.address} if {
	resources.by_address[doc.address].type == "aws_dynamodb_table"
	doc.attribute == "resource_policy"
}

# The table a resource policy is attached to; a plan that cannot know the ARN yet still
# records which table it references.
_attached_tables(policy) := dynamodb.tables_in(arn) if {
	arn := policy.values.resource_arn
	is_string(arn)
	not contains(arn, "/stream/")
	not contains(arn, ".stream_arn}")
} else := {target.address |
	some target in resources.resolve(policy, "resource_arn")
	target.type == "aws_dynamodb_table"
}
