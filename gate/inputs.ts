import { readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import * as z from "zod/mini";
import { decodeText, type DecodedText } from "./decode";
import { embeddedFacts, type EnvironmentFacts } from "./facts";
import { GateError } from "./gate-error";
import { isJsonObject as isObject } from "./json-object";
import { declaredTwice } from "./terraform-json";
import { notJsonHint, savedPlanHint, unknownShapeHint } from "./wrong-files";

export type InputFormat = "cdktf" | "plan";

/** One stack to gate: where it came from, what it is, and its parsed JSON. */
export interface StackDocument {
  stack: string;
  /** The file the document was read from, relative to the working directory. */
  source: string;
  format: InputFormat;
  document: Record<string, unknown>;
  /** The file's text, to point reports at the line where a resource starts. */
  text: string;
  /** For a plan gated with --config: the synthesized stack of the same name, read beside it. */
  configuration?: { source: string; document: Record<string, unknown> };
  /** The environment's facts, when the stack carries them (synthesized by this project). */
  facts?: EnvironmentFacts;
}

const manifestSchema = z.object({
  stacks: z.record(z.string(), z.object({ name: z.string(), synthesizedStackPath: z.string() })),
});

const display = (path: string) => relative(process.cwd(), path) || path;

function readJson(file: string): { json: unknown; text: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new GateError(
      `${display(file)}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  const savedPlan = savedPlanHint(file, bytes);
  if (savedPlan !== undefined) throw new GateError(`${display(file)}: not JSON: ${savedPlan}`);
  let decoded: DecodedText;
  try {
    decoded = decodeText(bytes);
  } catch (error) {
    throw new GateError(
      `${display(file)}: ${(error as Error).message}; save it as UTF-8 (or UTF-16 with a byte-order mark)`,
    );
  }
  const { text, encoding } = decoded;
  try {
    return { json: JSON.parse(text), text };
  } catch (error) {
    const hint = notJsonHint(file, text);
    throw new GateError(
      `${display(file)}: not valid JSON (${encoding}: ${(error as Error).message})${hint === undefined ? "" : `; ${hint}`}`,
    );
  }
}

/** Terraform's JSON plan format versions this gate reads: a new major version may change meanings. */
const SUPPORTED_PLAN_MAJOR_VERSIONS = new Set(["0", "1"]);

/** A plan Terraform could not finish is not the change that would be applied: refuse it. */
function checkPlanFinished(file: string, document: Record<string, unknown>): void {
  if (document.errored === true) {
    throw new GateError(
      `${display(file)}: the plan errored (Terraform could not finish it, so it is not the change an apply would make); fix the errors and plan again`,
    );
  }
}

function checkPlanVersion(file: string, document: Record<string, unknown>): void {
  const version = String(document.format_version);
  if (!SUPPORTED_PLAN_MAJOR_VERSIONS.has(version.split(".")[0])) {
    throw new GateError(
      `${display(file)}: format_version is "${version}", and only versions 0.x and 1.x of Terraform's JSON plan format can be read; render the plan with a Terraform release that writes format 1.x, or update ddb-guardrails`,
    );
  }
}

/** cdk.tf.json has resource/data sections; `terraform show -json` of a plan has format_version and a plan body. */
export function detectFormat(document: unknown): InputFormat | undefined {
  if (typeof document !== "object" || document === null || Array.isArray(document)) return undefined;
  const doc = document as Record<string, unknown>;
  if (
    typeof doc.format_version === "string" &&
    (isObject(doc.planned_values) || Array.isArray(doc.resource_changes))
  ) {
    return "plan";
  }
  if (isBlockSection(doc.resource) || isBlockSection(doc.data)) return "cdktf";
  return undefined;
}

/** A block type's value in Terraform's JSON syntax: an object, or an array of objects (HCL's JSON spec). */
function isBlockSection(value: unknown): boolean {
  return isObject(value) || (Array.isArray(value) && value.length > 0 && value.every(isObject));
}

function stackName(file: string, document: Record<string, unknown>, format: InputFormat): string {
  if (format === "cdktf") {
    const metadata = (document["//"] as { metadata?: { stackName?: unknown } } | undefined)?.metadata;
    if (typeof metadata?.stackName === "string") return metadata.stackName;
    // Resolved, so a cdk.tf.json in the working directory is named after that folder, not ".".
    return basename(dirname(resolve(file)));
  }
  // A plan does not name its stack: take it from the file name (prod.plan.json, prod.json -> prod).
  return basename(file).replace(/(\.tfplan)?(\.plan)?\.json$/, "");
}

function fromFile(file: string): StackDocument {
  const { json: document, text } = readJson(file);
  const format = detectFormat(document);
  if (!format) {
    const hint = unknownShapeHint(document);
    throw new GateError(
      `${display(file)}: unknown input format: expected a CDKTF cdk.tf.json or other Terraform JSON (with a "resource" or "data" section) or the JSON of a plan (\`terraform show -json plan.tfplan\`, with "format_version" and "planned_values")${hint === undefined ? "" : `; ${hint}`}`,
    );
  }
  const doc = document as Record<string, unknown>;
  const twice = format === "cdktf" ? declaredTwice(doc) : undefined;
  if (twice !== undefined) {
    throw new GateError(
      `${display(file)}: declares ${twice} twice, which Terraform refuses; keep one declaration of it`,
    );
  }
  const stack: StackDocument = {
    stack: stackName(file, doc, format),
    source: display(file),
    format,
    document: doc,
    text,
  };
  if (format === "plan") {
    checkPlanVersion(file, doc);
    checkPlanFinished(file, doc);
  }
  const facts = format === "cdktf" ? embeddedFacts(doc) : undefined;
  if (facts !== undefined) stack.facts = facts;
  return stack;
}

function fromSynthFolder(dir: string): StackDocument[] {
  const manifestFile = join(dir, "manifest.json");
  const manifest = manifestSchema.safeParse(readJson(manifestFile).json);
  if (!manifest.success) {
    throw new GateError(
      `${display(manifestFile)}: not a cdktf manifest (expected "stacks" with "synthesizedStackPath"); run \`cdktf synth\` again`,
    );
  }
  const stacks = Object.values(manifest.data.stacks);
  if (stacks.length === 0) throw new GateError(`${display(manifestFile)}: the manifest lists no stacks`);
  return stacks
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => ({ ...fromFile(join(dir, entry.synthesizedStackPath)), stack: entry.name }));
}

/**
 * Turns what a pipeline hands the gate into stacks: a cdktf.out folder (every stack in its
 * manifest), a cdk.tf.json, or a plan JSON, told apart by shape. Anything else is an error.
 */
export function readInputs(paths: readonly string[]): StackDocument[] {
  if (paths.length === 0)
    throw new GateError("no input: pass a cdktf.out folder, a cdk.tf.json or a plan JSON");
  return paths.flatMap((path) => {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new GateError(`${path}: no such file or folder`);
    }
    return isDirectory ? fromSynthFolder(path) : [fromFile(path)];
  });
}

/** The key a resource is declared under: its address in a plan, its name in a cdk.tf.json. */
function declarationKey(doc: StackDocument, address: string): string {
  if (doc.format === "plan") return address;
  return address
    .split(".")
    .slice(address.startsWith("data.") ? 2 : 1)
    .join(".");
}

// Terraform writes plans without whitespace; jq and editors add a space after the colon.
const PLAN_ADDRESS = /"address"\s*:\s*("(?:[^"\\]|\\.)*")/g;
const OBJECT_KEY = /("(?:[^"\\]|\\.)*")\s*:\s*\{/g;

/**
 * The 1-based lines where resources are declared: the first `"name": {` key in a cdk.tf.json, or the
 * first `"address": "…"` in a plan; 1 when one cannot be found (e.g. a stack-wide finding). The text
 * is scanned once for every address, not once per address: a first plan read alone can carry
 * thousands of findings, and a scan each (with the text up to it split into lines) took seconds.
 */
export function linesOf(doc: StackDocument, addresses: readonly string[]): Record<string, number> {
  // A resource with several findings is looked up once.
  const wanted = new Map<string, string[]>();
  for (const address of new Set(addresses)) {
    if (address === "") continue;
    const key = declarationKey(doc, address);
    const found = wanted.get(key);
    if (found === undefined) wanted.set(key, [address]);
    else found.push(address);
  }
  const lines: Record<string, number> = Object.fromEntries(addresses.map((address) => [address, 1]));
  const pattern = new RegExp(doc.format === "plan" ? PLAN_ADDRESS : OBJECT_KEY);
  // Lines are counted forward once, so the whole scan is one pass over the text.
  let line = 1;
  let nextNewline = doc.text.indexOf("\n");
  for (let match = pattern.exec(doc.text); match && wanted.size > 0; match = pattern.exec(doc.text)) {
    const key = JSON.parse(match[1]) as string;
    const found = wanted.get(key);
    if (found === undefined) continue;
    while (nextNewline !== -1 && nextNewline < match.index) {
      line++;
      nextNewline = doc.text.indexOf("\n", nextNewline + 1);
    }
    for (const address of found) lines[address] = line;
    wanted.delete(key);
  }
  return lines;
}
