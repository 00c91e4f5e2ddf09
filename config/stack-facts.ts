import { BOOTSTRAP_DIR } from "./bootstrap";
import { bootstrapStackName, type Bootstrap } from "./bootstrap-schema";
import { ENVIRONMENTS_DIR } from "./load";
import { TIERS, type Environment } from "./schema";
import { backupEnabled } from "../stacks/backup-vault";
import type { EnvironmentFacts } from "../gate/facts";

/*
 * The facts every stack synthesized here carries for the gate (gate/facts.ts), made from its
 * definition: the compiled gate reads them from the stack and never loads a TypeScript definition.
 */

const projectRelative = (dir: string, name: string) => `${dir.split(/[\\/]/).at(-1) ?? dir}/${name}.ts`;

/** An environment stack's facts. */
export function environmentFacts(env: Environment): EnvironmentFacts {
  return {
    tier: env.tier,
    account: { id: env.account.id, organizationId: env.account.organizationId },
    ...(backupEnabled(env) ? { backupMinRetentionDays: env.backup.lock.minRetentionDays } : {}),
    ...(env.trustedKeys !== undefined && env.trustedKeys.length > 0
      ? { trustedKeys: [...env.trustedKeys] }
      : {}),
    definition: {
      file: projectRelative(ENVIRONMENTS_DIR, env.name),
      tables: env.tables.map((table) => table.name),
      teams: env.teams.map((team) => team.name),
      replicaRegions: [...env.replicaRegions],
    },
  };
}

/**
 * A bootstrap stack is held to the strictest tier among the environments it serves: its roles and
 * state bucket are as sensitive as the most sensitive of them.
 */
export function bootstrapFacts(bootstrap: Bootstrap, environments: readonly Environment[]): EnvironmentFacts {
  const tiers = environments
    .filter((env) => bootstrap.environments.includes(env.name))
    .map((env) => env.tier);
  const tier = [...TIERS].reverse().find((t) => tiers.includes(t)) ?? "production";
  return {
    tier,
    account: { id: bootstrap.account.id, organizationId: bootstrap.account.organizationId },
    definition: {
      file: projectRelative(BOOTSTRAP_DIR, bootstrap.name),
      tables: [],
      teams: [],
      replicaRegions: [],
    },
  };
}

/** Every stack `cdktf synth` writes, by name: environments and the bootstrap stack of each account. */
export function stackFactsByName(
  environments: readonly Environment[],
  bootstraps: readonly Bootstrap[],
): Map<string, EnvironmentFacts> {
  const facts = new Map<string, EnvironmentFacts>(
    environments.map((env) => [env.name, environmentFacts(env)]),
  );
  for (const bootstrap of bootstraps) {
    facts.set(bootstrapStackName(bootstrap.name), bootstrapFacts(bootstrap, environments));
  }
  return facts;
}
