# METADATA
# title: Tables and KMS keys carry owner, environment and data-classification tags
# description: >-
#   The talk's practices (who may read which items, which key protects what, who is alerted)
#   all start from knowing whose data a table holds and how sensitive it is, yet nothing in the
#   stack records it. Tags, set at creation time as the talk's tagging slide advises, make the
#   owner, the environment and the classification visible to reviewers, tag-based policies and
#   billing. The provider's default_tags count.
# custom:
#   id: GR-GOV-001
#   severity: low
#   practice: "Gap: ownership and classification of data are not visible"
package guardrails.rules.governance.required_tags

import data.guardrails.lib.collections
import data.guardrails.lib.resources
import data.guardrails.lib.result

_required := ["data-classification", "environment", "owner"]

_types := {"aws_dynamodb_table", "aws_kms_key"}

findings contains result.finding(rego.metadata.chain(), resource.address, concat("", [
	resource.address, ": required tags missing or empty: ", concat(", ", missing),
	" (the aws provider's default_tags counted), so nobody can tell who owns this data, ",
	"which environment it belongs to or how sensitive it is; add them to its tags or to the provider's default_tags",
])) if {
	some type in _types
	some resource in resources.of_type(type)
	not _cannot_verify(resource)
	missing := [tag | some tag in _required; not _has_tag(resource, tag)]
	count(missing) > 0
}

findings contains result.cannot_verify(rego.metadata.chain(), resource.address, "tags") if {
	some type in _types
	some resource in resources.of_type(type)
	_cannot_verify(resource)
}

_filled(value) if {
	is_string(value)
	trim_space(value) != ""
}

_has_key(obj, key) if _ = obj[key]

_resource_tags(resource) := tags if {
	tags := resource.values.tags
	is_object(tags)
} else := collections.no_object

## CDKTF: the resource's tags over its provider's default_tags ##################

_has_tag(resource, tag) if {
	resources.format == "cdktf"
	_filled(_resource_tags(resource)[tag])
}

# A resource tag, even an empty one, overrides the default tag of the same key.
_has_tag(resource, tag) if {
	resources.format == "cdktf"
	not _has_key(_resource_tags(resource), tag)
	some provider in _cdktf_providers
	_alias(provider) == _provider_alias(resource)
	some block in _as_list(object.get(provider, "default_tags", collections.no_list))
	_filled(block.tags[tag])
}

_cdktf_providers := _as_list(object.get(object.get(input.document, "provider", collections.no_object), "aws", collections.no_list))

_as_list(value) := value if is_array(value)

_as_list(value) := [value] if is_object(value)

_alias(provider) := provider.alias if {
	is_string(provider.alias)
} else := ""

# "aws.<alias>" names an aliased provider; no provider attribute, the unaliased one.
_provider_alias(resource) := substring(resource.values.provider, 4, -1) if {
	is_string(resource.values.provider)
	startswith(resource.values.provider, "aws.")
} else := ""

## Plan: tags_all when known, else tags over the provider's default_tags ########

_has_tag(resource, tag) if {
	resources.format == "plan"
	_filled(resource.values.tags_all[tag])
}

_has_tag(resource, tag) if {
	resources.format == "plan"
	some attribute in ["tags_all", "tags"]
	_unknown_value(resource.address, attribute, tag)
}

_has_tag(resource, tag) if {
	resources.format == "plan"
	not _known_tags_all(resource)
	_filled(_resource_tags(resource)[tag])
}

_has_tag(resource, tag) if {
	resources.format == "plan"
	not _known_tags_all(resource)
	not _has_key(_resource_tags(resource), tag)
	some block in _as_list(object.get(object.get(_plan_provider(resource), "expressions", collections.no_object), "default_tags", collections.no_list))
	_filled(block.tags.constant_value[tag])
}

# Terraform computes tags_all (default_tags merged in) whenever it knows every tag.
_known_tags_all(resource) if is_object(resource.values.tags_all)

# A tag whose value the plan leaves unknown is there, whatever its value turns out to be.
_unknown_value(address, attribute, tag) if _after_unknown[address][attribute][tag] == true

# The whole tags map unknown (e.g. from a variable) and no known tags_all: nothing to read.
_cannot_verify(resource) if {
	resources.format == "plan"
	not _known_tags_all(resource)
	_after_unknown[resource.address].tags == true
}

_after_unknown[change.address] := change.change.after_unknown if {
	resources.format == "plan"
	some change in input.document.resource_changes
	not change.deposed
	is_object(change.change.after_unknown)
}

_provider_configs := object.get(object.get(input.document, "configuration", {}), "provider_config", collections.no_object)

# The provider configuration a root-module resource names (provider_config_key), else "aws".
_plan_provider(resource) := _provider_configs[key] if {
	some config in input.document.configuration.root_module.resources
	config.address == resource.address
	key := config.provider_config_key
	_has_key(_provider_configs, key)
} else := object.get(_provider_configs, "aws", collections.no_object)
