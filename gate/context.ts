import type { EnvironmentFacts } from "./facts";
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

/**
 * The facts the policies compare against for one stack: explicit flags first (plans of other
 * origins), then the facts the stack carries itself (every stack synthesized here, see facts.ts),
 * then the environment of the same name.
 */
export function contextFor(
  stack: string,
  environments: ReadonlyMap<string, EnvironmentFacts>,
  overrides: ContextOverrides = {},
  carried?: EnvironmentFacts,
): EnvironmentContext {
  const env = carried ?? environments.get(stack);
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

/**
 * Environments by name. The loader is passed in, so the gate's CLI bundle does not pull in the
 * TypeScript environment loader (config/load), which it never uses.
 */
export function environmentsByName<E extends { name: string }>(load: () => E[]): Map<string, E> {
  return new Map(load().map((env) => [env.name, env]));
}
