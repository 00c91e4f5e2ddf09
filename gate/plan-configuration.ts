import { GateError } from "./gate-error";
import { isJsonObject as isObject, type JsonObject as Json } from "./json-object";
import { readInputs, type StackDocument } from "./inputs";
import { canonicalBlocks } from "./terraform-json";

/*
 * A plan joined with the synthesized stack it was made from (`check PLAN --config cdktf.out`): the
 * policies take every value the plan leaves unknown until apply from the configuration, so the first
 * plan of a new environment gets the verdict its cdk.tf.json gets. TypeScript only pairs the two
 * documents and refuses pairs that do not describe the same resources; the join itself is in the
 * policies' input library, so `opa eval` users get it from the same input.
 */

/** The synthesized stacks under every --config path, by stack name. */
export function readConfigurations(paths: readonly string[]): Map<string, StackDocument> {
  const byName = new Map<string, StackDocument>();
  for (const doc of readInputs(paths)) {
    if (doc.format !== "cdktf") {
      throw new GateError(
        `--config ${doc.source}: a plan, not a synthesized stack; pass the cdktf.out folder or a cdk.tf.json`,
      );
    }
    const earlier = byName.get(doc.stack);
    if (earlier) {
      throw new GateError(
        `--config: two synthesized stacks are named "${doc.stack}" (${earlier.source} and ${doc.source}); pass one`,
      );
    }
    byName.set(doc.stack, doc);
  }
  return byName;
}

/** `aws_x.y[0]` and `aws_x.y["a"]` are instances of `aws_x.y`, the address a configuration declares. */
function configAddress(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]$/, "");
}

/**
 * The root-module managed resources a plan says exist after it is applied, as configuration addresses.
 * Resources the plan deletes or forgets are no longer in the configuration, so they are left out, and
 * so are deposed objects. Child modules are left out too: a CDKTF stack declares none of its own.
 */
function plannedAddresses(plan: Json): Set<string> {
  const addresses = new Set<string>();
  const changes = plan.resource_changes;
  if (Array.isArray(changes)) {
    for (const change of changes) {
      if (!isObject(change) || typeof change.address !== "string") continue;
      if ((change.mode ?? "managed") !== "managed" || change.deposed !== undefined) continue;
      if (change.address.startsWith("module.")) continue;
      const actions = isObject(change.change) ? change.change.actions : undefined;
      if (Array.isArray(actions) && (actions.join() === "delete" || actions.join() === "forget")) continue;
      addresses.add(configAddress(change.address));
    }
    return addresses;
  }
  const root = isObject(plan.planned_values) ? plan.planned_values.root_module : undefined;
  const resources = isObject(root) && Array.isArray(root.resources) ? root.resources : [];
  for (const resource of resources) {
    if (isObject(resource) && typeof resource.address === "string" && resource.mode === "managed") {
      addresses.add(configAddress(resource.address));
    }
  }
  return addresses;
}

function configuredAddresses(configuration: Json): Set<string> {
  const addresses = new Set<string>();
  const resources = isObject(configuration.resource) ? configuration.resource : {};
  for (const [type, named] of Object.entries(resources)) {
    if (!isObject(named)) continue;
    for (const name of Object.keys(named)) addresses.add(`${type}.${name}`);
  }
  return addresses;
}

function listed(addresses: string[]): string {
  const shown = addresses.slice(0, 10).join(", ");
  return addresses.length > 10 ? `${shown} and ${addresses.length - 10} more` : shown;
}

/** Refuses a plan and a configuration that do not declare the same resources: one of them is stale. */
function checkSameResources(plan: StackDocument, configuration: StackDocument): void {
  const planned = plannedAddresses(plan.document);
  const configured = configuredAddresses(configuration.document);
  const planOnly = [...planned].filter((a) => !configured.has(a)).sort();
  const configurationOnly = [...configured].filter((a) => !planned.has(a)).sort();
  if (planOnly.length === 0 && configurationOnly.length === 0) return;
  const parts = [
    planOnly.length > 0 ? `in the plan only: ${listed(planOnly)}` : "",
    configurationOnly.length > 0 ? `in the configuration only: ${listed(configurationOnly)}` : "",
  ].filter((part) => part !== "");
  throw new GateError(
    `${plan.source} does not match ${configuration.source} (${parts.join("; ")}); synthesize and plan from the same commit, so a stale plan is not judged against new code or the reverse`,
  );
}

/**
 * Pairs each plan with the synthesized stack of the same name. A plan without one is an error; a
 * synthesized stack among the inputs is gated as it is.
 */
export function withConfigurations(
  documents: readonly StackDocument[],
  configurations: ReadonlyMap<string, StackDocument>,
): StackDocument[] {
  return documents.map((doc) => {
    if (doc.format !== "plan") return doc;
    const configuration = configurations.get(doc.stack);
    if (!configuration) {
      const known = [...configurations.keys()].sort().join(", ") || "none";
      throw new GateError(
        `${doc.source}: no synthesized stack named "${doc.stack}" under --config (stacks there: ${known}); a plan is paired by its file name, so name it <stack>.plan.json`,
      );
    }
    // Read in CDKTF's form whichever form of Terraform's JSON syntax the stack was written in.
    const joined = { ...configuration, document: canonicalBlocks(configuration.document) };
    checkSameResources(doc, joined);
    // A plan carries no "//": the stack it was made from carries the environment's facts.
    const facts = doc.facts ?? configuration.facts;
    return {
      ...doc,
      ...(facts !== undefined ? { facts } : {}),
      configuration: { source: configuration.source, document: joined.document },
    };
  });
}
