import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { DefinitionFacts, EnvironmentFacts } from "./facts";
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

function entries(environment: DefinitionFacts): [string, Entry][] {
  return [
    ...environment.tables.flatMap((table): [string, Entry][] => [
      [table, { property: "tables", name: table }],
      [`${table}-key`, { property: "tables", name: table }],
      // A replica's key in each replica region (stacks/table-replicas.ts).
      ...environment.replicaRegions.map((region): [string, Entry] => [
        `${table}-key-${region}`,
        { property: "tables", name: table },
      ]),
    ]),
    ...environment.teams.map((team): [string, Entry] => [`team-${team}`, { property: "teams", name: team }]),
    ["network", { property: "network" }],
    // The trail's data events and the deletion alerts are both set under `alerts`.
    ["audit", { property: "alerts" }],
    ["audit-key", { property: "alerts" }],
    ["alerts", { property: "alerts" }],
    ["alerts-key", { property: "alerts" }],
    // The forwarding of each replica region's key events (stacks/replica-key-alerts.ts).
    ...environment.replicaRegions.map((region): [string, Entry] => [
      `alerts-${region}`,
      { property: "alerts" },
    ]),
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
export function entryOf(
  doc: StackDocument,
  address: string,
  environment: DefinitionFacts,
): Entry | undefined {
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
  environment: DefinitionFacts,
  definitionText: string,
): Record<string, number> {
  return Object.fromEntries(
    addresses.map((address) => [address, lineOfEntry(definitionText, entryOf(doc, address, environment))]),
  );
}

/** The CDKTF project holding `path`: the nearest folder above it with a cdktf.json. */
function projectHolding(path: string): string | undefined {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "cdktf.json"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The definition a stack synthesized here comes from, with the line each finding concerns: the
 * file its facts name, relative to the project (`environments/<stack>.ts` at the entry, see
 * definitionLines; a bootstrap stack's `bootstrap/<name>.ts` at its first line). The project is the
 * one holding the synthesized stack (for a plan, the stack it was joined with), else the working
 * directory. Undefined for stacks defined elsewhere.
 */
export function definitionOf(
  doc: StackDocument,
  facts: EnvironmentFacts | undefined,
  findings: readonly Finding[],
): { file: string; lines: Record<string, number> } | undefined {
  const definition = facts?.definition;
  if (definition === undefined) return undefined;
  const synthesized = doc.format === "cdktf" ? doc.source : doc.configuration?.source;
  const file = [synthesized === undefined ? undefined : projectHolding(synthesized), process.cwd()]
    .filter((root): root is string => root !== undefined)
    .map((root) => join(root, definition.file))
    .find((candidate) => existsSync(candidate));
  if (file === undefined) return undefined;
  const addresses = findings.map((f) => f.address);
  return { file, lines: definitionLines(doc, addresses, definition, readFileSync(file, "utf8")) };
}
