import type { EnvironmentFacts } from "./facts";
import type { EnvironmentContext } from "./findings";

/** Facts given on the command line; they win over the environment's definition. */
export interface ContextOverrides {
  organizationId?: string;
  accountId?: string;
  tier?: string;
  keyArns?: string[];
  backupMinRetentionDays?: number;
  /** Added to the environment's trustedKeys (not replacing them): keys are trusted cumulatively. */
  trustedKeys?: string[];
  /** YYYY-MM-DD; defaults to today in UTC. */
  today?: string;
}

export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The facts the policies compare against for one stack: explicit flags first (plans of other
 * origins), then the facts the stack carries itself (every stack synthesized here, see facts.ts),
 * then the facts known for a stack of that name.
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
  const backupMinRetentionDays = overrides.backupMinRetentionDays ?? env?.backupMinRetentionDays;
  if (backupMinRetentionDays !== undefined) context.backup_min_retention_days = backupMinRetentionDays;
  const trustedKeys = [...(env?.trustedKeys ?? []), ...(overrides.trustedKeys ?? [])];
  if (trustedKeys.length > 0) context.trusted_keys = [...new Set(trustedKeys)];
  return context;
}
