import { replicationAndEndpointIssues } from "./replication-rules";
import type { Environment, GrantConfig, LeadingKeysConfig, TableConfig } from "./schema";

/** One problem in an environment definition: where, what was there, what should be. */
export interface ConfigIssue {
  path: (string | number)[];
  found: unknown;
  expected: string;
}

export type ParsedEnvironment = Omit<Environment, "keyDeletionWindowDays"> & {
  keyDeletionWindowDays?: number;
};

/** Rules that span fields: run only on input that already has the right shape. */
export function crossFieldIssues(env: ParsedEnvironment): ConfigIssue[] {
  return [
    ...duplicateNames(env),
    ...tableKeyIssues(env),
    ...grantIssues(env),
    ...overlappingGrants(env),
    ...productionInvariants(env),
    ...throughputIssues(env),
    ...backupIssues(env),
    ...productionRecoveryInvariants(env),
    ...replicationAndEndpointIssues(env),
  ];
}

function duplicates<T>(items: readonly T[], keyOf: (item: T) => string): number[] {
  const seen = new Set<string>();
  const repeated: number[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (seen.has(key)) repeated.push(index);
    seen.add(key);
  });
  return repeated;
}

function duplicateNames(env: ParsedEnvironment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  // DynamoDB table names are case-sensitive, but two names differing only in case are a typo waiting to happen.
  for (const index of duplicates(env.tables, (t) => t.name.toLowerCase())) {
    issues.push({
      path: ["tables", index, "name"],
      found: env.tables[index].name,
      expected: "a table name not already used in this environment (table names must be unique)",
    });
  }
  for (const index of duplicates(env.teams, (t) => t.name)) {
    issues.push({
      path: ["teams", index, "name"],
      found: env.teams[index].name,
      expected: "a team name not already used in this environment",
    });
  }
  for (const index of duplicates(env.alerts.emails, (e) => e.toLowerCase())) {
    issues.push({
      path: ["alerts", "emails", index],
      found: env.alerts.emails[index],
      expected: "each address once",
    });
  }
  env.tables.forEach((table, t) => {
    for (const index of duplicates(table.globalSecondaryIndexes, (i) => i.name)) {
      issues.push({
        path: ["tables", t, "globalSecondaryIndexes", index, "name"],
        found: table.globalSecondaryIndexes[index].name,
        expected: "an index name not already used on this table",
      });
    }
  });
  return issues;
}

/** DynamoDB needs one type per attribute name across the table's and its indexes' keys. */
function tableKeyIssues(env: ParsedEnvironment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  env.tables.forEach((table, t) => {
    const types = new Map<string, string>();
    const keys: { path: (string | number)[]; name: string; type: string }[] = [
      { path: ["tables", t, "partitionKey"], ...table.partitionKey },
      ...(table.sortKey ? [{ path: ["tables", t, "sortKey"], ...table.sortKey }] : []),
      ...table.globalSecondaryIndexes.flatMap((index, i) => [
        { path: ["tables", t, "globalSecondaryIndexes", i, "partitionKey"], ...index.partitionKey },
        ...(index.sortKey
          ? [{ path: ["tables", t, "globalSecondaryIndexes", i, "sortKey"], ...index.sortKey }]
          : []),
      ]),
    ];
    for (const key of keys) {
      const known = types.get(key.name);
      if (known !== undefined && known !== key.type) {
        issues.push({
          path: [...key.path, "type"],
          found: key.type,
          expected: `"${known}", the type "${key.name}" already has in this table's keys`,
        });
      }
      types.set(key.name, known ?? key.type);
    }
    if (table.sortKey && table.sortKey.name === table.partitionKey.name) {
      issues.push({
        path: ["tables", t, "sortKey", "name"],
        found: table.sortKey.name,
        expected: "a sort key attribute different from the partition key",
      });
    }
  });
  return issues;
}

/** The key attributes a grant's attribute list must contain: IAM's Attributes check covers keys too. */
export function requiredAttributes(table: TableConfig, grant: GrantConfig): string[] {
  const names = [table.partitionKey.name, table.sortKey?.name];
  for (const indexName of grant.indexes) {
    const index = table.globalSecondaryIndexes.find((i) => i.name === indexName);
    names.push(index?.partitionKey.name, index?.sortKey?.name);
  }
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

function grantIssues(env: ParsedEnvironment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const tables = new Map(env.tables.map((t) => [t.name, t]));
  const tableList = env.tables.map((t) => `"${t.name}"`).join(", ");
  env.teams.forEach((team, t) => {
    for (const index of duplicates(team.grants, (g) => g.table)) {
      issues.push({
        path: ["teams", t, "grants", index, "table"],
        found: team.grants[index].table,
        expected: "one grant per table per team (merge the two grants)",
      });
    }
    team.grants.forEach((grant, g) => {
      const path = ["teams", t, "grants", g];
      const table = tables.get(grant.table);
      if (!table) {
        issues.push({
          path: [...path, "table"],
          found: grant.table,
          expected: `one of this environment's tables: ${tableList}`,
        });
        return;
      }
      issues.push(...leadingKeysIssues(table, grant.leadingKeys, [...path, "leadingKeys"]));
      for (const index of duplicates(grant.attributes, (a) => a)) {
        issues.push({
          path: [...path, "attributes", index],
          found: grant.attributes[index],
          expected: "each attribute once",
        });
      }
      grant.indexes.forEach((indexName, i) => {
        const index = table.globalSecondaryIndexes.find((candidate) => candidate.name === indexName);
        if (!index) {
          const known = table.globalSecondaryIndexes.map((x) => `"${x.name}"`).join(", ") || "none";
          issues.push({
            path: [...path, "indexes", i],
            found: indexName,
            expected: `an index of table "${table.name}" (its indexes: ${known})`,
          });
        } else if (index.partitionKey.name !== table.partitionKey.name) {
          // dynamodb:LeadingKeys holds the partition key of whatever is queried, so on an index with another
          // partition key the team's key restriction would silently apply to a different attribute.
          issues.push({
            path: [...path, "indexes", i],
            found: indexName,
            expected: `an index partitioned by "${table.partitionKey.name}" like the table, so the leading-key restriction still means the same items (index "${index.name}" is partitioned by "${index.partitionKey.name}")`,
          });
        }
      });
      const missing = requiredAttributes(table, grant).filter((name) => !grant.attributes.includes(name));
      if (missing.length > 0) {
        issues.push({
          path: [...path, "attributes"],
          found: grant.attributes,
          expected: `a list that includes the key attributes ${missing.map((m) => `"${m}"`).join(", ")} (IAM checks every attribute a request names, keys included)`,
        });
      }
    });
  });
  return issues;
}

function leadingKeysIssues(
  table: TableConfig,
  keys: LeadingKeysConfig,
  path: (string | number)[],
): ConfigIssue[] {
  const keyType = table.partitionKey.type;
  if ("numericRange" in keys) {
    if (keyType !== "N") {
      return [
        {
          path,
          found: keys,
          expected: `{ prefix } or { values }: partition key "${table.partitionKey.name}" is type ${keyType}, not a number`,
        },
      ];
    }
    if (keys.numericRange.min > keys.numericRange.max) {
      return [
        {
          path: [...path, "numericRange"],
          found: keys.numericRange,
          expected: "a non-empty range: min ≤ max (both ends are inclusive)",
        },
      ];
    }
  }
  if ("prefix" in keys && keyType !== "S") {
    return [
      {
        path,
        found: keys,
        expected: `{ numericRange } or { values }: a prefix only applies to string partition keys, and "${table.partitionKey.name}" is type ${keyType}`,
      },
    ];
  }
  if ("values" in keys && keyType === "N") {
    const notNumbers = keys.values.filter((v) => !/^-?\d+(\.\d+)?$/.test(v));
    if (notNumbers.length > 0) {
      return [
        {
          path: [...path, "values"],
          found: notNumbers,
          expected: `numbers, since partition key "${table.partitionKey.name}" is type N`,
        },
      ];
    }
  }
  return [];
}

/** Whether two leading-key restrictions on one table admit a common partition key value. */
export function leadingKeysOverlap(a: LeadingKeysConfig, b: LeadingKeysConfig): boolean {
  const admits = (keys: LeadingKeysConfig, value: string): boolean => {
    if ("values" in keys) return keys.values.includes(value);
    if ("prefix" in keys) return value.startsWith(keys.prefix);
    const n = Number(value);
    return n >= keys.numericRange.min && n <= keys.numericRange.max;
  };
  if ("values" in a) return a.values.some((v) => admits(b, v));
  if ("values" in b) return b.values.some((v) => admits(a, v));
  if ("prefix" in a && "prefix" in b) return a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix);
  if ("numericRange" in a && "numericRange" in b) {
    return a.numericRange.min <= b.numericRange.max && b.numericRange.min <= a.numericRange.max;
  }
  // A numeric range and a prefix cannot both be valid for one key type; the type check reports that.
  return false;
}

function describeKeys(keys: LeadingKeysConfig): string {
  if ("numericRange" in keys) return `${keys.numericRange.min}-${keys.numericRange.max}`;
  if ("prefix" in keys) return `prefix "${keys.prefix}"`;
  return `values ${keys.values.join(", ")}`;
}

/** Two teams sharing partition keys on one table defeats the point of per-team key ranges. */
function overlappingGrants(env: ParsedEnvironment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen: { team: string; grant: GrantConfig }[] = [];
  env.teams.forEach((team, t) => {
    team.grants.forEach((grant, g) => {
      const clash = seen.find(
        (other) =>
          other.team !== team.name &&
          other.grant.table === grant.table &&
          leadingKeysOverlap(other.grant.leadingKeys, grant.leadingKeys),
      );
      if (clash) {
        issues.push({
          path: ["teams", t, "grants", g, "leadingKeys"],
          found: grant.leadingKeys,
          expected: `keys that do not overlap team "${clash.team}"'s ${describeKeys(clash.grant.leadingKeys)} on table "${grant.table}"`,
        });
      }
      seen.push({ team: team.name, grant });
    });
  });
  return issues;
}

function productionInvariants(env: ParsedEnvironment): ConfigIssue[] {
  if (env.tier !== "production") return [];
  const issues: ConfigIssue[] = [];
  env.tables.forEach((table, t) => {
    if (!table.deletionProtection) {
      issues.push({
        path: ["tables", t, "deletionProtection"],
        found: false,
        expected: "true in a production environment (remove the field or set it to true)",
      });
    }
    if (!table.pointInTimeRecovery) {
      issues.push({
        path: ["tables", t, "pointInTimeRecovery"],
        found: false,
        expected: "true in a production environment (remove the field or set it to true)",
      });
    }
  });
  if (env.keyDeletionWindowDays !== undefined && env.keyDeletionWindowDays < 30) {
    issues.push({
      path: ["keyDeletionWindowDays"],
      found: env.keyDeletionWindowDays,
      expected: "30 in a production environment (remove the field to get 30)",
    });
  }
  if (!env.backend) {
    issues.push({
      path: ["backend"],
      found: undefined,
      expected:
        "an S3 backend { bucket, region } in a production environment: local state is lost with the runner",
    });
  }
  return issues;
}

/** DynamoDB's longest point-in-time recovery window, and what production must keep. */
export const PRODUCTION_MIN_RECOVERY_DAYS = 35;

/** Ceilings only exist for on-demand capacity; on a provisioned table the capacity is the ceiling. */
function throughputIssues(env: ParsedEnvironment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  env.tables.forEach((table, t) => {
    if (table.billing.mode === "PAY_PER_REQUEST") return;
    if (table.onDemandThroughput !== undefined) {
      issues.push({
        path: ["tables", t, "onDemandThroughput"],
        found: table.onDemandThroughput,
        expected:
          'no onDemandThroughput on a PROVISIONED table (its capacity is already its ceiling), or billing.mode "PAY_PER_REQUEST"',
      });
    }
    table.globalSecondaryIndexes.forEach((index, i) => {
      if (index.onDemandThroughput !== undefined) {
        issues.push({
          path: ["tables", t, "globalSecondaryIndexes", i, "onDemandThroughput"],
          found: index.onDemandThroughput,
          expected: "no onDemandThroughput on an index of a PROVISIONED table",
        });
      }
    });
  });
  return issues;
}

/** The vault lock refuses recovery points outside its retention range, so the plan must fit in it. */
function backupIssues(env: ParsedEnvironment): ConfigIssue[] {
  const { lock, retentionDays, copy } = env.backup;
  const issues: ConfigIssue[] = [];
  if (lock.minRetentionDays > lock.maxRetentionDays) {
    issues.push({
      path: ["backup", "lock", "minRetentionDays"],
      found: lock.minRetentionDays,
      expected: `at most lock.maxRetentionDays (${lock.maxRetentionDays})`,
    });
  }
  if (retentionDays < lock.minRetentionDays || retentionDays > lock.maxRetentionDays) {
    issues.push({
      path: ["backup", "retentionDays"],
      found: retentionDays,
      expected: `a retention from lock.minRetentionDays (${lock.minRetentionDays}) to lock.maxRetentionDays (${lock.maxRetentionDays}): the locked vault refuses recovery points outside that range`,
    });
  }
  if (copy !== undefined) {
    const [, , , region, account] = copy.destinationVaultArn.split(":");
    if (region === env.account.region && account === env.account.id) {
      issues.push({
        path: ["backup", "copy", "destinationVaultArn"],
        found: copy.destinationVaultArn,
        expected: `a vault in another region or another account than ${env.account.region}/${env.account.id}: a copy beside the original survives nothing the original does not`,
      });
    }
  }
  return issues;
}

function productionRecoveryInvariants(env: ParsedEnvironment): ConfigIssue[] {
  if (env.tier !== "production") return [];
  const issues: ConfigIssue[] = [];
  env.tables.forEach((table, t) => {
    if (table.pointInTimeRecoveryDays < PRODUCTION_MIN_RECOVERY_DAYS) {
      issues.push({
        path: ["tables", t, "pointInTimeRecoveryDays"],
        found: table.pointInTimeRecoveryDays,
        expected: `${PRODUCTION_MIN_RECOVERY_DAYS} in a production environment (remove the field to get ${PRODUCTION_MIN_RECOVERY_DAYS}; the price does not depend on it)`,
      });
    }
    if (table.billing.mode === "PAY_PER_REQUEST" && table.onDemandThroughput === undefined) {
      issues.push({
        path: ["tables", t, "onDemandThroughput"],
        found: undefined,
        expected:
          "{ maxReadRequestUnits, maxWriteRequestUnits } on an on-demand table in a production environment, so a runaway client or a stolen credential meets throttling instead of an unbounded bill",
      });
    }
  });
  if (env.backup.enabled === false) {
    issues.push({
      path: ["backup", "enabled"],
      found: false,
      expected:
        "true in a production environment (remove the field): point-in-time recovery is deleted with the table, locked backups are not",
    });
  }
  if (env.backup.lock.minRetentionDays < PRODUCTION_MIN_RECOVERY_DAYS) {
    issues.push({
      path: ["backup", "lock", "minRetentionDays"],
      found: env.backup.lock.minRetentionDays,
      expected: `at least ${PRODUCTION_MIN_RECOVERY_DAYS} in a production environment (remove the field to get ${PRODUCTION_MIN_RECOVERY_DAYS})`,
    });
  }
  return issues;
}
