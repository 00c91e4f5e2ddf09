import { BOOTSTRAP_DIR, loadBootstraps } from "../config/bootstrap";
import { bootstrapStackName, type Bootstrap } from "../config/bootstrap-schema";
import { loadEnvironments } from "../config/load";
import { TIERS, type Environment } from "../config/schema";
import type { EnvironmentContext } from "./findings";

/** Facts given on the command line; they win over the environment's definition. */
export interface ContextOverrides {
  organizationId?: string;
  accountId?: string;
  tier?: string;
  keyArns?: string[];
  /** YYYY-MM-DD; defaults to today in UTC. */
  today?: string;
}

export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/** What the gate needs to know about a stack's account: an environment, or an account's bootstrap. */
export interface StackFacts {
  account: { id: string; organizationId: string };
  tier: string;
}

/**
 * The facts the policies compare against for one stack: from the environment of the same name
 * when there is one (every synthesized stack), overridden by explicit flags (plans of other origins).
 */
export function contextFor(
  stack: string,
  environments: ReadonlyMap<string, StackFacts>,
  overrides: ContextOverrides = {},
): EnvironmentContext {
  const env = environments.get(stack);
  const context: EnvironmentContext = { today: overrides.today ?? utcToday() };
  const organizationId = overrides.organizationId ?? env?.account.organizationId;
  const accountId = overrides.accountId ?? env?.account.id;
  const tier = overrides.tier ?? env?.tier;
  if (organizationId !== undefined) context.organization_id = organizationId;
  if (accountId !== undefined) context.account_id = accountId;
  if (tier !== undefined) context.tier = tier;
  if (overrides.keyArns !== undefined) context.key_arns = overrides.keyArns;
  return context;
}

/** The project's environments by name; the gate also runs where there are none (e.g. on plans elsewhere). */
export function environmentsByName(load: () => Environment[] = loadEnvironments): Map<string, Environment> {
  return new Map(load().map((env) => [env.name, env]));
}

/**
 * A bootstrap stack is held to the strictest tier among the environments it serves: its roles and
 * state bucket are as sensitive as the most sensitive of them.
 */
export function bootstrapFacts(bootstrap: Bootstrap, environments: readonly Environment[]): StackFacts {
  const tiers = environments
    .filter((env) => bootstrap.environments.includes(env.name))
    .map((env) => env.tier);
  const tier = [...TIERS].reverse().find((t) => tiers.includes(t)) ?? "production";
  return { account: bootstrap.account, tier };
}

/** Every stack `cdktf synth` writes, by name: environments and the bootstrap stack of each account. */
export function stackFactsByName(
  environments: readonly Environment[],
  bootstraps: readonly Bootstrap[],
): Map<string, StackFacts> {
  const facts = new Map<string, StackFacts>(environments.map((env) => [env.name, env]));
  for (const bootstrap of bootstraps) {
    facts.set(bootstrapStackName(bootstrap.name), bootstrapFacts(bootstrap, environments));
  }
  return facts;
}

/** The project's stacks' facts, read from environments/ and bootstrap/ (the gate CLI's default). */
export function loadStackFacts(bootstrapDir: string = BOOTSTRAP_DIR): Map<string, StackFacts> {
  const environments = loadEnvironments();
  return stackFactsByName(environments, loadBootstraps(environments, bootstrapDir));
}
