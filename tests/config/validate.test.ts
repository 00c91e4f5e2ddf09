import type { EnvironmentDefinition } from "../../config/schema";
import { backupEnabled } from "../../stacks/backup-vault";
import { ConfigError, validateEnvironment } from "../../config/validate";
import { definition } from "../support/synth";

type Definition = EnvironmentDefinition & Record<string, unknown>;

function errorFor(mutate: (d: Definition) => void, source = "environments/dev.ts"): ConfigError {
  const d = definition() as Definition;
  mutate(d);
  try {
    validateEnvironment(d, source);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected the definition to be rejected");
}

const teams = (d: Definition) => d.teams ?? [];

describe("environment validation", () => {
  it("accepts the shipped dev definition and fills in defaults", () => {
    const env = validateEnvironment(definition(), "environments/dev.ts");
    expect(env.keyDeletionWindowDays).toBe(7);
    expect(env.tables[0]).toMatchObject({
      deletionProtection: true,
      pointInTimeRecovery: true,
      billing: { mode: "PAY_PER_REQUEST" },
    });
    expect(env.alerts.dataEvents).toBe(false);
    expect(env.tables[0].pointInTimeRecoveryDays).toBe(35);
    expect(env.backup).toEqual({
      schedule: "cron(0 3 * * ? *)",
      retentionDays: 35,
      lock: { changeableForDays: 3, minRetentionDays: 35, maxRetentionDays: 365 },
    });
  });

  it("turns locked backups on by default in staging and production, off in development", () => {
    const dev = validateEnvironment(definition(), "environments/dev.ts");
    expect(backupEnabled(dev)).toBe(false);
    expect(backupEnabled({ ...dev, tier: "staging" })).toBe(true);
    expect(backupEnabled({ ...dev, tier: "production" })).toBe(true);
    expect(backupEnabled({ ...dev, backup: { ...dev.backup, enabled: true } })).toBe(true);
  });

  it("accepts trusted keys kept outside the stack: key ARNs, alias ARNs and alias names", () => {
    const d = definition();
    d.trustedKeys = [
      "arn:aws:kms:us-east-1:444455556666:key/mrk-1234abcd12ab34cd56ef1234567890ab",
      "arn:aws:kms:us-east-1:444455556666:alias/central-sns",
      "alias/central-logs",
    ];
    expect(validateEnvironment(d, "environments/dev.ts").trustedKeys).toEqual(d.trustedKeys);
    expect(validateEnvironment(definition(), "environments/dev.ts").trustedKeys).toBeUndefined();
  });

  it("defaults the key deletion window to 30 days in production", () => {
    const d = definition();
    d.tier = "production";
    d.backend = { bucket: "state-bucket-example", region: "us-east-1" };
    d.tables[0].onDemandThroughput = { maxReadRequestUnits: 100, maxWriteRequestUnits: 50 };
    expect(validateEnvironment(d, "environments/dev.ts").keyDeletionWindowDays).toBe(30);
  });

  it.each<[string, (d: Definition) => void, string, string]>([
    [
      "a bad account id",
      (d) => (d.account.id = "12345"),
      'account.id: found "12345"',
      'a 12-digit AWS account id such as "111122223333"',
    ],
    [
      "a bad organization id",
      (d) => (d.account.organizationId = "org-123"),
      'account.organizationId: found "org-123"',
      'an AWS Organizations id such as "o-a1b2c3d4e5"',
    ],
    [
      "a bad region",
      (d) => (d.account.region = "useast1"),
      'account.region: found "useast1"',
      'an AWS region such as "us-east-1"',
    ],
    [
      "an invalid e-mail address",
      (d) => (d.alerts.emails = ["alerts-at-example.com"]),
      'alerts.emails[0]: found "alerts-at-example.com"',
      "an e-mail address",
    ],
    [
      "no e-mail address",
      (d) => (d.alerts.emails = []),
      "alerts.emails: found []",
      "at least one e-mail address",
    ],
    [
      "an empty attribute list",
      (d) => (teams(d)[0].grants[0].attributes = []),
      "teams[0].grants[0].attributes: found []",
      "at least one attribute the team may access",
    ],
    [
      "a wildcard principal",
      (d) => (teams(d)[0].principals = ["*"]),
      'teams[0].principals[0]: found "*"',
      "an IAM user or role ARN",
    ],
    [
      "an account root principal",
      (d) => (teams(d)[0].principals = ["arn:aws:iam::111122223333:root"]),
      "teams[0].principals[0]",
      "an IAM user or role ARN",
    ],
    [
      "a misspelt field",
      (d) => (d.tabels = []),
      '(the whole definition): found ["tabels"]',
      'no field named "tabels"',
    ],
    [
      "a wrong type",
      (d) => ((d.alerts as Record<string, unknown>).dataEvents = "yes"),
      'alerts.dataEvents: found "yes"',
      "a value of type boolean",
    ],
    [
      "an unknown tier",
      (d) => ((d as Record<string, unknown>).tier = "prod"),
      'tier: found "prod"',
      'a tier: "development", "staging", "production"',
    ],
    ["a missing owner tag", (d) => (d.tags = { team: "x" }), 'tags: found {"team":"x"}', 'an "owner" tag'],
    [
      "an unencrypted state backend",
      (d) => (d.backend = { bucket: "state-bucket-example", region: "us-east-1", encrypt: false as true }),
      "backend.encrypt: found false",
      "true: Terraform state must be encrypted at rest",
    ],
    [
      "an existing network without route tables",
      (d) => (d.network = { mode: "existing", vpcId: "vpc-0a1b2c3d4e5f67890", routeTableIds: [] }),
      "network.routeTableIds: found []",
      "at least one route table id",
    ],
    [
      "a recovery window over 35 days",
      (d) => (d.tables[0].pointInTimeRecoveryDays = 36),
      "tables[0].pointInTimeRecoveryDays: found 36",
      "at most 35 days (DynamoDB's longest recovery window)",
    ],
    [
      "throughput maxima on a provisioned table",
      (d) => {
        d.tables[0].billing = { mode: "PROVISIONED", readCapacity: 5, writeCapacity: 5 };
        d.tables[0].onDemandThroughput = { maxReadRequestUnits: 10, maxWriteRequestUnits: 10 };
      },
      "tables[0].onDemandThroughput: found",
      "no onDemandThroughput on a PROVISIONED table",
    ],
    [
      "a zero read maximum",
      (d) => (d.tables[0].onDemandThroughput = { maxReadRequestUnits: 0, maxWriteRequestUnits: 10 }),
      "tables[0].onDemandThroughput.maxReadRequestUnits: found 0",
      "a positive whole number of read request units per second",
    ],
    [
      "a backup retention outside the vault lock's range",
      (d) => (d.backup = { retentionDays: 400 }),
      "backup.retentionDays: found 400",
      "a retention from lock.minRetentionDays (35) to lock.maxRetentionDays (365)",
    ],
    [
      "a vault lock whose minimum exceeds its maximum",
      (d) => (d.backup = { retentionDays: 50, lock: { minRetentionDays: 60, maxRetentionDays: 40 } }),
      "backup.lock.minRetentionDays: found 60",
      "at most lock.maxRetentionDays (40)",
    ],
    [
      "a vault lock grace time under 3 days",
      (d) => (d.backup = { lock: { changeableForDays: 1 } }),
      "backup.lock.changeableForDays: found 1",
      "at least 3 days",
    ],
    [
      "a bad backup schedule",
      (d) => (d.backup = { schedule: "daily" }),
      'backup.schedule: found "daily"',
      'an AWS Backup schedule such as "cron(0 3 * * ? *)"',
    ],
    [
      "a copy into a vault beside the original",
      (d) =>
        (d.backup = {
          copy: { destinationVaultArn: "arn:aws:backup:us-east-1:111122223333:backup-vault:copies" },
        }),
      "backup.copy.destinationVaultArn: found",
      "a vault in another region or another account",
    ],
    [
      "a copy destination that is not a vault ARN",
      (d) => (d.backup = { copy: { destinationVaultArn: "copies" } }),
      'backup.copy.destinationVaultArn: found "copies"',
      "a backup vault ARN",
    ],
    [
      "an AWS-managed key among the trusted keys",
      (d) => (d.trustedKeys = ["alias/aws/sns"]),
      'trustedKeys[0]: found "alias/aws/sns"',
      "not an AWS-managed alias/aws/",
    ],
    [
      "a trusted key that is not a key reference",
      (d) => (d.trustedKeys = ["arn:aws:s3:::central-keys"]),
      'trustedKeys[0]: found "arn:aws:s3:::central-keys"',
      'a KMS key ARN ("arn:aws:kms:us-east-1:444455556666:key/1234abcd-…")',
    ],
  ])("rejects %s", (_name, mutate, found, expected) => {
    const error = errorFor(mutate);
    expect(error.message).toContain(
      'Invalid environment definition in environments/dev.ts (environment "dev")',
    );
    expect(error.message).toContain(found);
    expect(error.message).toContain(expected);
  });

  it.each<[string, (d: Definition) => void, string, string]>([
    [
      "an unknown table in a team grant",
      (d) => (teams(d)[1].grants[0].table = "ProductCatalogue"),
      'teams[1].grants[0].table: found "ProductCatalogue"',
      'one of this environment\'s tables: "ProductCatalog"',
    ],
    [
      "overlapping key ranges",
      (d) => (teams(d)[1].grants[0].leadingKeys = { numericRange: { min: 150, max: 299 } }),
      'teams[1].grants[0].leadingKeys: found {"numericRange":{"min":150,"max":299}}',
      'keys that do not overlap team "books"\'s 100-199 on table "ProductCatalog"',
    ],
    [
      "an empty key range",
      (d) => (teams(d)[0].grants[0].leadingKeys = { numericRange: { min: 199, max: 100 } }),
      "teams[0].grants[0].leadingKeys.numericRange",
      "a non-empty range: min ≤ max",
    ],
    [
      "duplicate table names",
      (d) => (d.tables = [d.tables[0], { ...d.tables[0] }]),
      'tables[1].name: found "ProductCatalog"',
      "table names must be unique",
    ],
    [
      "a prefix on a numeric partition key",
      (d) => (teams(d)[0].grants[0].leadingKeys = { prefix: "book#" }),
      "teams[0].grants[0].leadingKeys",
      'a prefix only applies to string partition keys, and "Id" is type N',
    ],
    [
      "non-numeric values for a numeric partition key",
      (d) => (teams(d)[0].grants[0].leadingKeys = { values: ["one"] }),
      'teams[0].grants[0].leadingKeys.values: found ["one"]',
      'numbers, since partition key "Id" is type N',
    ],
    [
      "an attribute list without the partition key",
      (d) => (teams(d)[0].grants[0].attributes = ["Title"]),
      'teams[0].grants[0].attributes: found ["Title"]',
      'the key attributes "Id"',
    ],
    [
      "an index partitioned differently from the table",
      (d) => (teams(d)[0].grants[0].indexes = ["ByCategory"]),
      'teams[0].grants[0].indexes[0]: found "ByCategory"',
      'an index partitioned by "Id"',
    ],
    [
      "an unknown index",
      (d) => (teams(d)[0].grants[0].indexes = ["ByTitle"]),
      'teams[0].grants[0].indexes[0]: found "ByTitle"',
      'an index of table "ProductCatalog" (its indexes: "ByCategory")',
    ],
    [
      "two grants of one table to one team",
      (d) => teams(d)[0].grants.push({ ...teams(d)[0].grants[0] }),
      'teams[0].grants[1].table: found "ProductCatalog"',
      "one grant per table per team",
    ],
    [
      "duplicate team names",
      (d) => (teams(d)[1].name = "books"),
      'teams[1].name: found "books"',
      "a team name not already used",
    ],
    [
      "a key attribute with two types",
      (d) => {
        const index = d.tables[0].globalSecondaryIndexes?.[0];
        if (index) index.sortKey = { name: "Id", type: "S" };
      },
      'tables[0].globalSecondaryIndexes[0].sortKey.type: found "S"',
      '"N", the type "Id" already has',
    ],
  ])("rejects %s", (_name, mutate, found, expected) => {
    const error = errorFor(mutate);
    expect(error.message).toContain(found);
    expect(error.message).toContain(expected);
  });

  describe("production invariants", () => {
    const production = (d: Definition) => {
      d.tier = "production";
      d.backend = { bucket: "state-bucket-example", region: "us-east-1" };
      d.tables[0].onDemandThroughput = { maxReadRequestUnits: 100, maxWriteRequestUnits: 50 };
    };

    it("rejects a production table with deletion protection off", () => {
      const error = errorFor((d) => {
        production(d);
        d.tables[0].deletionProtection = false;
      });
      expect(error.message).toContain(
        "tables[0].deletionProtection: found false; expected true in a production environment",
      );
    });

    it("rejects a production table without point-in-time recovery", () => {
      const error = errorFor((d) => {
        production(d);
        d.tables[0].pointInTimeRecovery = false;
      });
      expect(error.message).toContain(
        "tables[0].pointInTimeRecovery: found false; expected true in a production environment",
      );
    });

    it("rejects a production key deletion window under 30 days", () => {
      const error = errorFor((d) => {
        production(d);
        d.keyDeletionWindowDays = 7;
      });
      expect(error.message).toContain(
        "keyDeletionWindowDays: found 7; expected 30 in a production environment",
      );
    });

    it("rejects a production point-in-time recovery window under 35 days", () => {
      const error = errorFor((d) => {
        production(d);
        d.tables[0].pointInTimeRecoveryDays = 7;
      });
      expect(error.message).toContain(
        "tables[0].pointInTimeRecoveryDays: found 7; expected 35 in a production environment (remove the field to get 35",
      );
    });

    it("rejects a production on-demand table without throughput maxima", () => {
      const error = errorFor((d) => {
        production(d);
        delete d.tables[0].onDemandThroughput;
      });
      expect(error.message).toContain("environments/dev.ts");
      expect(error.message).toContain(
        "tables[0].onDemandThroughput: found nothing; expected { maxReadRequestUnits, maxWriteRequestUnits } on an on-demand table in a production environment",
      );
    });

    it("rejects production without locked backups, or with a lock that keeps less than 35 days", () => {
      const error = errorFor((d) => {
        production(d);
        d.backup = { enabled: false, retentionDays: 7, lock: { minRetentionDays: 7 } };
      });
      expect(error.message).toContain(
        "backup.enabled: found false; expected true in a production environment",
      );
      expect(error.message).toContain(
        "backup.lock.minRetentionDays: found 7; expected at least 35 in a production environment",
      );
    });

    it("rejects production with local state", () => {
      const error = errorFor((d) => {
        production(d);
        delete d.backend;
      });
      expect(error.message).toContain("backend: found nothing; expected an S3 backend");
    });

    it("allows a short recovery window and no throughput maxima outside production", () => {
      const d = definition();
      d.tables[0].pointInTimeRecoveryDays = 7;
      const env = validateEnvironment(d, "environments/dev.ts");
      expect(env.tables[0].pointInTimeRecoveryDays).toBe(7);
      expect(env.tables[0].onDemandThroughput).toBeUndefined();
    });

    it("allows deletion protection off outside production", () => {
      const d = definition();
      d.tables[0].deletionProtection = false;
      expect(validateEnvironment(d, "environments/dev.ts").tables[0].deletionProtection).toBe(false);
    });
  });

  it("reports every problem at once, one line each", () => {
    const error = errorFor((d) => {
      d.account.id = "1";
      d.account.organizationId = "o-";
    });
    expect(error.issues).toHaveLength(2);
    expect(error.message.split("\n")).toHaveLength(3);
  });
});
