# METADATA
# title: Every way a table's data can be lost raises an alert somebody receives
# description: >-
#   Destructive calls (made or attempted) are recorded by CloudTrail and
#   reach EventBridge as "AWS API Call via CloudTrail" events. A stack with
#   tables has rules matching every call by which a table's data is lost,
#   leaves, or loses a protection: on aws.dynamodb DeleteTable, UpdateTable,
#   DeleteBackup, UpdateContinuousBackups, DeleteResourcePolicy,
#   PutResourcePolicy, ExportTableToPointInTime (data leaving),
#   DisableKinesisStreamingDestination and UpdateTimeToLive (TTL deletes
#   items); when the stack has AWS Backup vaults or selections, on aws.backup
#   DeleteBackupVault, DeleteRecoveryPoint, PutBackupVaultLockConfiguration
#   and DeleteBackupVaultLockConfiguration; and on aws.kms ScheduleKeyDeletion,
#   DisableKey and PutKeyPolicy for each table's customer-managed key and
#   each backup vault's (a pattern may narrow detail.resources.ARN, but not
#   so as to leave that key out): "If you disable or schedule deletion of the KMS key, the table
#   becomes inaccessible" after 7 days
#   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html;
#   events: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).
#   Each matching rule has a target that can deliver (a Lambda EventBridge
#   may invoke for that rule, which publishes to a topic, or a topic
#   directly), a subscriber on that topic, and a trail that records
#   management events, without which EventBridge never sees the calls.
#   A rule sees only its own region's events, and a key's events happen in
#   the key's region: a global table replica's key is covered by a rule of
#   the replica's region that alerts, or that forwards (an event-bus target
#   with a role) to the default bus of a region whose alerting rule admits
#   the key too.
# custom:
#   id: GR-MON-001
#   severity: high
#   practice: "Monitoring access to your data: CloudWatch Events rule -> Lambda -> SNS e-mail when a table deletion is attempted"
package guardrails.rules.monitoring.deletion_alerting

import data.guardrails.lib.collections
import data.guardrails.lib.keys
import data.guardrails.lib.replication
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

_alert_rules contains rule if {
	count(_tables) > 0
	some rule, pattern in _patterns
	_matches_delete_table(pattern)
}

# Rules that match only the widened events (another service's, or a table's key) are alert rules
# too: their delivery is checked the same way.
_alert_rules contains rule if {
	count(_tables) > 0
	some rule, pattern in _patterns
	some watched in _watched_events
	_matches(pattern, watched.source, watched.event_source, watched.event)
}

## The events watched #########################################################

_dynamodb_events := [
	"DeleteTable", "UpdateTable", "DeleteBackup", "UpdateContinuousBackups", "DeleteResourcePolicy",
	"PutResourcePolicy", "ExportTableToPointInTime", "DisableKinesisStreamingDestination", "UpdateTimeToLive",
]

_backup_events := [
	"DeleteBackupVault", "DeleteRecoveryPoint", "PutBackupVaultLockConfiguration",
	"DeleteBackupVaultLockConfiguration",
]

_key_events := ["ScheduleKeyDeletion", "DisableKey", "PutKeyPolicy"]

_watched_events contains {"source": "aws.dynamodb", "event_source": "dynamodb.amazonaws.com", "event": event} if {
	some event in _dynamodb_events
}

_watched_events contains {"source": "aws.backup", "event_source": "backup.amazonaws.com", "event": event} if {
	some event in _backup_events
}

_watched_events contains {"source": "aws.kms", "event_source": "kms.amazonaws.com", "event": event} if {
	some event in _key_events
}

# AWS Backup events matter once the stack keeps recovery points of its own.
_has_backups if count(resources.of_type("aws_backup_vault")) > 0

_has_backups if count(resources.of_type("aws_backup_selection")) > 0

# Each table's customer-managed keys (its replicas' included), and all of them, indexed once.
_table_keys[table] := keys.designated_keys(resource, "server_side_encryption") | keys.designated_keys(resource, "replica") if {
	some table in _tables
	resource := resources.by_address[table]
}

# The customer-managed keys of the stack's backup vaults: deleting one makes its recovery points unreadable.
_vault_keys[vault.address] := keys.designated_keys(vault, "kms_key_arn") if {
	count(_tables) > 0
	some vault in resources.of_type("aws_backup_vault")
}

_all_table_keys contains key if {
	some table_keys in _table_keys
	some key in table_keys
}

_all_table_keys contains key if {
	some vault_keys in _vault_keys
	some key in vault_keys
}

_covered contains concat(" ", [watched.source, watched.event]) if {
	some rule in _alert_rules
	not _forward_regions[rule]
	pattern := _patterns[rule]
	some watched in _watched_events
	watched.source != "aws.kms"
	_matches(pattern, watched.source, watched.event_source, watched.event)
}

# The key events a rule's pattern admits, and the keys it admits them for: every event for every
# key (a set of [key, event] pairs would allocate keys × events arrays).
_admitted_events[rule] := {event |
	pattern := _patterns[rule]
	some event in _key_events
	_matches(pattern, "aws.kms", "kms.amazonaws.com", event)
} if {
	some rule in _alert_rules
}

_admitted_keys_of[rule] := _admitted_keys(_patterns[rule].detail) if {
	some rule, events in _admitted_events
	count(events) > 0
}

# EventBridge rules see only the events of their own region, and a key's events happen in the key's
# region (a replica's key lives in the replica's region): a key is covered by an alerting rule of its
# region, or by a rule of its region that forwards to the default bus of a region whose alerting rule
# admits it too.
_key_covered[key] contains event if {
	some rule, keys in _admitted_keys_of
	not _forward_regions[rule]
	some key in keys
	_region(rule) == _region(key)
	some event in _admitted_events[rule]
}

_key_covered[key] contains event if {
	some rule, destinations in _forward_regions
	some key in object.get(_admitted_keys_of, rule, collections.no_set)
	_region(rule) == _region(key)
	some event in _admitted_events[rule]
	some destination in destinations
	some alert, keys in _admitted_keys_of
	not _forward_regions[alert]
	_region(alert) == destination
	keys[key]
	_admitted_events[alert][event]
}

# A resource's region; "" for the stack's default provider when the input does not say which region
# that is (a stack without provider blocks is one region).
_region(address) := object.get(_regions, address, "")

# Regions are compared for every key and event of every rule: each is read once.
_regions[address] := replication.region_of(resources.by_address[address]) if {
	some address in (_all_table_keys | _alert_rules)
}

# A rule whose targets hand its events to another region's default event bus (with a role, which
# EventBridge needs for that), by the regions it forwards to.
_forward_regions[rule] := regions if {
	some rule in _alert_rules
	regions := {region |
		some target in _targets(rule)
		region := _forwarded_to(resources.by_address[target])
	}
	count(regions) > 0
}

_forwarded_to(target) := match[1] if {
	arn := target.values.arn
	is_string(arn)
	not object.get(target.values, "role_arn", "") in {"", null}
	some match in regex.find_all_string_submatch_n(`^arn:aws[a-z-]*:events:([a-z0-9-]+):[0-9]{12}:event-bus/default$`, arn, 1)
}

_missing_service_events := [concat(" ", ["aws.dynamodb", event]) |
	some event in _dynamodb_events
	not concat(" ", ["aws.dynamodb", event]) in _covered
]

_missing_backup_events := [concat(" ", ["aws.backup", event]) |
	_has_backups
	some event in _backup_events
	not concat(" ", ["aws.backup", event]) in _covered
]

_missing_key_events(table) := _missing_events_of_keys(_table_keys[table])

_missing_events_of_keys(key_set) := [concat("", ["aws.kms ", event, " on ", key]) |
	some key in sort(key_set)
	some event in _key_events
	not _key_covered[key][event]
]

# The tables with something missing, found without building each table's list: in a stack
# whose alerting is complete (every shipped one) that list is empty for every table.
_tables_missing contains table if {
	count(_shared_missing) > 0
	some table in _tables
}

_tables_missing contains table if {
	some table, table_keys in _table_keys
	some key in table_keys
	some event in _key_events
	not _key_covered[key][event]
}

_shared_missing := array.concat(_missing_service_events, _missing_backup_events)

findings contains result.finding(rego.metadata.chain(), vault, concat("", [
	vault, ": no EventBridge rule matches ", concat(", ", missing),
	", so scheduling the deletion of (or disabling) the key that encrypts this vault's recovery points alerts nobody; ",
	"add those event names to an alerting aws_cloudwatch_event_rule on aws.kms ",
	"(list the key in detail.resources.ARN or leave that filter out)",
])) if {
	count(_alert_rules) > 0
	count(_unknown_patterns) == 0
	some vault, vault_keys in _vault_keys
	missing := _missing_events_of_keys(vault_keys)
	count(missing) > 0
}

findings contains result.cannot_verify(rego.metadata.chain(), vault, concat("", [
	"whether ", concat(", ", missing), " raise an alert: the event_pattern of ",
	concat(", ", sort(_unknown_patterns)),
])) if {
	count(_alert_rules) > 0
	count(_unknown_patterns) > 0
	some vault, vault_keys in _vault_keys
	missing := _missing_events_of_keys(vault_keys)
	count(missing) > 0
}

_missing(table) := array.concat(_shared_missing, _missing_key_events(table))

# A KMS record lists the key it acted on in detail.resources[].ARN; no filter there admits every key.
# The filter's ARNs are read once into the keys they name: an alert rule lists every table's key, so
# testing each key against each listed ARN would be quadratic in the tables.
_admitted_keys(detail) := _all_table_keys if {
	not _has_key(object.get(detail, "resources", collections.no_object), "ARN")
} else := {key |
	some arn in _as_list(detail.resources.ARN)
	is_string(arn)
	some key in _keys_named(arn)
	_all_table_keys[key]
}

# A key is named by a `${<key>.arn}` token or by its known ARN.
_keys_named(arn) := {match[1] |
	some match in regex.find_all_string_submatch_n(`\$\{([^{}]+)\.arn\}`, arn, -1)
} | object.get(_keys_by_arn, arn, collections.no_set)

_keys_by_arn[arn] contains key if {
	some key in _all_table_keys
	arn := resources.by_address[key].values.arn
	is_string(arn)
}

_unknown_patterns contains rule.address if {
	some rule in resources.of_type("aws_cloudwatch_event_rule")
	resources.unknown(rule, "event_pattern")
}

findings contains result.finding(rego.metadata.chain(), table, concat("", [
	table, ": no EventBridge rule matches ", concat(", ", missing),
	" (CloudTrail \"AWS API Call via CloudTrail\" events), so those ways of losing or exporting its data alert nobody; ",
	"add those event names to an alerting aws_cloudwatch_event_rule's event_pattern (a rule per source, ",
	"with detail.eventSource and detail.eventName; for aws.kms, list the table's key in detail.resources.ARN or leave it out); ",
	"a rule sees only its own region's events, so a replica's key needs a rule in the replica's region ",
	"that alerts, or forwards to the default event bus of a region whose alerting rule lists the key",
])) if {
	count(_alert_rules) > 0
	count(_unknown_patterns) == 0
	some table in _tables_missing
	missing := _missing(table)
	count(missing) > 0
}

findings contains result.cannot_verify(rego.metadata.chain(), table, concat("", [
	"whether ", concat(", ", missing), " raise an alert: the event_pattern of ",
	concat(", ", sort(_unknown_patterns)),
])) if {
	count(_alert_rules) > 0
	count(_unknown_patterns) > 0
	some table in _tables_missing
	missing := _missing(table)
	count(missing) > 0
}

# Parsed once per rule: an alert rule's pattern lists every table's key, and rules ask for it often.
_patterns[rule.address] := _pattern(rule) if some rule in resources.of_type("aws_cloudwatch_event_rule")

_pattern(rule) := rule.values.event_pattern if {
	is_object(rule.values.event_pattern)
} else := json.unmarshal(rule.values.event_pattern) if {
	is_string(rule.values.event_pattern)
	json.is_valid(rule.values.event_pattern)
}

# A pattern restricts only the fields it lists. Only an object is a pattern: a JSON array or
# scalar lists no field, and would otherwise read as matching every event.
_matches_delete_table(pattern) if _matches(pattern, "aws.dynamodb", "dynamodb.amazonaws.com", "DeleteTable")

_matches(pattern, source, event_source, event) if {
	is_object(pattern)
	_allows(pattern, "source", source)
	_allows(pattern, "detail-type", "AWS API Call via CloudTrail")
	detail := object.get(pattern, "detail", collections.no_object)
	is_object(detail)
	_allows(detail, "eventSource", event_source)
	_allows(detail, "eventName", event)
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
	rule, ": it matches ", _what_it_matches(rule), " calls, but ", concat("; ", problems),
	"; target a Lambda function (with an aws_lambda_permission for events.amazonaws.com whose source_arn ",
	"is this rule, publishing to an SNS topic) or an SNS topic, and keep an aws_cloudtrail that records management events",
])) if {
	some rule in _alert_rules
	not _forward_regions[rule]
	problems := array.concat(sort(object.get(_rule_problems, rule, collections.no_set)), _delivery_problems(rule))
	count(problems) > 0
}

# A forwarding rule delivers only if the region it forwards to has an alerting rule of its own.
findings contains result.finding(rego.metadata.chain(), rule, concat("", [
	rule, ": it forwards ", _what_it_matches(rule), " calls to the default event bus of ", destination,
	", but no alerting rule in ", destination, " matches them, so they alert nobody; ",
	"add the events (and keys) to the alert rule of ", destination, ", or target the alert function's region",
])) if {
	some rule, destinations in _forward_regions
	some destination in destinations
	not _alerting_in(destination)
}

_alerting_in(region) if {
	some rule in _alert_rules
	not _forward_regions[rule]
	_region(rule) == region
	count(_delivery_problems(rule)) == 0
}

_what_it_matches(rule) := "DynamoDB DeleteTable" if {
	_matches_delete_table(_patterns[rule])
} else := concat(", ", sort({concat(" ", [watched.source, watched.event]) |
	some watched in _watched_events
	_matches(_patterns[rule], watched.source, watched.event_source, watched.event)
}))

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

_delivery_problems(rule) := collections.no_list if {
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
	topic, ": DynamoDB deletion alerts are sent to this topic, but it has no aws_sns_topic_subscription, ",
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
