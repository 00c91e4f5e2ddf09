import { environmentsOf, loadBootstraps } from "../../config/bootstrap";
import { bootstrapStackName, type Bootstrap } from "../../config/bootstrap-schema";
import { loadEnvironments } from "../../config/load";
import type { Environment } from "../../config/schema";
import { loadCatalog, type RuleMetadata } from "../../gate/catalog";
import { stackFactsByName } from "../../config/stack-facts";
import { contextFor } from "../../gate/context";
import type { Finding, Waiver } from "../../gate/findings";
import { GuardrailsPolicy } from "../../gate/policy";
import { synthesize, synthesizeBootstrap } from "./synth";

export const TODAY = "2026-11-24";

/** The gate's context for a production environment of the test organization, as the CLI builds it. */
export const PRODUCTION_CONTEXT = {
  organization_id: "o-a1b2c3d4e5",
  account_id: "111122223333",
  tier: "production",
  today: TODAY,
};

export const shippedEnvironments: Environment[] = loadEnvironments();
export const shippedBootstraps: Bootstrap[] = loadBootstraps(shippedEnvironments);
const byName = new Map(shippedEnvironments.map((env) => [env.name, env]));
const bootstrapsByStack = new Map(shippedBootstraps.map((b) => [bootstrapStackName(b.name), b]));
/** The facts `cdktf synth` writes into each shipped stack (Testing.synth leaves out "//"). */
export const shippedFacts = stackFactsByName(shippedEnvironments, shippedBootstraps);
const factsByName = shippedFacts;

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

/** Synthesized once per test file and stack: test files ask for the same stacks many times. */
const synthesizedText = new Map<string, string>();

function synthesizeOnce(name: string): string {
  const cached = synthesizedText.get(name);
  if (cached !== undefined) return cached;
  const bootstrap = bootstrapsByStack.get(name);
  const env = byName.get(name);
  if (!bootstrap && !env) throw new Error(`no shipped environment or bootstrap stack ${name}`);
  const text = bootstrap
    ? synthesizeBootstrap(bootstrap, environmentsOf(bootstrap, shippedEnvironments)).synthesized
    : synthesize(env).synthesized;
  synthesizedText.set(name, text);
  return text;
}

/** A fresh, mutable copy of a shipped environment's (or bootstrap stack's) synthesized cdk.tf.json. */
export function synthesizedStack(name: string): TerraformJson {
  return JSON.parse(synthesizeOnce(name)) as TerraformJson;
}

/** Evaluates a document as the gate does for the named environment. */
export function evaluate(name: string, document: unknown, waivers: Waiver[] = []): Finding[] {
  return compiledPolicy().evaluate({
    stack: name,
    document,
    context: contextFor(name, factsByName, { today: TODAY }),
    waivers,
  });
}

export const violations = (findings: Finding[]) => findings.filter((f) => f.status === "violation");

/** Where a shipped environment or bootstrap stack deploys: what a plan of it shows in ARNs and ids. */
export function targetOf(name: string): { accountId: string; region: string } {
  const account = byName.get(name)?.account ?? bootstrapsByStack.get(name)?.account;
  if (!account) throw new Error(`no shipped environment or bootstrap stack ${name}`);
  return { accountId: account.id, region: account.region };
}
