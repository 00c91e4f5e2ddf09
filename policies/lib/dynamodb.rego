# METADATA
# title: DynamoDB helpers
# description: >-
#   Which tables a policy names, and which DynamoDB actions a statement
#   grants, using the generated IAM reference data (data.guardrails.iam)
#   rather than hand-typed action lists.
package guardrails.lib.dynamodb

import data.guardrails.lib.collections
import data.guardrails.lib.iam
import data.guardrails.lib.resources

_actions := data.guardrails.iam.dynamodb.actions

_table_arn := `^arn:aws[a-z-]*:dynamodb:[^:]*:[^:]*:table/([^/]+)(/.*)?$`

# METADATA
# title: Tables a Resource entry designates
# description: >-
#   The addresses of this input's tables that a policy Resource string
#   covers: through a `${aws_dynamodb_table.x.arn}` token, through an ARN
#   whose table name (wildcards allowed) matches a table's name, or "*".
tables_in("*") := _all_tables

tables_in(resource_string) := _tables_designated(resource_string) if resource_string != "*"

# Only an ARN can name a table by name: the capture allocates, so tokens skip it.
_tables_designated(resource_string) := _tables_by_token(resource_string) if {
	not startswith(resource_string, "arn:")
} else := _tables_by_token(resource_string) | {address |
	some match in regex.find_all_string_submatch_n(_table_arn, resource_string, 1)
	some address in _tables_named(match[1])
}

_tables_by_token(resource_string) := {ref |
	some ref in iam.resource_refs(resource_string)
	startswith(ref, "aws_dynamodb_table.")
}

_all_tables := {table.address | some table in resources.of_type("aws_dynamodb_table")}

# An exact name is a lookup; only a name with wildcards is matched against every table.
_tables_named(pattern) := object.get(_tables_by_name, pattern, collections.no_set) if {
	not regex.match(`[*?]`, pattern)
} else := {table.address |
	some table in resources.of_type("aws_dynamodb_table")
	glob.match(pattern, null, object.get(table.values, "name", ""))
}

_tables_by_name[name] contains table.address if {
	some table in resources.of_type("aws_dynamodb_table")
	name := table.values.name
	is_string(name)
}

# METADATA
# title: Names only specific tables
# description: >-
#   True when a Resource string designates specific tables (their indexes
#   or streams included) and nothing else: a table token, or a table ARN
#   with no wildcard in the account, region or table name.
names_specific_table(resource_string) if regex.match(`^\$\{aws_dynamodb_table\.[A-Za-z_][A-Za-z0-9_\-]*\.`, resource_string)

# Both forms are matched, not captured: rules ask this of every statement's resources, and a
# capture allocates. The token form is a reference as resources.token_refs reads one, then an attribute.
names_specific_table(resource_string) if {
	regex.match(`^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[^/*?]+(/.*)?$`, resource_string)
}

# METADATA
# title: DynamoDB actions a statement grants or denies
# description: >-
#   The (CamelCase) DynamoDB actions the statement's Action or NotAction
#   covers, whatever its Effect, expanding wildcards such as dynamodb:* or *.
covered_actions(statement) := statement.dynamodb_actions if {
	is_set(statement.dynamodb_actions)
} else := iam.expand_dynamodb_actions(statement)

# METADATA
# title: Data-plane actions a statement covers
covered_data_actions(statement) := {name |
	some name in covered_actions(statement)
	_actions[lower(name)].plane == "data"
}

# METADATA
# title: Actions by classification
# description: >-
#   data_plane, destructive and bypasses_leading_keys: sets of CamelCase
#   DynamoDB action names from the IAM reference data.
data_plane := {action.name | some action in _actions; action.plane == "data"}

destructive := {action.name | some action in _actions; action.destructive}

bypasses_leading_keys := {action.name | some action in _actions; action.bypasses_leading_keys}

# METADATA
# title: Actions that honour a condition key
# description: The DynamoDB actions whose requests carry condition key (lowercased).
supporting(key) := object.get(_supporting, lower(key), collections.no_set)

# Indexed once: rules ask it for every statement, and each ask scanned every action.
_supporting[condition_key] contains action.name if {
	some action in _actions
	some condition_key in action.condition_keys
}
