# METADATA
# title: Normalized resources
# description: >-
#   One view of a stack's resources whether the gate was handed a CDKTF
#   cdk.tf.json or a `terraform show -json` plan, so that every rule is
#   written once. The input envelope is
#   {"stack": name, "document": raw JSON, "context": {...}}.
#   Only builtins that OPA compiles natively to WebAssembly are used here:
#   the JS SDK's host implementations of the others differ from OPA's.
package guardrails.lib.resources

import data.guardrails.lib.collections

# METADATA
# title: Input format
# description: >-
#   "cdktf", "plan" or "unknown". Detection is by shape, because the gate is
#   handed whatever file a pipeline produced and must fail closed on anything
#   else.
default format := "unknown"

format := "plan" if {
	_is_plan
} else := "cdktf" if {
	_is_cdktf
}

_is_plan if {
	supported_plan_version
	_has_plan_body
}

# METADATA
# title: Supported plan format version
# description: >-
#   Terraform's JSON output format is versioned: minor versions only add
#   fields, a new major version may change what existing fields mean. 0.x and
#   1.x are read; any other version is refused rather than misread.
supported_plan_version if {
	version := input.document.format_version
	is_string(version)
	some major in {"0", "1"}
	_major_is(version, major)
}

_major_is(version, major) if version == major

_major_is(version, major) if startswith(version, concat("", [major, "."]))

# METADATA
# title: Unsupported plan format version
# description: >-
#   The format_version of a document shaped like a plan whose major version
#   this library cannot read, for the input rule's message.
unsupported_plan_version := version if {
	version := input.document.format_version
	is_string(version)
	not supported_plan_version
	_has_plan_body
}

_has_plan_body if is_object(input.document.planned_values)

_has_plan_body if is_array(input.document.resource_changes)

_is_cdktf if _block_section(input.document.resource)

_is_cdktf if _block_section(input.document.data)

# Terraform's JSON syntax (HCL's) lets a block type's value be an object or an array of objects.
_block_section(value) if is_object(value)

_block_section(value) if {
	is_array(value)
	collections.nonempty(value)
	every element in value {
		is_object(element)
	}
}

# METADATA
# title: Resources by address
# description: >-
#   address -> {"address", "type", "name", "mode", "values", "unknown",
#   "path", "config_address", "filled"}. unknown maps an attribute to true
#   when a plan cannot know it before apply (always empty for cdktf, whose
#   token strings stay in values); path is the CDKTF construct path ("" for
#   plans, and for blocks without `//` metadata, which the gate does not
#   send: no rule reads it); config_address is the address configuration
#   references use;
#   filled lists the attributes a plan took from its joined configuration.
#   What an attribute references is asked with references(resource, attr).
by_address[address] := resource if {
	some address, block in _cdktf_blocks
	resource := {
		"address": address,
		"type": block.type,
		"name": block.name,
		"mode": block.mode,
		"values": _without_metadata(block.body),
		"unknown": collections.no_object,
		"path": _construct_path(block.body),
		"config_address": address,
		"filled": collections.no_object,
	}
}

# The gate sends blocks without their `//` metadata; a raw cdk.tf.json has it on every block.
_without_metadata(body) := object.remove(body, _metadata_keys) if {
	body["//"]
} else := body

_metadata_keys := ["//"]

by_address[address] := resource if {
	some address, entry in _planned_resources
	planned := entry.resource
	not _deleted(address)
	unknown := _unknown_attributes(address)
	filled := _from_configuration(entry, unknown)
	resource := {
		"address": address,
		"type": planned.type,
		"name": planned.name,
		"mode": planned.mode,
		"values": _filled_values(_object_or_empty(object.get(planned, "values", collections.no_object)), filled),
		"unknown": _still_unknown(unknown, filled),
		"path": "",
		"config_address": _instance_config_address[address],
		"filled": _filled_flags(filled),
	}
}

_filled_flags(filled) := collections.no_object if {
	not collections.nonempty(filled)
} else := {attr: true | some attr, _ in filled}

# Most resources of a plan have nothing filled in: their objects are used as they are rather than
# copied, which on a large plan is a copy of every resource's values.
_filled_values(values, filled) := values if {
	not collections.nonempty(filled)
} else := object.union(values, filled)

_still_unknown(unknown, filled) := unknown if {
	not collections.nonempty(filled)
} else := object.remove(unknown, {attr | some attr, _ in filled})

# METADATA
# title: References of an attribute
# description: >-
#   The sorted addresses attribute attr of resource references: `${...}`
#   tokens in a cdk.tf.json value (or in a value a plan took from its joined
#   configuration), and a plan configuration's expression references.
#   Computed when a rule asks rather than for every attribute of every
#   resource up front: most attributes are never asked about, and scanning
#   them all was a fifth of the policy's memory on a large stack.
references(resource, attr) := token_refs(object.get(resource.values, attr, null)) if {
	# A cdk.tf.json has no configuration expressions: its tokens are all there is, already sorted.
	format == "cdktf"
} else := sort(_expression_refs_of(resource, attr) | _token_refs_of(resource, attr))

# METADATA
# title: References of every attribute
# description: >-
#   attr -> references(resource, attr), for the attributes that reference
#   something.
all_references(resource) := {attr: refs |
	some attr in ({attr | some attr, _ in resource.values} | {attr |
		some attr, _ in object.get(_config_resources, resource.config_address, {"expressions": {}}).expressions
	})
	refs := references(resource, attr)
	collections.nonempty(refs)
}

_token_refs_of(resource, attr) := {ref |
	_holds_tokens(resource, attr)
	some ref in token_refs(resource.values[attr])
}

# CDKTF values are configuration and may hold tokens; a plan's own values are
# resolved, except those taken from its configuration.
_holds_tokens(_, _) if format == "cdktf"

_holds_tokens(resource, attr) if resource.filled[attr]

_expression_refs_of(resource, attr) := {ref |
	configured := _config_resources[resource.config_address]
	some ref in _expression_refs(configured.prefix, configured.expressions[attr])
}

# METADATA
# title: Managed resources of a type
# description: >-
#   The managed resources whose type is t, as an object keyed by address
#   (iterate it with `some resource in ...`). Data sources are left out
#   because many share a type name with a resource (aws_kms_key) and rules
#   about resources must not be satisfied by a lookup.
of_type(t) := object.get(_managed_by_type, t, collections.no_object)

# METADATA
# title: Data sources of a type
# description: The data sources whose type is t, as an object keyed by address.
data_of_type(t) := object.get(_data_by_type, t, collections.no_object)

# Indexed once per evaluation: rules ask for resources of a type inside loops, and a
# function is evaluated again on every call. Objects keyed by address, not sets of
# resources, because wasm hashes a set member's whole value.
_addresses_by_type[resource.type] contains address if some address, resource in by_address

_managed_by_type[t] := {address: resource |
	some address in addresses
	resource := by_address[address]
	resource.mode == "managed"
} if {
	some t, addresses in _addresses_by_type
}

_data_by_type[t] := {address: resource |
	some address in addresses
	resource := by_address[address]
	resource.mode == "data"
} if {
	some t, addresses in _addresses_by_type
}

# METADATA
# title: Resolve an attribute's references
# description: >-
#   The resources that attribute attr of resource references, as an object
#   keyed by address. A plan reference names a configuration address, so it
#   resolves to every instance of a counted or for_each resource.
resolve(resource, attr) := {address: by_address[address] |
	some ref in references(resource, attr)
	some address in _instances_of(ref)
}

# Most references name a resource's own address; only counted and for_each instances
# in a plan need the configuration-address index.
_instances_of(ref) := {ref} if {
	by_address[ref]
} else := object.get(_counted_instances, ref, collections.no_set)

_counted_instances[config] contains address if {
	some address, _ in by_address
	config := _instance_config_address[address]
	config != address
}

_instance_config_address[address] := address if {
	some address, _ in _cdktf_blocks
}

_instance_config_address[address] := _config_address(entry.module_address, entry.resource) if {
	some address, entry in _planned_resources
}

_object_or_empty(value) := value if is_object(value)

## A plan joined with its synthesized configuration ##########################

# When the input carries the stack's cdk.tf.json as input.configuration, an
# attribute the plan leaves unknown until apply is taken from it, `${...}`
# references included, so the first plan of a stack is judged like its
# cdk.tf.json. Values the plan knows win. CDKTF stacks have no child modules,
# so only root-module resources have a configured body.
_from_configuration(entry, unknown) := collections.no_object if {
	not collections.nonempty(unknown)
} else := {attr: value |
	some attr, _ in unknown
	attr != "//"
	value := _configured_body(entry)[attr]
}

_configured_body(entry) := body if {
	entry.module_address == ""
	section := _configuration_sections[entry.resource.mode]
	body := input.configuration[section][entry.resource.type][entry.resource.name]
	is_object(body)
}

_configuration_sections := {"managed": "resource", "data": "data"}

# METADATA
# title: Configuration address
# description: >-
#   The address configuration references use for a resource instance:
#   module instance keys and the resource's own index dropped
#   (module.a["x"].aws_s3_bucket.b[0] -> module.a.aws_s3_bucket.b).
#   module_address is the instance's module address ("" at the root) and
#   resource has mode, type and name, as in planned_values and
#   resource_changes.
config_address(module_address, resource) := _config_address(module_address, resource)

_object_or_empty(value) := collections.no_object if not is_object(value)

## CDKTF ######################################################################

# Keyed by address: the wasm engine hashes a set member's whole value on
# insertion, so sets of large objects are slow there; object keys are cheap.
_cdktf_blocks[address] := block if {
	format == "cdktf"
	some [type, named] in _labelled(input.document.resource)
	some name, written in named
	body := _body(written)
	address := concat(".", [type, name])
	block := {
		"address": address,
		"type": type,
		"name": name,
		"mode": "managed",
		"body": body,
	}
}

_cdktf_blocks[address] := block if {
	format == "cdktf"
	some [type, named] in _labelled(input.document.data)
	some name, written in named
	body := _body(written)
	address := concat(".", ["data", type, name])
	block := {
		"address": address,
		"type": type,
		"name": name,
		"mode": "data",
		"body": body,
	}
}

# [type, {name: body}] for every type a resource or data section declares. CDKTF writes each level
# as one object; Terraform's JSON syntax also takes an array of objects at each level (HCL's JSON
# spec), and a table written that way must not escape the rules.
_labelled(section) := [[type, named] |
	some element in _elements(section)
	some type, by_name in element
	some named in _elements(by_name)
]

# METADATA
# title: Module calls of a cdk.tf.json
# description: >-
#   The names of the Terraform modules a cdk.tf.json calls (its module
#   section, in any of Terraform's JSON forms). Their resources are not in
#   the document: only a plan shows them.
module_calls contains name if {
	format == "cdktf"
	some element in _elements(input.document.module)
	some name, _ in element
}

_elements(value) := [value] if {
	is_object(value)
} else := [element |
	is_array(value)
	some element in value
	is_object(element)
]

# A block's body: one object, or (HCL's JSON spec) an array of objects whose attributes together
# are the body. An array holding anything but objects is not a body Terraform accepts.
_body(written) := written if {
	is_object(written)
} else := object.union_n(written) if {
	is_array(written)
	every element in written {
		is_object(element)
	}
}

_construct_path(body) := path if {
	path := body["//"].metadata.path
	is_string(path)
} else := ""

# METADATA
# title: References in CDKTF tokens
# description: >-
#   The sorted resource addresses referenced by `${...}` tokens anywhere in
#   value (strings nested in objects and arrays included). Variables, locals,
#   module outputs and other non-resource roots are left out. Exposed so rules
#   can inspect nested attributes as well as whole top-level ones.
token_refs(value) := [ref] if {
	ref := _sole_reference(value)
} else := sort({ref |
	some text in _strings_in(value)
	some ref in _refs_in_string(text)
})

_refs_in_string(text) := [ref] if {
	ref := _sole_reference(text)
} else := _string_refs(text)

# Most tokens are the whole value, or lead literal text: `${aws_x.name.arn}`,
# `${aws_x.name.arn}/index/*`. One regex reads their reference; splitting and
# scanning the token as below allocates several times as much.
_sole_reference(value) := match[1] if {
	is_string(value)
	startswith(value, "${")
	[match] := regex.find_all_string_submatch_n(_sole_reference_pattern, value, 1)
}

# A reference (as _reference_pattern captures it), attributes or indexes after it, then literal
# text with no other `$`: no second token, no `$${` escape.
_sole_reference_pattern := `^\$\{((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_\-]*)(?:\.[A-Za-z0-9_]+|\[[0-9]+\])*\}[^$]*$`

# Only strings that hold a token: most attribute values are plain literals.
_strings_in(value) := {value} if {
	is_string(value)
	contains(value, "${")
} else := {text |
	some text in value
	is_string(text)
	contains(text, "${")
} if {
	_flat(value)
} else := {text |
	not is_string(value)
	walk(value, [_, text])
	is_string(text)
	contains(text, "${")
}

# A block of scalars (the usual one): its strings are read without walk, which allocates a path
# for every value it visits.
_flat(value) if {
	not is_string(value)
	not _nests(value)
}

_nests(value) if {
	some item in value
	is_object(item)
}

_nests(value) if {
	some item in value
	is_array(item)
}

_string_refs(text) := {ref |
	parts := split(text, "${")
	some i, part in parts
	i > 0

	# `$${` is HCL's escape for a literal `${` (IAM policy variables use it).
	not endswith(parts[i - 1], "$")
	some match in regex.find_all_string_submatch_n(_reference_pattern, _token_body(part), -1)
	ref := match[1]
	ref != ""
}

# A token usually ends at the first "}"; one holding an object or a for
# expression (`${jsonencode({...})}`) nests braces, so it is cut at the last
# "}" of its part instead. Either way literal text after the token is not
# scanned for references.
_token_body(part) := body if {
	body := substring(part, 0, indexof(part, "}"))
	not contains(body, "{")
} else := substring(part, 0, _last_index(part, "}"))

_last_index(text, char) := (count(text) - 1) - indexof(strings.reverse(text), char)

# Either an HCL string literal, consumed so that quoted text such as
# "my_bucket.example" is not read as a reference, or a resource reference.
# Resource types always carry a provider prefix ("aws_", "random_",
# "terraform_"), so requiring an underscore in the first label is what keeps
# var., local., each., count., path., terraform., self. and module. out. The
# leading character class stands in for a look-behind, which RE2 lacks, so an
# attribute chain like `x.aws_y.z` is not mistaken for a reference.
_reference_pattern := `"(?:[^"\\]|\\.)*"|(?:^|[^A-Za-z0-9_.\-])((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_\-]*)`

## Plan #######################################################################

# Keyed by address and holding the module's address rather than the module
# itself, for the same reason as _cdktf_blocks.
_planned_resources[resource.address] := entry if {
	format == "plan"
	some module in _planned_modules
	some resource in module.resources
	is_string(resource.address)
	entry := {"module_address": object.get(module, "address", ""), "resource": resource}
}

# Module nesting has no fixed depth and Rego has no recursion, so walk finds
# every module; the path check keeps values that merely contain a
# "child_modules" or "resources" key out. The root module is taken directly and
# only child_modules is walked: walk visits every value below where it starts,
# and in a root-heavy stack (every CDKTF stack) that would be every attribute
# of every resource.
_planned_modules contains input.document.planned_values.root_module if format == "plan"

_planned_modules contains module if {
	format == "plan"
	walk(input.document.planned_values.root_module.child_modules, [below, module])
	_is_module_path(array.concat(["child_modules"], below))
}

_is_module_path(path) if {
	count(path) % 2 == 0
	every i, segment in path {
		_module_path_segment(i % 2, segment)
	}
}

_module_path_segment(0, segment) if segment == "child_modules"

_module_path_segment(1, segment) if is_number(segment)

_changes[change.address] := change if {
	format == "plan"
	some change in input.document.resource_changes

	# Deposed objects share their address with the current object.
	not change.deposed
}

_deleted(address) if _changes[address].change.actions == _delete_only

_delete_only := ["delete"]

_unknown_attributes(address) := collections.no_object if {
	not _any_unknown(_changes[address].change.after_unknown)
} else := {attr: true |
	some attr, flags in _changes[address].change.after_unknown
	_contains_true(flags)
}

# Most planned objects have nothing unknown: telling so allocates nothing.
_any_unknown(after_unknown) if {
	some flags in after_unknown
	_contains_true(flags)
}

_contains_true(true)

# walk allocates a path for every value it visits: flags that are plain booleans need none.
_contains_true(value) if {
	not is_boolean(value)
	walk(value, [_, leaf])
	leaf == true
}

# The configuration address of a planned instance: module instance keys and
# the resource's own index dropped, which is the form that configuration
# references use.
_config_address(module_address, resource) := concat("", [
	_module_prefix(module_address),
	_mode_prefix(resource.mode),
	resource.type,
	".",
	resource.name,
])

_module_prefix(module_address) := concat("", [concat("", ["module.", match[1], "."]) |
	some match in regex.find_all_string_submatch_n(_module_segment_pattern, module_address, -1)
])

# The instance key is consumed whole so that a quoted for_each key holding
# "module.x" is not read as another module segment.
_module_segment_pattern := `module\.([A-Za-z_][A-Za-z0-9_\-]*)(?:\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\])?`

_mode_prefix("data") := "data."

_mode_prefix(mode) := "" if mode != "data"

# As for planned modules: the root directly, and a walk of module_calls only.
_config_modules[""] := input.document.configuration.root_module if format == "plan"

_config_modules[_config_prefix(path)] := module if {
	format == "plan"
	walk(input.document.configuration.root_module.module_calls, [below, module])
	path := array.concat(["module_calls"], below)
	_is_config_module_path(path)
}

_is_config_module_path(path) if {
	count(path) % 3 == 0
	every i, segment in path {
		_config_path_segment(i % 3, segment)
	}
}

_config_path_segment(0, segment) if segment == "module_calls"

_config_path_segment(1, segment) if is_string(segment)

_config_path_segment(2, segment) if segment == "module"

_config_prefix(path) := concat("", [concat("", ["module.", name, "."]) |
	some i, name in path
	i % 3 == 1
])

# Each configured resource's expressions, walked only for the attributes a rule asks about.
_config_resources[address] := {"prefix": prefix, "expressions": expressions} if {
	some prefix, module in _config_modules
	some resource in module.resources
	address := concat("", [prefix, resource.address])
	expressions := object.get(resource, "expressions", collections.no_object)
	is_object(expressions)
}

# Nested blocks nest expression objects (list and set blocks as arrays, map
# blocks as objects), so every "references" list under the attribute counts.
# References are relative to the module that holds the resource.
_expression_refs(prefix, expression) := {concat("", [prefix, address]) |
	walk(expression, [path, listed])
	count(path) > 0
	path[count(path) - 1] == "references"
	is_array(listed)
	some reference in listed
	address := _reference_address(reference)
}

# "aws_kms_key.x.arn" -> "aws_kms_key.x", "data.aws_x.y[0]" -> "data.aws_x.y";
# var., local., module. and other roots have no match and are dropped.
_reference_address(reference) := match[0] if {
	is_string(reference)
	some match in regex.find_all_string_submatch_n(_plan_reference_pattern, reference, 1)
}

_plan_reference_pattern := `^(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_\-]*`

## Blocks ######################################################################

# METADATA
# title: Nested blocks
# description: >-
#   The objects of a nested block such as server_side_encryption or replica,
#   as a list. CDKTF writes a single block as an object and repeated blocks
#   as a list; a plan always writes a list.
blocks(resource, name) := [value] if {
	value := resource.values[name]
	is_object(value)
} else := [item |
	some item in resource.values[name]
	is_object(item)
] if {
	is_array(resource.values[name])
} else := collections.no_list

# METADATA
# title: Unknown attribute
# description: >-
#   True when a plan cannot know attribute attr (or something inside it)
#   until apply. Never true for CDKTF input.
unknown(resource, attr) if resource.unknown[attr] == true

# METADATA
# title: References a resource of a type
# description: >-
#   True when attribute attr of resource references a managed resource of
#   type t in this input (a `${t.name.attr}` token or a plan reference).
references_type(resource, attr, t) if {
	some target in resolve(resource, attr)
	target.mode == "managed"
	target.type == t
}
