/*
 * Turns a plan rendered by planFromSynth (an update in which nothing changes) into the plan of a
 * change, following Terraform's documented JSON plan format: resource_changes[].change.actions,
 * before, after, after_unknown, replace_paths, action_reason and previous_address; a deleted object
 * leaves planned_values and the configuration, as it does in a real plan.
 */

type JsonObject = Record<string, unknown>;

interface ResourceChange extends JsonObject {
  address: string;
  change: { actions: string[]; before: JsonObject | null; after: JsonObject | null } & JsonObject;
}

interface Plan extends JsonObject {
  planned_values: { root_module: { resources: JsonObject[] } };
  resource_changes: ResourceChange[];
  configuration: { root_module: { resources: JsonObject[] } };
}

const asPlan = (plan: JsonObject) => plan as Plan;

function changeOf(plan: Plan, address: string): ResourceChange {
  const found = plan.resource_changes.find((c) => c.address === address);
  if (!found) throw new Error(`no resource change for ${address}`);
  return found;
}

/**
 * A CDKTF stack in which the resource at address has another logical name, every `${…}` reference
 * to it following: what moving a construct or changing its id does to a stack.
 */
export function renamed<T extends { resource: Record<string, Record<string, unknown>> }>(
  stack: T,
  address: string,
  name: string,
): T {
  const [type, old] = address.split(".");
  const text = JSON.stringify(stack).split(`\${${type}.${old}.`).join(`\${${type}.${name}.`);
  const copy = JSON.parse(text) as T;
  const named = copy.resource[type];
  copy.resource[type] = Object.fromEntries(
    Object.entries(named).map(([key, body]) => [key === old ? name : key, body]),
  );
  return copy;
}

/**
 * What Terraform plans when a resource's address changes without a `moved` block: the object at
 * `from` is deleted (it is no longer in the configuration) and a new, empty one is created at
 * `address`.
 */
export function recreated(plan: JsonObject, address: string, from: string): JsonObject {
  const p = asPlan(structuredClone(plan));
  const change = changeOf(p, address);
  const existing = change.change.after ?? {};
  const [type, name] = from.split(".");
  p.resource_changes.push({
    ...change,
    address: from,
    name,
    type,
    action_reason: "delete_because_no_resource_config",
    change: { ...change.change, actions: ["delete"], before: existing, after: null, after_unknown: {} },
  });
  change.change = {
    ...change.change,
    actions: ["create"],
    before: null,
    after: { ...existing, arn: null, id: null },
    after_unknown: { ...(change.change.after_unknown as JsonObject), arn: true, id: true },
  };
  return p;
}

/** The plan replaces the object at address because the attributes changed from their `before` values. */
export function replacing(
  plan: JsonObject,
  address: string,
  before: JsonObject,
  order = ["delete", "create"],
) {
  const p = asPlan(structuredClone(plan));
  const change = changeOf(p, address);
  const after = change.change.after ?? {};
  change.change = {
    ...change.change,
    actions: order,
    before: { ...after, ...before },
    after: { ...after, arn: null, id: null },
    after_unknown: { ...(change.change.after_unknown as JsonObject), arn: true, id: true },
    replace_paths: Object.keys(before).map((attr) => [attr]),
  };
  change.action_reason = "replace_because_cannot_update";
  return p;
}

/** The plan updates the object at address in place, from `before` (merged over its planned values). */
export function updating(plan: JsonObject, address: string, before: JsonObject): JsonObject {
  const p = asPlan(structuredClone(plan));
  const change = changeOf(p, address);
  change.change = {
    ...change.change,
    actions: ["update"],
    before: { ...(change.change.after ?? {}), ...before },
  };
  return p;
}

/** The object at address was at `from` before a `moved` block; nothing else changes. */
export function moved(plan: JsonObject, address: string, from: string): JsonObject {
  const p = asPlan(structuredClone(plan));
  changeOf(p, address).previous_address = from;
  return p;
}

/**
 * What Terraform plans when a resource leaves the configuration: `plan` (made from the stack without
 * it) gains a deletion of the object that `previous` (the plan of the stack with it) shows at address.
 */
export function deletion(plan: JsonObject, previous: JsonObject, address: string): JsonObject {
  const p = asPlan(structuredClone(plan));
  const change = changeOf(asPlan(previous), address);
  p.resource_changes.push({
    ...structuredClone(change),
    action_reason: "delete_because_no_resource_config",
    change: {
      ...change.change,
      actions: ["delete"],
      before: change.change.after,
      after: null,
      after_unknown: {},
    },
  });
  return p;
}
