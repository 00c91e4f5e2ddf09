# METADATA
# title: Tests for the conftest and opa eval entry
# description: A raw cdk.tf.json gets the gate's verdicts, with the facts from data.
package main_test

import data.main

_table := {"name": "Orders", "hash_key": "Id", "attribute": [{"name": "Id", "type": "S"}]}

_raw := {
	"//": {"metadata": {"stackName": "orders"}},
	"resource": {"aws_dynamodb_table": {"orders": _table}},
}

_context := {"organization_id": "o-a1b2c3d4e5", "account_id": "111122223333", "tier": "production", "today": "2026-11-24"}

_rules(results) := {[r.rule, r.address] | some r in results}

test_raw_document_gets_the_gates_violations if {
	denied := main.deny with input as _raw with data.guardrails.context as _context
	["GR-ENC-001", "aws_dynamodb_table.orders"] in _rules(denied)
	some result in denied
	result.rule == "GR-ENC-001"
	result.stack == "orders"
	startswith(result.msg, "GR-ENC-001 [critical] aws_dynamodb_table.orders: ")
}

test_envelope_is_used_as_it_is if {
	envelope := {"stack": "env", "document": _raw, "context": _context}
	denied := main.deny with input as envelope
	some result in denied
	result.stack == "env"
}

test_without_facts_the_missing_context_is_a_violation if {
	denied := main.deny with input as _raw
	["GR-INPUT-003", ""] in _rules(denied)
}

test_stack_from_context_when_the_document_does_not_name_it if {
	plain := object.remove(_raw, ["//"])
	denied := main.deny with input as plain with data.guardrails.context as object.union(_context, {"stack": "named"})
	some result in denied
	result.stack == "named"
}

test_waived_findings_warn_instead_of_deny if {
	waiver := {
		"rule": "GR-ENC-001", "address": "aws_dynamodb_table.orders",
		"reason": "migrating to its key this week", "expires": "2026-12-31",
	}
	denied := main.deny with input as _raw with data.guardrails.context as _context with data.guardrails.waivers as [waiver]
	warned := main.warn with input as _raw with data.guardrails.context as _context with data.guardrails.waivers as [waiver]
	not ["GR-ENC-001", "aws_dynamodb_table.orders"] in _rules(denied)
	["GR-ENC-001", "aws_dynamodb_table.orders"] in _rules(warned)
}

test_waivers_need_todays_date_from_the_clock_when_not_given if {
	waiver := {
		"rule": "GR-ENC-001", "address": "aws_dynamodb_table.orders",
		"reason": "migrating to its key this week", "expires": "2000-01-01",
	}
	denied := main.deny with input as _raw with data.guardrails.context as object.remove(_context, ["today"]) with data.guardrails.waivers as [waiver]
	some result in denied
	result.rule == "GR-ENC-001"
	contains(result.msg, "expired on 2000-01-01")
}
