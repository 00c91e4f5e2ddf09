# METADATA
# title: Table deletions raise an alert somebody receives
# description: >-
#   DeleteTable calls (made or attempted) are recorded by CloudTrail and
#   reach EventBridge as "AWS API Call via CloudTrail" events. A stack with
#   tables has a rule matching them, a target that can deliver (a Lambda
#   EventBridge may invoke for that rule, which publishes to a topic, or a
#   topic directly), a subscriber on that topic, and a trail that records
#   management events, without which EventBridge never sees the calls.
# custom:
#   id: GR-MON-001
#   severity: high
#   practice: "Monitoring access to your data: CloudWatch Events rule -> Lambda -> SNS e-mail when a table deletion is attempted"
package guardrails.rules.monitoring.deletion_alerting

import data.guardrails.lib.resources
import data.guardrails.lib.result

_tables := {table.address | some table in resources.of_type("aws_dynamodb_table")}

## The rule ###################################################################

findings contains result.finding(rego.metadata.chain(), table, concat("", [
	table, ": no EventBridge (CloudWatch Events) rule matches DynamoDB DeleteTable calls, ",
	"so deleting the table alerts nobody; add an aws_cloudwatch_event_rule with event_pattern ",
	"{\"source\": [\"aws.dynamodb\"], \"detail-type\": [\"AWS API Call via CloudTrail\"], ",
	"\"detail\": {\"eventName\": [\"DeleteTable\"]}} and a Lambda or SNS target that reaches a subscribed topic",
])) if {
	count(_alert_rules) == 0
	some table in _tables
}

_alert_rules contains rule.address if {
	count(_tables) > 0
	some rule in resources.of_type("aws_cloudwatch_event_rule")
	_matches_delete_table(_pattern(rule))
}

_pattern(rule) := rule.values.event_pattern if {
	is_object(rule.values.event_pattern)
} else := json.unmarshal(rule.values.event_pattern) if {
	is_string(rule.values.event_pattern)
	json.is_valid(rule.values.event_pattern)
}

# A pattern restricts only the fields it lists. Only an object is a pattern: a JSON array or
# scalar lists no field, and would otherwise read as matching every event.
_matches_delete_table(pattern) if {
	is_object(pattern)
	_allows(pattern, "source", "aws.dynamodb")
	_allows(pattern, "detail-type", "AWS API Call via CloudTrail")
	detail := object.get(pattern, "detail", {})
	is_object(detail)
	_allows(detail, "eventSource", "dynamodb.amazonaws.com")
	_allows(detail, "eventName", "DeleteTable")
}

_allows(pattern, field, _) if not _has_key(pattern, field)

_allows(pattern, field, value) if {
	some allowed in _as_list(pattern[field])
	_value_matches(allowed, value)
}

_has_key(obj, key) if _ = obj[key]

_value_matches(allowed, value) if allowed == value

_value_matches(allowed, value) if {
	prefix := allowed.prefix
	is_string(prefix)
	startswith(value, prefix)
}

_as_list(value) := value if is_array(value)

_as_list(value) := [value] if not is_array(value)

## The rule's delivery ########################################################

findings contains result.finding(rego.metadata.chain(), rule, concat("", [
	rule, ": it matches DynamoDB DeleteTable calls, but ", concat("; ", problems),
	"; target a Lambda function (with an aws_lambda_permission for events.amazonaws.com whose source_arn ",
	"is this rule, publishing to an SNS topic) or an SNS topic, and keep an aws_cloudtrail that records management events",
])) if {
	some rule in _alert_rules
	problems := array.concat(sort(object.get(_rule_problems, rule, set())), _delivery_problems(rule))
	count(problems) > 0
}

_rule_problems[rule] contains "it is disabled (state = DISABLED)" if {
	some rule in _alert_rules
	resources.by_address[rule].values.state == "DISABLED"
}

_rule_problems[rule] contains "it is disabled (is_enabled = false)" if {
	some rule in _alert_rules
	resources.by_address[rule].values.is_enabled == false
}

_rule_problems[rule] contains "it is not on the default event bus, where AWS services send their events" if {
	some rule in _alert_rules
	not _default_bus(object.get(resources.by_address[rule].values, "event_bus_name", null))
}

_rule_problems[rule] contains concat("", [
	"no aws_cloudtrail in the stack records management events, ",
	"and EventBridge receives \"AWS API Call via CloudTrail\" events only from a trail",
]) if {
	some rule in _alert_rules
	count(_management_trails) == 0
}

_default_bus(bus) if bus in {null, "", "default"}

_default_bus(bus) if endswith(bus, ":event-bus/default")

_delivery_problems(rule) := [] if {
	some target in _targets(rule)
	_delivers(target, rule)
} else := ["it has no aws_cloudwatch_event_target"] if {
	count(_targets(rule)) == 0
} else := sort({problem |
	some target in _targets(rule)
	some problem in _target_problems(target, rule)
})

_targets(rule) := {target.address |
	some target in resources.of_type("aws_cloudwatch_event_target")
	some referenced in resources.resolve(target, "rule")
	referenced.address == rule
}

_delivers(target, _) if count(_referenced(target, "arn", "aws_sns_topic")) > 0

_delivers(target, rule) if {
	some function in _referenced(target, "arn", "aws_lambda_function")
	_invocable(function, rule)
	count(_referenced(function, "environment", "aws_sns_topic")) > 0
}

# Why a target delivers nowhere (only asked when none of the rule's targets delivers).
_target_problems(target, rule) := {concat("", [
	"its target ", target, " is neither a Lambda function nor an SNS topic of this stack",
])} if {
	count(_referenced(target, "arn", "aws_sns_topic")) == 0
	count(_referenced(target, "arn", "aws_lambda_function")) == 0
} else := {problem |
	some function in _referenced(target, "arn", "aws_lambda_function")
	some problem in _function_problems(function, rule)
}

_function_problems(function, rule) := {concat("", [
	"no aws_lambda_permission lets events.amazonaws.com invoke ", function,
])} if {
	count(_event_permissions(function)) == 0
} else := {concat("", [
	"the aws_lambda_permission for ", function, " (", concat(", ", sort(_event_permissions(function))),
	") is not scoped to this rule by source_arn, so any rule (in any account) may invoke it",
])} if {
	not _invocable(function, rule)
} else := {concat("", [
	function, " references no aws_sns_topic in its environment variables, so the alert has no topic to go to",
])}

_invocable(function, rule) if {
	some permission in _event_permissions(function)
	some source in resources.resolve(resources.by_address[permission], "source_arn")
	source.address == rule
}

_event_permissions(function) := {permission.address |
	some permission in resources.of_type("aws_lambda_permission")
	permission.values.principal == "events.amazonaws.com"
	object.get(permission.values, "action", "lambda:InvokeFunction") in {"lambda:InvokeFunction", "lambda:*"}
	some target in resources.resolve(permission, "function_name")
	target.address == function
}

# The addresses of the managed resources of type t that attribute attr of the resource at
# address references.
_referenced(address, attr, t) := {target.address |
	some target in resources.resolve(resources.by_address[address], attr)
	target.mode == "managed"
	target.type == t
}

## The topic's subscribers ####################################################

findings contains result.finding(rego.metadata.chain(), topic, concat("", [
	topic, ": DynamoDB DeleteTable alerts are sent to this topic, but it has no aws_sns_topic_subscription, ",
	"so nobody receives them; add a subscription (e.g. protocol email) for the team that must know",
])) if {
	some topic in _alert_topics
	not _subscribed(topic)
}

_alert_topics contains topic if {
	some rule in _alert_rules
	some target in _targets(rule)
	some topic in _referenced(target, "arn", "aws_sns_topic")
}

_alert_topics contains topic if {
	some rule in _alert_rules
	some target in _targets(rule)
	some function in _referenced(target, "arn", "aws_lambda_function")
	some topic in _referenced(function, "environment", "aws_sns_topic")
}

_subscribed(topic) if {
	some subscription in resources.of_type("aws_sns_topic_subscription")
	some target in resources.resolve(subscription, "topic_arn")
	target.address == topic
}

## The trail ##################################################################

_management_trails contains trail.address if {
	some trail in resources.of_type("aws_cloudtrail")
	object.get(trail.values, "enable_logging", true) != false
	_records_management_events(trail)
}

# No selector at all: a trail records every management event.
_records_management_events(trail) if {
	count(resources.blocks(trail, "event_selector")) == 0
	count(resources.blocks(trail, "advanced_event_selector")) == 0
}

# include_management_events defaults to true; DeleteTable is a write.
_records_management_events(trail) if {
	some selector in resources.blocks(trail, "event_selector")
	object.get(selector, "include_management_events", true) != false
	object.get(selector, "read_write_type", "All") in {null, "All", "WriteOnly"}
}

_records_management_events(trail) if {
	some selector in resources.blocks(trail, "advanced_event_selector")
	fields := resources.blocks({"values": selector}, "field_selector")
	some category in fields
	category.field == "eventCategory"
	"Management" in category.equals
	not _read_only(fields)
}

_read_only(fields) if {
	some field in fields
	field.field == "readOnly"
	field.equals == ["true"]
}
