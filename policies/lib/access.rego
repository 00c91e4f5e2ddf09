# METADATA
# title: Fine-grained access helpers
# description: >-
#   The policy documents that grant DynamoDB access, and the condition shapes
#   the fine-grained access rules look for: dynamodb:LeadingKeys (which
#   partitions), dynamodb:Attributes (which attributes) and dynamodb:Select
#   (whether a read may return more than the projection).
package guardrails.lib.access

import data.guardrails.lib.collections
import data.guardrails.lib.iam
import data.guardrails.lib.resources

# Resource policies that can grant or limit DynamoDB requests; key, topic, queue and bucket
# policies cannot, even when their Action is "*".
_dynamodb_resource_policy_types := {"aws_dynamodb_resource_policy", "aws_vpc_endpoint", "aws_vpc_endpoint_policy"}

# METADATA
# title: Documents that govern DynamoDB access
# description: >-
#   Identity policies (roles, users, groups), and the resource policies of
#   tables and VPC endpoints. An aws_iam_policy_document data source is
#   checked where it is used, as the document of the resource that uses it.
#   Keyed like iam.documents.
dynamodb_documents[key] := doc if {
	some key, doc in iam.documents
	_governs_dynamodb(doc)
}

_governs_dynamodb(doc) if iam.purpose(doc) == "identity"

_governs_dynamodb(doc) if {
	iam.purpose(doc) == "resource"
	resources.by_address[doc.address].type in _dynamodb_resource_policy_types
}

# METADATA
# title: Multivalued DynamoDB condition keys
# description: >-
#   The keys a single request carries several values of (every partition
#   key of a batch, every attribute of a projection), lowercased.
multivalued_keys := {"dynamodb:leadingkeys", "dynamodb:attributes"}

# METADATA
# title: Conditions on a key
# description: True when the statement has any condition on key (lowercase), whatever its operator.
conditions_on(statement, key) if {
	some condition in statement.conditions
	condition.key == key
}

# METADATA
# title: Requires SPECIFIC_ATTRIBUTES
# description: >-
#   True when the statement requires StringEquals dynamodb:Select to be
#   SPECIFIC_ATTRIBUTES and nothing else. Not IfExists, and not
#   ForAllValues (both are true when the request has no Select, e.g. a
#   GetItem without a projection, which returns every attribute).
requires_specific_attributes(statement) if {
	some condition in statement.conditions
	condition.key == "dynamodb:select"
	condition.operator == "StringEquals"
	not condition.if_exists
	condition.qualifier in {"", "ForAnyValue"}
	collections.nonempty(condition.values)
	every value in condition.values {
		value == "SPECIFIC_ATTRIBUTES"
	}
}

# METADATA
# title: Key as AWS spells it
# description: The display form of a lowercased dynamodb condition key (dynamodb:leadingkeys -> dynamodb:LeadingKeys).
key_name(key) := name if {
	name := {
		"dynamodb:leadingkeys": "dynamodb:LeadingKeys",
		"dynamodb:attributes": "dynamodb:Attributes",
		"dynamodb:select": "dynamodb:Select",
	}[key]
} else := key
