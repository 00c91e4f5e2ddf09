import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isJsonObject as isRecord } from "./json-object";

/*
 * The facts about an environment that the policies compare a stack against. Synthesis writes them
 * into each stack's cdk.tf.json, under Terraform's comment key "//" (which Terraform ignores), so
 * the compiled gate reads them from the stack itself and never loads environments/*.ts: that would
 * need a TypeScript loader, which the installed package does not have and which costs start-up time.
 */

/** Where a stack is defined, so reports can point a reviewer at the file and the entry. */
export interface DefinitionFacts {
  /** The definition's file, relative to the project root: environments/<name>.ts or bootstrap/<name>.ts. */
  file: string;
  /** The names of its entries, to find the one a finding concerns (none for a bootstrap stack). */
  tables: string[];
  teams: string[];
  replicaRegions: string[];
}

/** What the gate needs to know about a stack's environment (config/stack-facts.ts writes them). */
export interface EnvironmentFacts {
  tier: string;
  account: { id: string; organizationId: string };
  /** Days the environment's locked backup vault keeps recovery points at least (GR-DP-003). */
  backupMinRetentionDays?: number;
  /** Customer-managed keys kept outside the stack that it may name (key ARNs, alias ARNs or names). */
  trustedKeys?: string[];
  definition?: DefinitionFacts;
}

/** The key under "//" of a cdk.tf.json that holds its environment's facts. */
export const FACTS_KEY = "guardrails";

/**
 * The facts a synthesized stack carries, or undefined when it carries none (a stack synthesized
 * elsewhere, or a plan: Terraform drops "//" from plans). A block without all three as strings
 * counts as none, so a damaged block leaves the facts missing, which the policies report, never wrong.
 */
export function embeddedFacts(document: Record<string, unknown>): EnvironmentFacts | undefined {
  const comment = document["//"];
  const facts = isRecord(comment) ? comment[FACTS_KEY] : undefined;
  if (!isRecord(facts) || !isRecord(facts.account)) return undefined;
  const { tier } = facts;
  const { id, organizationId } = facts.account;
  if (typeof tier !== "string" || typeof id !== "string" || typeof organizationId !== "string") {
    return undefined;
  }
  const found: EnvironmentFacts = { tier, account: { id, organizationId } };
  if (typeof facts.backupMinRetentionDays === "number")
    found.backupMinRetentionDays = facts.backupMinRetentionDays;
  if (isStringArray(facts.trustedKeys)) found.trustedKeys = facts.trustedKeys;
  const definition = facts.definition;
  if (
    isRecord(definition) &&
    typeof definition.file === "string" &&
    isStringArray(definition.tables) &&
    isStringArray(definition.teams) &&
    isStringArray(definition.replicaRegions)
  ) {
    const { file, tables, teams, replicaRegions } = definition;
    found.definition = { file, tables, teams, replicaRegions };
  }
  return found;
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

/** Where the gate looks for the facts of a plan's stack when none are given: the synth output here. */
export const DEFAULT_SYNTH_OUTPUT = "cdktf.out";

/**
 * The facts of every stack in a cdktf.out folder, by stack name: how a plan of one of this
 * project's stacks (a plan carries no "//") finds its environment when the gate runs beside the
 * synth output. Empty when there is no readable manifest: flags, or the policies' missing-context
 * findings, take over.
 */
export function factsInSynthOutput(dir: string = DEFAULT_SYNTH_OUTPUT): Map<string, EnvironmentFacts> {
  const found = new Map<string, EnvironmentFacts>();
  const stacks = readJson(join(dir, "manifest.json"));
  const entries = isRecord(stacks) && isRecord(stacks.stacks) ? Object.values(stacks.stacks) : [];
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.name !== "string" || typeof entry.synthesizedStackPath !== "string")
      continue;
    const document = readJson(join(dir, entry.synthesizedStackPath));
    const facts = isRecord(document) ? embeddedFacts(document) : undefined;
    if (facts !== undefined) found.set(entry.name, facts);
  }
  return found;
}

/** Undefined when missing or unreadable: gating that file itself reports why. */
function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}
