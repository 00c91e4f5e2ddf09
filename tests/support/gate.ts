import { loadEnvironments } from "../../config/load";
import type { Environment } from "../../config/schema";
import { loadCatalog, type RuleMetadata } from "../../gate/catalog";
import { contextFor } from "../../gate/context";
import type { Finding, Waiver } from "../../gate/findings";
import { GuardrailsPolicy } from "../../gate/policy";
import { synthesize } from "./synth";

export const TODAY = "2026-11-24";

export const shippedEnvironments: Environment[] = loadEnvironments();
const byName = new Map(shippedEnvironments.map((env) => [env.name, env]));

let policy: GuardrailsPolicy | undefined;

/** The compiled policy (built by the Jest global setup), loaded once per test file. */
export function compiledPolicy(): GuardrailsPolicy {
  policy ??= GuardrailsPolicy.loadSync();
  return policy;
}

export function catalog(): RuleMetadata[] {
  return loadCatalog();
}

export type TerraformJson = Record<string, unknown> & {
  resource: Record<string, Record<string, Record<string, unknown>>>;
};

/** A fresh, mutable copy of a shipped environment's synthesized cdk.tf.json. */
export function synthesizedStack(name: string): TerraformJson {
  const env = byName.get(name);
  if (!env) throw new Error(`no shipped environment ${name}`);
  return synthesize(env).json as unknown as TerraformJson;
}

/** Evaluates a document as the gate does for the named environment. */
export function evaluate(name: string, document: unknown, waivers: Waiver[] = []): Finding[] {
  return compiledPolicy().evaluate({
    stack: name,
    document,
    context: contextFor(name, byName, { today: TODAY }),
    waivers,
  });
}

export const violations = (findings: Finding[]) => findings.filter((f) => f.status === "violation");

/** Where a shipped environment deploys: what a plan of it shows in ARNs and ids. */
export function targetOf(name: string): { accountId: string; region: string } {
  const env = byName.get(name);
  if (!env) throw new Error(`no shipped environment ${name}`);
  return { accountId: env.account.id, region: env.account.region };
}
