/*
 * The parts of a stack document no rule reads, dropped before the document is serialized into the
 * wasm heap: the policy's memory grows with every input byte (about 19 heap bytes per input byte), so
 * what is not sent costs neither time nor memory. Only whole fields that the Rego never reaches are
 * dropped, so findings are the same as on the raw document, which `opa eval` and conftest users
 * still hand the policies as is (tests/gate/prune-input.test.ts proves both on the shipped stacks).
 *
 * Kept on purpose, because rules read them: provider blocks and configuration.provider_config
 * (default_tags, region), tags_all, resource_changes with change.after_unknown, replace_paths and,
 * for updates and removals, change.before/after (the change-aware rules), and configuration
 * expressions: their references and which attributes are written (a resource's constants go).
 */

import { isJsonObject as isObject, type JsonObject } from "./json-object";

/** Top-level plan fields no rule reads: state before the plan, drift, outputs, checks and variables. */
const UNREAD_PLAN_FIELDS = new Set([
  "prior_state",
  "resource_drift",
  "output_changes",
  "relevant_attributes",
  "checks",
  "variables",
]);

/** Fields of a resource change's `change` no rule reads (sensitivity masks, import details). */
const UNREAD_CHANGE_FIELDS = new Set([
  "before_sensitive",
  "after_sensitive",
  "importing",
  "generated_config",
]);

/**
 * The change rules (policies/rules/changes) read before and after only of updates and removals; for
 * an object left alone, created or read, after repeats planned_values and before is its prior state,
 * and together they were about half of a plan's bytes. after_unknown stays: it is read for every change.
 */
const VALUES_UNREAD_FOR = new Set(["no-op", "create", "read"]);
const UNREAD_VALUES_OF_UNCHANGED = new Set([...UNREAD_CHANGE_FIELDS, "before", "after"]);

function unreadChangeFields(change: JsonObject): ReadonlySet<string> {
  const { actions } = change;
  const alone = Array.isArray(actions) && actions.length === 1 && VALUES_UNREAD_FOR.has(String(actions[0]));
  return alone ? UNREAD_VALUES_OF_UNCHANGED : UNREAD_CHANGE_FIELDS;
}

function without(object: JsonObject, unread: ReadonlySet<string>): JsonObject {
  const kept: JsonObject = {};
  for (const key of Object.keys(object)) if (!unread.has(key)) kept[key] = object[key];
  return kept;
}

/**
 * A cdk.tf.json block goes without its `//` metadata. resources.rego offers rules the construct path
 * it holds, but no rule reads it (reports find a finding's construct in the raw document, see
 * definition-lines.ts), and with the metadata gone the policy need not copy every block to drop it.
 */
function pruneBlock(body: unknown): unknown {
  return isObject(body) && "//" in body ? without(body, METADATA) : body;
}

const METADATA = new Set(["//"]);

function pruneBlocks(section: unknown): unknown {
  if (!isObject(section)) return section;
  const pruned: JsonObject = {};
  for (const [type, named] of Object.entries(section)) {
    if (!isObject(named)) {
      pruned[type] = named;
      continue;
    }
    const blocks: JsonObject = {};
    for (const [name, body] of Object.entries(named)) blocks[name] = pruneBlock(body);
    pruned[type] = blocks;
  }
  return pruned;
}

function pruneCdktf(document: JsonObject): JsonObject {
  const pruned = without(document, METADATA);
  if ("resource" in document) pruned.resource = pruneBlocks(document.resource);
  if ("data" in document) pruned.data = pruneBlocks(document.data);
  return pruned;
}

/**
 * Fields of planned resources, resource changes and configured resources that no rule reads: the
 * sensitivity masks and which provider plugin and schema version wrote them (the provider
 * configuration a resource uses, provider_config_key, stays).
 */
const UNREAD_RESOURCE_FIELDS = new Set(["sensitive_values", "provider_name", "schema_version"]);

/** planned_values modules: resources lose the fields no rule reads, child modules are pruned alike. */
function prunePlannedModule(module: unknown): unknown {
  if (!isObject(module)) return module;
  const pruned = { ...module };
  if (Array.isArray(module.resources)) {
    pruned.resources = module.resources.map((resource: unknown) =>
      isObject(resource) ? without(resource, UNREAD_RESOURCE_FIELDS) : resource,
    );
  }
  if (Array.isArray(module.child_modules))
    pruned.child_modules = module.child_modules.map(prunePlannedModule);
  return pruned;
}

/**
 * A configured resource's expressions: rules read their `references` and which attributes and
 * nested blocks are written, never a resource's `constant_value` (the literal the planned values
 * already hold). Provider configurations are not pruned: rules read their constants (region,
 * default_tags).
 */
function withoutConstants(expression: unknown): unknown {
  if (Array.isArray(expression)) return expression.map(withoutConstants);
  if (!isObject(expression)) return expression;
  const kept: JsonObject = {};
  for (const [key, value] of Object.entries(expression)) {
    if (key === "constant_value") continue;
    kept[key] = key === "references" ? value : withoutConstants(value);
  }
  return kept;
}

function pruneConfigModule(module: unknown): unknown {
  if (!isObject(module)) return module;
  const pruned = { ...module };
  if (Array.isArray(module.resources)) {
    pruned.resources = module.resources.map((resource: unknown) =>
      isObject(resource) && isObject(resource.expressions)
        ? {
            ...without(resource, UNREAD_RESOURCE_FIELDS),
            expressions: withoutConstants(resource.expressions),
          }
        : resource,
    );
  }
  if (isObject(module.module_calls)) {
    const calls: JsonObject = {};
    for (const [name, call] of Object.entries(module.module_calls)) {
      calls[name] =
        isObject(call) && "module" in call ? { ...call, module: pruneConfigModule(call.module) } : call;
    }
    pruned.module_calls = calls;
  }
  return pruned;
}

function prunePlan(document: JsonObject): JsonObject {
  const pruned = without(document, UNREAD_PLAN_FIELDS);
  if (isObject(document.planned_values)) {
    pruned.planned_values = {
      ...without(document.planned_values, new Set(["outputs"])),
      ...("root_module" in document.planned_values
        ? { root_module: prunePlannedModule(document.planned_values.root_module) }
        : {}),
    };
  }
  if (isObject(document.configuration) && "root_module" in document.configuration) {
    pruned.configuration = {
      ...document.configuration,
      root_module: pruneConfigModule(document.configuration.root_module),
    };
  }
  if (Array.isArray(document.resource_changes)) {
    pruned.resource_changes = document.resource_changes.map((entry: unknown) =>
      isObject(entry) && isObject(entry.change)
        ? {
            ...without(entry, UNREAD_RESOURCE_FIELDS),
            change: without(entry.change, unreadChangeFields(entry.change)),
          }
        : entry,
    );
  }
  return pruned;
}

/**
 * The document with what no rule reads left out, by the same shape test the policy uses
 * (a string format_version with a plan body is a plan; a resource or data object is cdktf).
 * Anything else is returned untouched, so the policy still reports it as it would the raw input.
 */
export function pruneDocument(document: unknown): unknown {
  if (!isObject(document)) return document;
  const planBody = isObject(document.planned_values) || Array.isArray(document.resource_changes);
  if (typeof document.format_version === "string" && planBody) return prunePlan(document);
  if (isObject(document.resource) || isObject(document.data)) return pruneCdktf(document);
  return document;
}

const containsTrue = (value: unknown): boolean =>
  value === true ||
  (Array.isArray(value) && value.some(containsTrue)) ||
  (isObject(value) && Object.values(value).some(containsTrue));

const CONFIGURATION_SECTIONS: Record<string, string> = { managed: "resource", data: "data" };

/**
 * The synthesized stack a plan is joined with (`--config`): policies/lib/resources.rego reads from it
 * only what the plan leaves unknown, for root-module resources, and rules read its AWS providers. So it
 * keeps those attributes of those blocks and the providers: on an update plan, where almost everything
 * is known, that is a few blocks rather than a second copy of the stack.
 */
export function pruneJoinedConfiguration(configuration: unknown, plan: unknown): unknown {
  if (!isObject(configuration) || !isObject(plan) || !Array.isArray(plan.resource_changes)) {
    return pruneDocument(configuration);
  }
  const kept: JsonObject = {};
  if ("provider" in configuration) kept.provider = configuration.provider;
  for (const entry of plan.resource_changes) {
    if (!isObject(entry) || !isObject(entry.change) || !isObject(entry.change.after_unknown)) continue;
    if (entry.deposed !== undefined || !["", undefined].includes(entry.module_address as string | undefined))
      continue;
    const section = CONFIGURATION_SECTIONS[String(entry.mode ?? "managed")];
    const { type, name } = entry;
    if (section === undefined || typeof type !== "string" || typeof name !== "string") continue;
    const sectionBlocks = configuration[section];
    const typed = isObject(sectionBlocks) ? sectionBlocks[type] : undefined;
    const body = isObject(typed) ? typed[name] : undefined;
    if (!isObject(body)) continue;
    for (const [attr, flags] of Object.entries(entry.change.after_unknown)) {
      if (attr === "//" || !(attr in body) || !containsTrue(flags)) continue;
      const keptSection = (kept[section] ??= {}) as JsonObject;
      const keptType = (keptSection[type] ??= {}) as JsonObject;
      const keptBody = (keptType[name] ??= {}) as JsonObject;
      keptBody[attr] = body[attr];
    }
  }
  return kept;
}
