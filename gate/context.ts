import { loadEnvironments } from "../config/load";
import type { Environment } from "../config/schema";
import type { EnvironmentContext } from "./findings";

/** Facts given on the command line; they win over the environment's definition. */
export interface ContextOverrides {
  organizationId?: string;
  accountId?: string;
  tier?: string;
  keyArns?: string[];
  /** Added to the environment's trustedKeys (not replacing them): keys are trusted cumulatively. */
  trustedKeys?: string[];
  /** YYYY-MM-DD; defaults to today in UTC. */
  today?: string;
}

export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The facts the policies compare against for one stack: from the environment of the same name
 * when there is one (every synthesized stack), overridden by explicit flags (plans of other origins).
 */
export function contextFor(
  stack: string,
  environments: ReadonlyMap<string, Environment>,
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
  const trustedKeys = [...(env?.trustedKeys ?? []), ...(overrides.trustedKeys ?? [])];
  if (trustedKeys.length > 0) context.trusted_keys = [...new Set(trustedKeys)];
  return context;
}

/** The project's environments by name; the gate also runs where there are none (e.g. on plans elsewhere). */
export function environmentsByName(load: () => Environment[] = loadEnvironments): Map<string, Environment> {
  return new Map(load().map((env) => [env.name, env]));
}
