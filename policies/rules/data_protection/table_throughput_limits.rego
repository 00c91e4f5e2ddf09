# METADATA
# title: Production on-demand tables and indexes have throughput maxima
# description: >-
#   An on-demand (PAY_PER_REQUEST) table scales to whatever it is asked for,
#   so a runaway client or a stolen credential turns into an unbounded bill
#   and can starve the table's other readers. DynamoDB lets each on-demand
#   table and global secondary index set a maximum of read and write request
#   units per second, beyond which requests are throttled
#   (on_demand_throughput: max_read_request_units, max_write_request_units;
#   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode-max-throughput.html).
#   In production both maxima are set, as positive numbers (-1 means no
#   maximum), on the table and on each of its indexes.
# custom:
#   id: GR-DP-005
#   severity: medium
#   practice: "Gap: the talk predates on-demand maximum throughput, which bounds what an abused table can cost"
package guardrails.rules.data_protection.table_throughput_limits

import data.guardrails.lib.collections
import data.guardrails.lib.context
import data.guardrails.lib.resources
import data.guardrails.lib.result

_fix := concat("", [
	"set on_demand_throughput { max_read_request_units, max_write_request_units } to positive ceilings ",
	"on the table and in each global_secondary_index",
])

findings contains result.finding(rego.metadata.chain(), table.address, concat("", [
	table.address, ": this on-demand table has no throughput maximum on ", concat(", ", unbounded),
	", so a runaway client or a stolen credential can consume (and bill) without limit; ", _fix,
])) if {
	some table in _on_demand_tables
	not _unverifiable(table)
	unbounded := _unbounded(table)
	collections.nonempty(unbounded)
}

findings contains result.cannot_verify(rego.metadata.chain(), table.address, "on_demand_throughput") if {
	some table in _on_demand_tables
	_unverifiable(table)
	collections.nonempty(_unbounded(table))
}

# Keyed by address: a set of tables would hash every table's whole value.
_on_demand_tables[table.address] := table if {
	context.production
	some table in resources.of_type("aws_dynamodb_table")
	object.get(table.values, "billing_mode", "PROVISIONED") == "PAY_PER_REQUEST"
}

_unbounded(table) := array.concat(
	[concat("", ["the table (", _missing(table.values), ")"]) | not _bounded(table.values)],
	[concat("", ["index ", object.get(index, "name", "(unnamed)"), " (", _missing(index), ")"]) |
		some index in resources.blocks(table, "global_secondary_index")
		not _bounded(index)
	],
)

_bounded(block) if {
	some ceilings in resources.blocks({"values": block}, "on_demand_throughput")
	_positive(object.get(ceilings, "max_read_request_units", null))
	_positive(object.get(ceilings, "max_write_request_units", null))
}

_positive(value) if {
	is_number(value)
	value > 0
}

_positive(value) if {
	is_string(value)
	to_number(value) > 0
}

_missing(block) := "no on_demand_throughput block" if {
	count(resources.blocks({"values": block}, "on_demand_throughput")) == 0
} else := "max_read_request_units or max_write_request_units unset or not positive"

# A plan leaves a configured maximum unknown when it comes from a variable or another resource.
_unverifiable(table) if {
	some attr in ["on_demand_throughput", "global_secondary_index"]
	resources.unknown(table, attr)
	_configured[table.address]
}

_configured contains resource.address if {
	resources.format == "plan"
	some resource in input.document.configuration.root_module.resources
	resource.type == "aws_dynamodb_table"
	walk(resource.expressions, [path, _])
	path[count(path) - 1] == "on_demand_throughput"
}
