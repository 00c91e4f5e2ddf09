# METADATA
# title: Identity policies do not let their holder grant itself more permissions
# description: >-
#   Fine-grained table access means nothing if the principal can rewrite its
#   own permissions: with iam:* on "*" (or any IAM permissions-management
#   action on roles, users or policies the stack does not pin) it can attach
#   dynamodb:* on every table to itself. The same holds for the known
#   escalation paths: changing its own policies, passing any role to a
#   compute service it can create, and creating credentials for other users.
#   Actions are classified from the Service Authorization Reference's access
#   level "Permissions management", not from a hand-typed list.
# custom:
#   id: GR-FGA-008
#   severity: critical
#   practice: "Gap: Controlling access to your data scopes Alice's and Bob's table permissions, not whether a policy lets its holder rewrite them (privilege escalation through IAM)"
package guardrails.rules.access.privilege_escalation

import data.guardrails.lib.collections
import data.guardrails.lib.iam
import data.guardrails.lib.resources
import data.guardrails.lib.result

_fix := concat("", [
	"grant IAM permissions management only on the roles, users and policies this stack declares, never on the ",
	"policy's own holder, require iam:PermissionsBoundary on role and user changes, scope iam:PassRole to named roles, ",
	"and create credentials only for the caller itself (user/${aws:username})",
])

findings contains result.finding(rego.metadata.chain(), address, concat("", [
	address, ": ", concat("; ", sort(paths)),
	"; whoever holds this policy can escalate to any permission, dynamodb:* on every table included; ", _fix,
])) if {
	some address, paths in _violations
}

## Classification #################################################################

# IAM's permissions-management actions (lowercase name -> true), from the generated reference data.
_managing := object.get(data.guardrails.iam.permissions_management, "iam", collections.no_object)

_iam_actions := data.guardrails.iam.iam_service.actions

# What each kind of permissions-management action lets its holder do, for the message.
# Actions not named here are described by the generic path.
_path_of := {
	"attachgrouppolicy": "attach any managed policy",
	"attachrolepolicy": "attach any managed policy",
	"attachuserpolicy": "attach any managed policy",
	"putgrouppolicy": "write any inline policy",
	"putrolepolicy": "write any inline policy",
	"putuserpolicy": "write any inline policy",
	"createpolicyversion": "rewrite a managed policy as a new default version",
	"setdefaultpolicyversion": "switch a managed policy to another version",
	"updateassumerolepolicy": "rewrite a role's trust policy to assume the role",
	"deleterolepermissionsboundary": "remove a permissions boundary",
	"deleteuserpermissionsboundary": "remove a permissions boundary",
	"putrolepermissionsboundary": "replace a permissions boundary",
	"putuserpermissionsboundary": "replace a permissions boundary",
	"detachgrouppolicy": "remove the policies (Denies included) that limit a principal",
	"detachrolepolicy": "remove the policies (Denies included) that limit a principal",
	"detachuserpolicy": "remove the policies (Denies included) that limit a principal",
	"deletegrouppolicy": "remove the policies (Denies included) that limit a principal",
	"deleterolepolicy": "remove the policies (Denies included) that limit a principal",
	"deleteuserpolicy": "remove the policies (Denies included) that limit a principal",
}

_generic_path := "change what a principal may do"

# Credentials for another user are that user's permissions.
_credential_actions := {"iam:createaccesskey", "iam:createloginprofile", "iam:updateloginprofile"}

_credential_names := {"iam:createaccesskey": "iam:CreateAccessKey", "iam:createloginprofile": "iam:CreateLoginProfile", "iam:updateloginprofile": "iam:UpdateLoginProfile"}

# Compute a holder can create or change and run with a role it passes (iam:PassRole): the known
# escalation combinations. principal is the service the role is passed to (iam:PassedToService).
_compute := {
	"lambda:createfunction": {"name": "lambda:CreateFunction", "principal": "lambda.amazonaws.com"},
	"lambda:updatefunctionconfiguration": {"name": "lambda:UpdateFunctionConfiguration", "principal": "lambda.amazonaws.com"},
	"ec2:runinstances": {"name": "ec2:RunInstances", "principal": "ec2.amazonaws.com"},
	"autoscaling:createlaunchconfiguration": {"name": "autoscaling:CreateLaunchConfiguration", "principal": "ec2.amazonaws.com"},
	"ecs:registertaskdefinition": {"name": "ecs:RegisterTaskDefinition", "principal": "ecs-tasks.amazonaws.com"},
	"ecs:runtask": {"name": "ecs:RunTask", "principal": "ecs-tasks.amazonaws.com"},
	"glue:createdevendpoint": {"name": "glue:CreateDevEndpoint", "principal": "glue.amazonaws.com"},
	"glue:createjob": {"name": "glue:CreateJob", "principal": "glue.amazonaws.com"},
	"cloudformation:createstack": {"name": "cloudformation:CreateStack", "principal": "cloudformation.amazonaws.com"},
	"cloudformation:updatestack": {"name": "cloudformation:UpdateStack", "principal": "cloudformation.amazonaws.com"},
	"datapipeline:createpipeline": {"name": "datapipeline:CreatePipeline", "principal": "datapipeline.amazonaws.com"},
	"sagemaker:createnotebookinstance": {"name": "sagemaker:CreateNotebookInstance", "principal": "sagemaker.amazonaws.com"},
	"sagemaker:createtrainingjob": {"name": "sagemaker:CreateTrainingJob", "principal": "sagemaker.amazonaws.com"},
	"sagemaker:createprocessingjob": {"name": "sagemaker:CreateProcessingJob", "principal": "sagemaker.amazonaws.com"},
	"codebuild:createproject": {"name": "codebuild:CreateProject", "principal": "codebuild.amazonaws.com"},
	"states:createstatemachine": {"name": "states:CreateStateMachine", "principal": "states.amazonaws.com"},
}

# Every action this rule looks for by name, and the service its resources belong to.
_watched := ({action | some action in _credential_actions} | {"iam:passrole"}) | {action | some action, _ in _compute}

## Statements ###################################################################

# Identity documents are the ones attached to a principal (or, for aws_iam_policy, made to be).
_identity := iam.documents_for("identity")

# Each distinct action pattern is matched once: stacks repeat the same few patterns in
# thousands of statements.
_patterns contains pattern if {
	some pattern in {pattern |
		some doc in _identity
		some statement in doc.statements
		statement.effect == "Allow"
		some pattern in statement.actions
	}
	_may_name_watched(split(pattern, ":")[0])
}

_may_name_watched(service) if contains(service, "*")

_may_name_watched(service) if contains(service, "?")

_may_name_watched(service) if service in _watched_services

_watched_services := {split(action, ":")[0] | some action in _watched}

_pattern_managing[pattern] := {key |
	some key, action in _managing_lowercase
	glob.match(pattern, null, action)
} if {
	some pattern in _patterns
}

_pattern_watched[pattern] := {action |
	some action in _watched
	glob.match(pattern, null, action)
} if {
	some pattern in _patterns
}

# The permissions-management actions (lowercase names) and watched actions a statement covers.
# Statement actions are read in lowercase, as these names (and _watched's) are written.
_managing_lowercase[key] := concat(":", ["iam", key]) if some key, _ in _managing

# Every action this rule looks for, as statement actions are read.
_looked_for := _watched | {action | some action in _managing_lowercase}

_managing_of(statement) := {key |
	some key, action in _managing_lowercase
	not iam.lowered_action_matches(statement.not_actions, action)
} if {
	collections.nonempty(statement.not_actions)
} else := {key |
	some pattern in statement.actions
	some key in _pattern_managing[pattern]
}

_watched_of(statement) := {action |
	some action in _watched
	not iam.lowered_action_matches(statement.not_actions, action)
} if {
	collections.nonempty(statement.not_actions)
} else := {action |
	some pattern in statement.actions
	some action in _pattern_watched[pattern]
}

# Most statements name no action this rule looks for: telling so builds no set (wasm frees
# nothing until the evaluation ends, and the rule reads every statement of every identity policy).
_names_managing(statement) if collections.nonempty(statement.not_actions)

_names_managing(statement) if {
	some pattern in statement.actions
	collections.nonempty(_pattern_managing[pattern])
}

_names_watched(statement) if collections.nonempty(statement.not_actions)

_names_watched(statement) if {
	some pattern in statement.actions
	collections.nonempty(_pattern_watched[pattern])
}

# An unconditional Deny on "*" in the same document takes an action away.
_denied[doc_key] contains action if {
	some doc_key, doc in _identity
	some statement in doc.statements
	statement.effect == "Deny"
	not collections.nonempty(statement.conditions)
	"*" in statement.resources
	some action in _looked_for
	iam.statement_matches_action(statement, action)
}

_granted(doc_key, action) if not action in object.get(_denied, doc_key, collections.no_set)

## Resources ######################################################################

# How a Resource entry designates IAM principals and policies: "any" ("*", a wildcard, or
# NotResource: entities the stack does not pin), "self" (the policy's own holder), or
# "named" (specific entities). Entries that cannot be IAM resources are left out.
_targets(statement, holders) := ({[resource, kind] |
	some resource in statement.resources
	iam.resource_may_match(resource, "iam")
	kind := _kind(resource, holders)
} | {["NotResource", "any"] |
	collections.nonempty(statement.not_resources)
}) | {["no Resource", "any"] |
	not collections.nonempty(statement.resources)
	not collections.nonempty(statement.not_resources)
}

_kind(resource, holders) := "self" if {
	_names_holder(resource, holders)
} else := "any" if {
	not is_string(resource)
} else := "any" if {
	regex.match(`[*?]`, _without_tokens(resource))
} else := "named"

_names_holder(resource, holders) if {
	some ref in iam.resource_refs(resource)
	ref in holders
}

_names_holder(resource, holders) if {
	some holder in holders
	resource == resources.by_address[holder].values.arn
}

# The policy variable for the caller's own user name (written $${aws:username} in CDKTF).
_names_holder(resource, _) if {
	is_string(resource)
	contains(resource, "{aws:username}")
}

# Tokens are specific values (a resource's name or the caller's account), not wildcards.
_without_tokens(text) := concat("", [_outside_token(i, part) | some i, part in split(text, "${")])

_outside_token(0, part) := part

_outside_token(i, part) := substring(part, indexof(part, "}") + 1, -1) if i > 0

_target_text(resource) := concat("", ["\"", resource, "\""]) if {
	not resource in {"NotResource", "no Resource"}
} else := resource

# A condition that requires the permissions boundary (or names the only policies that may be
# attached) bounds what the actions that honour it can grant.
_bounded(statement, key) if {
	not key in _removes_boundary
	some condition_key in {"iam:permissionsboundary", "iam:policyarn"}
	condition_key in _iam_actions[key].condition_keys
	_requires_specific(statement, condition_key)
}

# Requiring the boundary of a role whose boundary is being deleted permits exactly that deletion.
_removes_boundary := {"deleterolepermissionsboundary", "deleteuserpermissionsboundary"}

_requires_specific(statement, condition_key) if {
	some condition in statement.conditions
	condition.key == condition_key
	condition.operator in {"StringEquals", "ArnEquals", "StringLike", "ArnLike"}
	not condition.if_exists
	condition.qualifier in {"", "ForAnyValue"}
	collections.nonempty(condition.values)
	every value in condition.values {
		not regex.match(`^[*?]*$`, value)
	}
}

## Holders ########################################################################

# The roles, users and groups an identity document is attached to. An aws_iam_policy that
# nothing in the stack attaches is its own holder: it exists to be attached.
_holders[doc_key] := holders if {
	some doc_key, doc in _identity
	holders := _attached(doc)
}

_attached(doc) := {doc.address} if {
	doc.kind == "inline_policy"
} else := _named(resources.by_address[doc.address], _holder_attribute[resources.by_address[doc.address].type]) if {
	_holder_attribute[resources.by_address[doc.address].type]
} else := object.get(_policy_holders, doc.address, collections.no_set)

_holder_attribute := {
	"aws_iam_role_policy": "role",
	"aws_iam_user_policy": "user",
	"aws_iam_group_policy": "group",
}

_principal_types := {"aws_iam_role", "aws_iam_user", "aws_iam_group"}

_named(resource, attr) := {target.address |
	some target in resources.resolve(resource, attr)
	target.type in _principal_types
} | {address |
	some name in iam.as_list(object.get(resource.values, attr, collections.no_list))
	is_string(name)
	some address in object.get(_principals_by_name, name, collections.no_set)
}

_principals_by_name[name] contains principal.address if {
	some type in _principal_types
	some principal in resources.of_type(type)
	name := principal.values.name
	is_string(name)
}

_policies_by_arn[arn] contains policy.address if {
	some policy in resources.of_type("aws_iam_policy")
	arn := policy.values.arn
	is_string(arn)
}

_attachments := {
	"aws_iam_role_policy_attachment": ["role"],
	"aws_iam_user_policy_attachment": ["user"],
	"aws_iam_group_policy_attachment": ["group"],
	"aws_iam_policy_attachment": ["roles", "users", "groups"],
}

_policy_holders[policy] contains holder if {
	some type, attrs in _attachments
	some attachment in resources.of_type(type)
	some policy in _policies_named(attachment, "policy_arn")
	some attr in attrs
	some holder in _named(attachment, attr)
}

_policy_holders[policy] contains role.address if {
	some role in resources.of_type("aws_iam_role")
	some policy in _policies_named(role, "managed_policy_arns")
}

_policies_named(resource, attr) := {target.address |
	some target in resources.resolve(resource, attr)
	target.type == "aws_iam_policy"
} | {policy |
	some arn in iam.as_list(object.get(resource.values, attr, collections.no_list))
	is_string(arn)
	some policy in object.get(_policies_by_arn, arn, collections.no_set)
}

# What a document's holder is made of: the holders themselves, this policy, and every managed
# policy attached to them (a new default version of one rewrites the holder's permissions).
_selves(doc_key, doc) := ({doc.address} | holders) | {policy |
	some holder in holders
	some policy in object.get(_policies_of, holder, collections.no_set)
} if {
	holders := object.get(_holders, doc_key, collections.no_set)
}

_policies_of[holder] contains policy if {
	some policy, holders in _policy_holders
	some holder in holders
}

# Who combines the documents' permissions: each holder, or the unattached policy itself.
_holder_keys(doc_key) := object.get(_holders, doc_key, collections.no_set) if {
	count(object.get(_holders, doc_key, collections.no_set)) > 0
} else := {_identity[doc_key].address}

## Escalation paths ################################################################

_violations[doc.address] contains path if {
	some doc_key, doc in _identity
	some i, statement in doc.statements
	statement.effect == "Allow"
	_names_managing(statement)
	keys := {key | some key in _managing_of(statement); _granted(doc_key, _managing_lowercase[key])}
	count(keys) > 0
	some path in _managing_paths(iam.statement_label(i, statement), statement, keys, _selves(doc_key, doc))
}

_violations[doc.address] contains path if {
	some doc_key, doc in _identity
	some i, statement in doc.statements
	statement.effect == "Allow"
	_names_watched(statement)
	actions := {action | some action in (_watched_of(statement) & _credential_actions); _granted(doc_key, action)}
	count(actions) > 0
	users := {_target_text(resource) |
		some [resource, kind] in _targets(statement, object.get(_holders, doc_key, collections.no_set))
		kind != "self"
		_may_be_user(resource)
	}
	count(users) > 0
	path := concat("", [
		iam.statement_label(i, statement), " grants ", concat(", ", sort({_credential_names[action] | some action in actions})),
		" on ", concat(", ", sort(users)),
		" (sign in as another user with that user's permissions)",
	])
}

_violations[doc.address] contains path if {
	some doc_key, doc in _identity
	some i, statement in doc.statements
	statement.effect == "Allow"
	_names_watched(statement)
	"iam:passrole" in _watched_of(statement)
	_granted(doc_key, "iam:passrole")
	roles := {_target_text(resource) |
		some [resource, "any"] in _targets(statement, collections.no_set)
	}
	count(roles) > 0
	services := _passed_to(statement)
	grants := {[where, _compute[action].name] |
		some holder in _holder_keys(doc_key)
		some [action, where] in object.get(_compute_grants, holder, collections.no_set)
		some service in services
		glob.match(service, null, _compute[action].principal)
	}
	count(grants) > 0
	path := concat("", [
		iam.statement_label(i, statement), " grants iam:PassRole on ", concat(", ", sort(roles)), ", and ",
		concat("; ", sort({concat("", [where, " grants ", concat(", ", sort({name | some [where, name] in grants}))]) |
			some [where, _] in grants
		})),
		" (pass any role to compute it creates or changes, and act with that role's permissions)",
	])
}

_managing_paths(label, statement, keys, holders) := {concat("", [
	label, " grants ", _actions_text(unbounded), " on ", concat(", ", sort(texts)),
	" (", _paths_text(unbounded), " for roles, users or policies the stack does not pin)",
]) |
	unbounded := {key | some key in keys; not _bounded(statement, key)}
	count(unbounded) > 0
	texts := {_target_text(resource) | some [resource, "any"] in _targets(statement, holders)}
	count(texts) > 0
} | {concat("", [
	label, " grants ", _actions_text(unbounded), " on ", concat(", ", sort(texts)),
	", the policy's own holder or one of its policies (it can change its own permissions)",
]) |
	unbounded := {key | some key in keys; not _bounded(statement, key)}
	count(unbounded) > 0
	texts := {_target_text(resource) | some [resource, "self"] in _targets(statement, holders)}
	count(texts) > 0
}

_paths_text(keys) := "attach or write any policy, rewrite trust policies and permissions boundaries" if {
	count(keys) == count(_managing)
} else := concat(", ", sort({object.get(_path_of, key, _generic_path) | some key in keys}))

_actions_text(keys) := "every IAM permissions-management action (iam:*)" if {
	count(keys) == count(_managing)
} else := concat(", ", sort({concat(":", ["iam", _iam_actions[key].name]) | some key in keys}))

_may_be_user(resource) if resource in {"NotResource", "no Resource", "*"}

_may_be_user(resource) if {
	is_string(resource)
	some ref in iam.resource_refs(resource)
	startswith(ref, "aws_iam_user.")
}

_may_be_user(resource) if {
	is_string(resource)
	iam.resource_may_match(resource, "iam")
	not startswith(resource, "${")
	some match in regex.find_all_string_submatch_n(`^[^:]*:[^:]*:[^:]*:[^:]*:[^:]*:([^*?]*)`, resource, 1)
	_prefix_compatible(match[1], "user/")
}

_prefix_compatible(literal, prefix) if startswith(literal, prefix)

_prefix_compatible(literal, prefix) if startswith(prefix, literal)

# The services iam:PassedToService lets the role go to; "*" when the statement does not say.
_passed_to(statement) := values if {
	values := {value |
		some condition in statement.conditions
		condition.key == "iam:passedtoservice"
		condition.operator in {"StringEquals", "StringLike"}
		not condition.if_exists
		some value in condition.values
	}
	count(values) > 0
} else := {"*"}

# [compute action, "<label> of <document address>"] for every holder that can create compute.
_compute_grants[holder] contains [action, where] if {
	some doc_key, doc in _identity
	some i, statement in doc.statements
	statement.effect == "Allow"
	some action in _watched_of(statement)
	_compute[action]
	_granted(doc_key, action)
	_reaches_service(statement, split(action, ":")[0])
	some holder in _holder_keys(doc_key)
	where := concat("", [iam.statement_label(i, statement), " of ", doc.address])
}

_reaches_service(statement, _) if not collections.nonempty(statement.resources)

_reaches_service(statement, _) if collections.nonempty(statement.not_resources)

_reaches_service(statement, service) if {
	some resource in statement.resources
	iam.resource_may_match(resource, service)
}
