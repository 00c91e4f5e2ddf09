# METADATA
# title: Planned changes
# description: >-
#   What a `terraform show -json` plan is about to do to each managed
#   resource, from its resource_changes: the objects it destroys (deleted or
#   replaced), the updates, and words for Terraform's reasons and the
#   attributes that force a replacement. A cdk.tf.json has no changes, so
#   every rule built on this library is quiet on it. Deposed objects (left
#   over by create_before_destroy), data-source reads, no-ops, `forget` and
#   resource_drift are not changes this library reports.
package guardrails.lib.changes

import data.guardrails.lib.collections
import data.guardrails.lib.resources

# Keyed by address. A deposed object shares its address with the current
# object, so it is left out rather than allowed to overwrite it.
_current[change.address] := change if {
	resources.format == "plan"
	some change in input.document.resource_changes
	is_string(change.address)
	not change.deposed
	object.get(change, "mode", "managed") == "managed"
	is_array(change.change.actions)
}

# METADATA
# title: Destroyed objects
# description: >-
#   address -> resource change, for every current object the plan destroys:
#   deleted (["delete"]) or replaced (["delete","create"] or
#   ["create","delete"]). A moved resource (previous_address) that is only
#   updated or left alone is not here.
removals[address] := change if {
	some address, change in _current
	"delete" in change.change.actions
}

# METADATA
# title: Updates in place
# description: address -> resource change, for every current object the plan updates in place.
updates[address] := change if {
	some address, change in _current
	change.change.actions == ["update"]
}

# METADATA
# title: Changes of a type
# description: The removals (destroyed objects) whose resource type is t, keyed by address.
removals_of_type(t) := object.get(_removals_by_type, t, collections.no_object)

_removals_by_type[t] := {address: change |
	some address, change in removals
	change.type == t
} if {
	some t in {change.type | some change in removals}
}

# METADATA
# title: Replaced
# description: True when the change destroys the object and creates a new one in its place.
replaced(change) if {
	"delete" in change.change.actions
	"create" in change.change.actions
}

# METADATA
# title: What the plan does, in words
# description: '"deletes" or "replaces".'
verb(change) := "deletes" if {
	change.change.actions == ["delete"]
} else := "replaces" if {
	replaced(change)
} else := concat("", ["changes (", concat(", ", change.change.actions), ")"])

# METADATA
# title: In which order a replacement happens
# description: >-
#   ", destroying it before creating the new one" or ", creating the new one
#   before destroying it" for a replacement, else "".
order(change) := ", destroying it before creating the new one" if {
	change.change.actions == ["delete", "create"]
} else := ", creating the new one before destroying it" if {
	change.change.actions == ["create", "delete"]
} else := ""

# METADATA
# title: Terraform's reason, in words
# description: >-
#   action_reason as a parenthesis for a message ("" when the plan gives
#   none), e.g. " (Terraform: the resource is no longer in the configuration,
#   delete_because_no_resource_config)".
reason(change) := concat("", [
	" (Terraform: ", object.get(_reason_words, change.action_reason, "its reason"),
	", ", change.action_reason, ")",
]) if {
	is_string(change.action_reason)
	change.action_reason != ""
} else := ""

_reason_words := {
	"replace_because_cannot_update": "an attribute that cannot change in place changes",
	"replace_because_tainted": "the object is tainted",
	"replace_by_request": "replacement was requested (-replace)",
	"replace_by_triggers": "replace_triggered_by fired",
	"delete_because_no_resource_config": "the resource is no longer in the configuration",
	"delete_because_no_module": "its module is no longer in the configuration",
	"delete_because_wrong_repetition": "count or for_each was added or removed",
	"delete_because_count_index": "its count index is out of range",
	"delete_because_each_key": "its for_each key is gone",
	"delete_because_no_move_target": "the target of its moved block does not exist",
}

# METADATA
# title: Attributes that force the replacement
# description: >-
#   The replace_paths of a change as sorted attribute paths
#   ("hash_key", "attribute[0].name"); empty when the plan names none.
replace_paths(change) := sort({_path_text(path) |
	some path in object.get(change.change, "replace_paths", collections.no_list)
	is_array(path)
	count(path) > 0
})

_path_text(path) := concat("", [_step_text(i, step) | some i, step in path])

_step_text(_, step) := concat("", ["[", format_int(step, 10), "]"]) if is_number(step)

_step_text(0, step) := step if is_string(step)

_step_text(i, step) := concat("", [".", step]) if {
	is_string(step)
	i > 0
}

# METADATA
# title: Why it is replaced, in words
# description: >-
#   ", because hash_key and name change" when the plan names the attributes
#   that force the replacement, else "".
because(change) := concat("", [", because ", concat(" and ", paths), " change"]) if {
	paths := replace_paths(change)
	count(paths) > 1
} else := concat("", [", because ", replace_paths(change)[0], " changes"]) if {
	count(replace_paths(change)) == 1
} else := ""

# METADATA
# title: The configuration address of a change
# description: >-
#   The address configuration references use for the changed object
#   (module instance keys and index dropped).
config_address(change) := resources.config_address(object.get(change, "module_address", ""), change)

# METADATA
# title: Identifiers an object had before the change
# description: >-
#   Its arn, id and key_id as the plan's "before" records them: the strings
#   other resources use to point at it.
identifiers_before(change) := {value |
	some attr in ["arn", "id", "key_id"]
	value := change.change.before[attr]
	is_string(value)
	value != ""
}

# METADATA
# title: Surviving resources
# description: >-
#   The managed resources of type t that exist after the plan and are not
#   replaced by it, keyed by address: what is still there to be harmed when
#   something it depends on goes away.
surviving(t) := {address: resource |
	some address, resource in resources.of_type(t)
	not removals[address]
}
