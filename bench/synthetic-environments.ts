import type { Environment, EnvironmentDefinition } from "../config/schema";
import { validateEnvironment } from "../config/validate";
import type { EnvironmentContext } from "../gate/findings";

/*
 * Realistic environments of a chosen size, built through the same schema and constructs as the
 * shipped ones, so the benchmark measures the stacks platform teams would really gate.
 */

const ACCOUNT_ID = "111122223333";
export const ORGANIZATION_ID = "o-a1b2c3d4e5";
export { ACCOUNT_ID };

/** The gate's context for a synthetic environment, as the CLI would build it from the stack's facts. */
export const SYNTHETIC_CONTEXT = {
  organization_id: ORGANIZATION_ID,
  account_id: ACCOUNT_ID,
  tier: "production",
  today: "2026-01-01",
} satisfies EnvironmentContext;

/** Resources every environment has whatever its tables: network, trail, alerting (measured on dev). */
const FIXED_RESOURCES = 36;
/** A table brings its key, key alias and resource policy; a team its role and role policy. */
const RESOURCES_PER_TABLE_WITH_TEAM = 4 + 2;

/** How many table+team pairs an environment needs to reach about `resources` resources. */
export function tablesFor(resources: number): number {
  return Math.max(1, Math.round((resources - FIXED_RESOURCES) / RESOURCES_PER_TABLE_WITH_TEAM));
}

function pad(n: number): string {
  return String(n).padStart(5, "0");
}

/** The account of the i-th of many environments: distinct, valid 12-digit ids. */
export function accountFor(index: number): string {
  return String(200000000000 + index * 1111);
}

/**
 * One environment with `tables` tables, each owned by its own team limited to its own partition
 * prefix. tablePrefix and accountId make environments of one repository distinct (the 50-environment row).
 */
export function syntheticEnvironment(
  name: string,
  tables: number,
  { accountId = ACCOUNT_ID, tablePrefix = "Orders" }: { accountId?: string; tablePrefix?: string } = {},
): Environment {
  const definition: EnvironmentDefinition = {
    name,
    tier: "production",
    account: { id: accountId, region: "us-east-1", organizationId: ORGANIZATION_ID },
    backend: { bucket: "ddb-guardrails-bench-state", key: `${name}/terraform.tfstate`, region: "us-east-1" },
    network: { mode: "create", cidr: "10.40.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"] },
    tables: Array.from({ length: tables }, (_, i) => ({
      name: `${tablePrefix}${pad(i)}`,
      partitionKey: { name: "CustomerId", type: "S" as const },
      sortKey: { name: "OrderId", type: "S" as const },
      globalSecondaryIndexes: [
        {
          name: "ByStatus",
          partitionKey: { name: "CustomerId", type: "S" as const },
          sortKey: { name: "Status", type: "S" as const },
          projection: "KEYS_ONLY" as const,
        },
      ],
      dataClassification: "confidential" as const,
      // Production requires on-demand ceilings (config/rules.ts).
      onDemandThroughput: { maxReadRequestUnits: 4000, maxWriteRequestUnits: 1000 },
    })),
    teams: Array.from({ length: tables }, (_, i) => ({
      name: `team-${pad(i)}`,
      principals: [`arn:aws:iam::${accountId}:role/Team${pad(i)}`],
      grants: [
        {
          table: `${tablePrefix}${pad(i)}`,
          access: "read-write" as const,
          leadingKeys: { prefix: `tenant-${pad(i)}#` },
          attributes: ["CustomerId", "OrderId", "Status", "Total"],
          indexes: ["ByStatus"],
        },
      ],
    })),
    alerts: { emails: ["dynamodb-alerts@example.com"], logRetentionDays: 365 },
    tags: { owner: "platform-team", "cost-center": "cc-0001" },
  };
  return validateEnvironment(definition, `bench/synthetic-environments.ts (${name})`);
}
