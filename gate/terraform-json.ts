import { isJsonObject as isObject, type JsonObject } from "./json-object";

/*
 * Terraform's JSON syntax (HCL's JSON spec) lets each level of a block be an array of objects: the
 * resource or data section, its types' names, and a body, whose objects' attributes together are
 * the body. CDKTF writes one object at each level. The policies read both (lib/resources.rego); the
 * gate's own readers of a joined stack (--config) take it in CDKTF's form.
 */

const SECTIONS = ["resource", "data"] as const;

/** A level's objects: itself when it is one, its object elements when it is an array, else none. */
function objectsOf(value: unknown): JsonObject[] {
  if (isObject(value)) return [value];
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** Every [type, name, body] a section declares, in the order written, whatever its form. */
function* declarations(section: unknown): Generator<[string, string, unknown]> {
  for (const element of objectsOf(section)) {
    for (const [type, named] of Object.entries(element)) {
      for (const byName of objectsOf(named)) {
        for (const [name, body] of Object.entries(byName)) yield [type, name, body];
      }
    }
  }
}

/** The section as {type: {name: body}}; a name declared again (which Terraform refuses) keeps its first body. */
function canonicalSection(section: unknown): JsonObject {
  const types: Record<string, JsonObject> = {};
  for (const [type, name, body] of declarations(section)) {
    const names = (types[type] ??= {});
    if (name in names) continue;
    names[name] = Array.isArray(body) && body.every(isObject) ? Object.assign({}, ...body) : body;
  }
  return types;
}

/** The document with its resource and data sections in CDKTF's form; the same document if they are. */
export function canonicalBlocks(document: JsonObject): JsonObject {
  const written = SECTIONS.filter((section) => section in document && !isCanonical(document[section]));
  if (written.length === 0) return document;
  const canonical: JsonObject = { ...document };
  for (const section of written) canonical[section] = canonicalSection(document[section]);
  return canonical;
}

/**
 * The address of the first block declared twice, which only the array forms can write (a JSON
 * object's keys are unique once parsed) and which Terraform refuses; undefined when there is none.
 */
export function declaredTwice(document: JsonObject): string | undefined {
  for (const section of SECTIONS) {
    if (!(section in document) || isCanonical(document[section])) continue;
    const seen = new Set<string>();
    for (const [type, name] of declarations(document[section])) {
      const address = `${section === "data" ? "data." : ""}${type}.${name}`;
      if (seen.has(address)) return address;
      seen.add(address);
    }
  }
  return undefined;
}

function isCanonical(section: unknown): boolean {
  return (
    isObject(section) &&
    Object.values(section).every(
      (named) => isObject(named) && Object.values(named).every((body) => !Array.isArray(body)),
    )
  );
}
