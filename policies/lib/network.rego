# METADATA
# title: Network helpers
# description: >-
#   DynamoDB VPC endpoints, the policies attached to them, and the condition
#   shapes the network rules look for: aws:PrincipalOrgID (only my
#   organization), aws:SourceVpce (only through the endpoint) and
#   aws:SourceIp (which stops matching once traffic goes through an endpoint).
package guardrails.lib.network

import data.guardrails.lib.collections
import data.guardrails.lib.iam
import data.guardrails.lib.resources

# The region may be a literal or a single CDKTF token (`${data.aws_region.current.name}`).
_service_pattern := `^com\.amazonaws\.(?:[a-z0-9-]+|\$\{[^}]+\})\.dynamodb$`

# METADATA
# title: DynamoDB VPC endpoints
# description: >-
#   The addresses of the aws_vpc_endpoint resources whose service is DynamoDB,
#   of any endpoint type.
dynamodb_endpoints contains endpoint.address if {
	some endpoint in resources.of_type("aws_vpc_endpoint")
	dynamodb_service(endpoint)
}

# METADATA
# title: Endpoint for DynamoDB
# description: >-
#   True when the endpoint's service_name is com.amazonaws.<region>.dynamodb
#   (the region possibly a `${...}` token), or is a reference to an
#   aws_vpc_endpoint_service data source for service "dynamodb".
dynamodb_service(endpoint) if {
	name := endpoint.values.service_name
	is_string(name)
	regex.match(_service_pattern, name)
}

dynamodb_service(endpoint) if {
	some source in resources.resolve(endpoint, "service_name")
	source.type == "aws_vpc_endpoint_service"
	source.values.service == "dynamodb"
}

# METADATA
# title: Gateway endpoint
# description: >-
#   True when the endpoint's vpc_endpoint_type is Gateway. An absent (or
#   null) type is Gateway, the provider's default.
gateway(endpoint) if object.get(endpoint.values, "vpc_endpoint_type", null) in {null, "Gateway"}

# METADATA
# title: Policy documents of an endpoint
# description: >-
#   The readable documents attached to the endpoint (address): its own policy
#   attribute and every aws_vpc_endpoint_policy whose vpc_endpoint_id
#   references it. Keyed like iam.documents.
endpoint_documents(address) := {key: doc |
	some key, doc in iam.documents
	doc.attribute == "policy"
	_governs(doc.address, address)
}

# METADATA
# title: Unreadable policies of an endpoint
# description: >-
#   The addresses holding a policy for the endpoint that cannot be read
#   (GR-INPUT-002 reports them); such an endpoint is not "without a policy".
endpoint_unreadable(address) := {entry.address |
	some entry in iam.unreadable
	entry.attribute == "policy"
	_governs(entry.address, address)
}

_governs(policy_address, endpoint_address) if policy_address == endpoint_address

_governs(policy_address, endpoint_address) if {
	policy := resources.by_address[policy_address]
	policy.type == "aws_vpc_endpoint_policy"
	some target in resources.resolve(policy, "vpc_endpoint_id")
	target.address == endpoint_address
}

# METADATA
# title: Any principal
# description: >-
#   True when the statement applies to every principal: Principal "*" or
#   {"AWS": "*"}, or a NotPrincipal (everyone but the named ones).
any_principal(statement) if iam.allows_any_principal(statement)

any_principal(statement) if iam.uses_not_principal(statement)

# Set qualifiers a single-valued key can carry safely: ForAllValues is true
# when the key is absent, so it would let requests without the key through.
_safe_qualifiers := {"", "ForAnyValue"}

# METADATA
# title: Requires the organization
# description: >-
#   True when the statement requires aws:PrincipalOrgID to be organization,
#   with one of operators (base names such as "StringEquals"), without
#   IfExists (which passes requests that carry no organization) and with no
#   other value.
requires_organization(statement, operators, organization) if {
	some condition in statement.conditions
	condition.key == "aws:principalorgid"
	condition.operator in operators
	not condition.if_exists
	condition.qualifier in _safe_qualifiers
	collections.nonempty(condition.values)
	every value in condition.values {
		value == organization
	}
}

# METADATA
# title: Requires the VPC endpoint
# description: >-
#   True when the statement requires StringEquals aws:SourceVpce (not
#   IfExists: requests that do not come through an endpoint carry no
#   aws:SourceVpce and would pass).
requires_source_vpce(statement) if {
	some condition in statement.conditions
	condition.key == "aws:sourcevpce"
	condition.operator == "StringEquals"
	not condition.if_exists
	condition.qualifier in _safe_qualifiers
	collections.nonempty(condition.values)
}

# METADATA
# title: Denies requests from outside the VPC endpoint
# description: >-
#   True when the statement is a Deny conditioned on StringNotEquals
#   aws:SourceVpce (not IfExists: a request from outside every endpoint has
#   no aws:SourceVpce, and IfExists would not deny it) and on nothing else
#   but an exemption of DynamoDB's replication service-linked role:
#   conditions are ANDed, so another one would deny only some of the
#   requests that bypass the endpoint.
denies_outside_endpoint(statement) if {
	statement.effect == "Deny"
	outside := [condition |
		some condition in statement.conditions
		condition.key == "aws:sourcevpce"
		condition.operator == "StringNotEquals"
		not condition.if_exists
		condition.qualifier == ""
		collections.nonempty(condition.values)
	]
	count(outside) == 1
	every condition in statement.conditions {
		_outside_or_replication_exemption(condition)
	}
}

_outside_or_replication_exemption(condition) if condition.key == "aws:sourcevpce"

# The one other condition such a Deny may carry: it spares DynamoDB's replication role, which never
# calls through an endpoint and must not be denied (a global table's replica stops otherwise).
_outside_or_replication_exemption(condition) if exempts_replication_role(condition)

_replication_role_pattern := `^arn:aws[a-z-]*:iam::[0-9]{12}:role/aws-service-role/replication\.dynamodb\.amazonaws\.com/AWSServiceRoleForDynamoDBReplication$`

# METADATA
# title: Replication service-linked role
# description: >-
#   True when value is the ARN of DynamoDB's replication service-linked role
#   (AWSServiceRoleForDynamoDBReplication) in some account.
replication_role(value) if regex.match(_replication_role_pattern, value)

# METADATA
# title: Exempts the replication role
# description: >-
#   True when the condition (ArnNotEquals, ArnNotLike, StringNotEquals or
#   StringNotLike on aws:PrincipalArn, without IfExists or a set qualifier)
#   names only the replication service-linked role: a Deny carrying it never
#   applies to that role and applies to everyone else as before.
exempts_replication_role(condition) if {
	condition.key == "aws:principalarn"
	condition.operator in {"ArnNotEquals", "ArnNotLike", "StringNotEquals", "StringNotLike"}
	not condition.if_exists
	condition.qualifier == ""
	collections.nonempty(condition.values)
	every value in condition.values {
		replication_role(value)
	}
}

# METADATA
# title: aws:SourceIp conditions
# description: >-
#   The operators (as written, e.g. "IpAddressIfExists") with which the
#   statement tests aws:SourceIp.
source_ip_operators(statement) := {iam.operator_name(condition) |
	some condition in statement.conditions
	condition.key == "aws:sourceip"
	condition.operator in {"IpAddress", "NotIpAddress"}
}
