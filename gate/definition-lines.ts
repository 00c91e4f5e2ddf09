import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP_DIR } from "../config/bootstrap";
import { bootstrapStackName } from "../config/bootstrap-schema";
import { ENVIRONMENTS_DIR } from "../config/load";
import type { Environment } from "../config/schema";
import type { StackFacts } from "./context";
import type { Finding } from "./findings";
import type { StackDocument } from "./inputs";

/*
 * Where in `environments/<name>.ts` a finding comes from. A reviewer can open that file; the
 * synthesized JSON is generated and not in the repository. EnvironmentStack (stacks/environment-stack.ts)
 * gives each part of the definition its own top-level construct: the table (its id is the table's
 * name), its key (`<table>-key`), each team (`team-<name>`), the network, and the audit and alerting
 * parts with their keys. A resource's logical id starts with that construct's id, and real `cdktf synth`
 * output also records the construct path in the resource's `//` metadata.
 */

/** A part of an environment definition: which top-level property holds it, and the name of its entry. */
interface Entry {
  property: "tables" | "teams" | "network" | "alerts" | "backup";
  name?: string;
}

// The characters cdktf keeps when it turns construct ids into logical ids.
const logicalId = (constructId: string) => constructId.replace(/[^A-Za-z0-9_-]/g, "");

function entries(environment: Environment): [string, Entry][] {
  return [
    ...environment.tables.flatMap((table): [string, Entry][] => [
      [table.name, { property: "tables", name: table.name }],
      [`${table.name}-key`, { property: "tables", name: table.name }],
      // A replica's key in each replica region (stacks/table-replicas.ts).
      ...environment.replicaRegions.map((region): [string, Entry] => [
        `${table.name}-key-${region}`,
        { property: "tables", name: table.name },
      ]),
    ]),
    ...environment.teams.map((team): [string, Entry] => [
      `team-${team.name}`,
      { property: "teams", name: team.name },
    ]),
    ["network", { property: "network" }],
    // The trail's data events and the deletion alerts are both set under `alerts`.
    ["audit", { property: "alerts" }],
    ["audit-key", { property: "alerts" }],
    ["alerts", { property: "alerts" }],
    ["alerts-key", { property: "alerts" }],
    // The locked backup vault, its key, plan, selection and role (stacks/backup-vault.ts).
    ["backup", { property: "backup" }],
  ];
}

/**
 * The construct path cdktf records in a resource's `//` metadata, e.g. "dev/ProductCatalog/table":
 * in the stack itself, or in the synthesized stack a plan was joined with (--config).
 */
function metadataPath(doc: StackDocument, address: string): string | undefined {
  const document = doc.format === "cdktf" ? doc.document : doc.configuration?.document;
  if (document === undefined) return undefined;
  const parts = address.split(".");
  const [kind, type, name] = parts[0] === "data" ? parts : ["resource", ...parts];
  const block = (document[kind] as Record<string, Record<string, unknown>> | undefined)?.[type]?.[name] as
    { "//"?: { metadata?: { path?: unknown } } } | undefined;
  const path = block?.["//"]?.metadata?.path;
  return typeof path === "string" ? path : undefined;
}

/** The definition entry a resource belongs to, or undefined for resources of no single entry. */
export function entryOf(doc: StackDocument, address: string, environment: Environment): Entry | undefined {
  if (address === "") return undefined;
  const known = entries(environment);
  const path = metadataPath(doc, address);
  if (path !== undefined) {
    const constructId = path.split("/")[1];
    return known.find(([id]) => id === constructId)?.[1];
  }
  const name = address.split(".").at(-1) ?? "";
  // The longest id wins, so a table "Orders_v2" is not taken for a table "Orders".
  const matches = known.filter(([id]) => name.startsWith(`${logicalId(id)}_`));
  matches.sort(([a], [b]) => b.length - a.length);
  return matches[0]?.[1];
}

const lineAt = (text: string, index: number) => text.slice(0, index).split("\n").length;

/**
 * The 1-based line of an entry in the definition's source: the entry's name as a string literal after
 * its property (`name: "Orders"` under `tables:`), else the property itself (`tables: [orders]` when
 * the entry is defined in another file), else 1.
 */
export function lineOfEntry(text: string, entry: Entry | undefined): number {
  if (entry === undefined) return 1;
  const property = new RegExp(`^\\s*${entry.property}\\s*:`, "m").exec(text);
  if (entry.name !== undefined) {
    const quoted = ['"', "'", "`"].map((quote) => `${quote}${entry.name}${quote}`);
    const from = property?.index ?? 0;
    const found = quoted
      .map((literal) => text.indexOf(literal, from))
      .filter((index) => index >= 0)
      .sort((a, b) => a - b)[0];
    if (found !== undefined) return lineAt(text, found);
  }
  return property === null ? 1 : lineAt(text, property.index + property[0].search(/\S/));
}

/** For each address, the line of the definition entry it comes from (1 when it comes from none). */
export function definitionLines(
  doc: StackDocument,
  addresses: readonly string[],
  environment: Environment,
  definitionText: string,
): Record<string, number> {
  return Object.fromEntries(
    addresses.map((address) => [address, lineOfEntry(definitionText, entryOf(doc, address, environment))]),
  );
}

/** The facts of an environment stack are its whole definition; a bootstrap stack's are not. */
function isEnvironment(facts: StackFacts): facts is Environment {
  return (
    Array.isArray((facts as Partial<Environment>).tables) &&
    Array.isArray((facts as Partial<Environment>).teams)
  );
}

/**
 * The definition a stack synthesized here comes from, with the line each finding concerns:
 * `environments/<stack>.ts` at the entry (see definitionLines), or, for an account's bootstrap stack,
 * `bootstrap/<name>.ts` at its first line. Undefined for stacks defined elsewhere.
 */
export function definitionOf(
  doc: StackDocument,
  facts: StackFacts | undefined,
  findings: readonly Finding[],
): { file: string; lines: Record<string, number> } | undefined {
  if (facts === undefined) return undefined;
  const addresses = findings.map((f) => f.address);
  if (isEnvironment(facts)) {
    const file = join(ENVIRONMENTS_DIR, `${doc.stack}.ts`);
    if (!existsSync(file)) return undefined;
    return { file, lines: definitionLines(doc, addresses, facts, readFileSync(file, "utf8")) };
  }
  const name = doc.stack.slice(bootstrapStackName("").length);
  const file = join(BOOTSTRAP_DIR, `${name}.ts`);
  if (bootstrapStackName(name) !== doc.stack || !existsSync(file)) return undefined;
  return { file, lines: Object.fromEntries(addresses.map((address) => [address, 1])) };
}
