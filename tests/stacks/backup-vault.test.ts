import { loadEnvironments } from "../../config/load";
import {
  asList,
  environment,
  policyStatements,
  referencesType,
  resources,
  single,
  synthesize,
} from "../support/synth";

const shipped = new Map(loadEnvironments().map((env) => [env.name, env]));

describe("locked table backups", () => {
  // dev with backups turned on and a second table, so the selection must name both.
  const synth = synthesize(
    environment((d) => {
      d.backup = {
        enabled: true,
        retentionDays: 40,
        lock: { changeableForDays: 5, minRetentionDays: 30, maxRetentionDays: 90 },
        copy: { destinationVaultArn: "arn:aws:backup:us-west-2:999900001111:backup-vault:copies" },
      };
      d.tables.push({
        ...d.tables[0],
        name: "Orders",
        globalSecondaryIndexes: [],
        dataClassification: "restricted",
      });
    }),
  );
  const vault = single(synth, "aws_backup_vault");
  const [[vaultId]] = resources(synth, "aws_backup_vault");

  it("encrypts the vault with a key of its own, not a table's", () => {
    const [[keyId, key]] = resources(synth, "aws_kms_key").filter(([, k]) =>
      String(k.description).includes("AWS Backup vault"),
    );
    expect(vault.kms_key_arn).toBe(`\${aws_kms_key.${keyId}.arn}`);
    expect(vault.force_destroy).toBe(false);
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 7 });
    // The vault holds every table, so it carries the most sensitive table's classification.
    expect((key.tags as Record<string, string>)["data-classification"]).toBe("restricted");
    const use = policyStatements(key).find((s) => s.Sid === "AccountUsesKeyThroughBackup");
    expect(use?.Condition?.StringEquals?.["kms:ViaService"]).toEqual(["backup.us-east-1.amazonaws.com"]);
  });

  it("locks the vault in compliance mode with the configured retention range", () => {
    expect(single(synth, "aws_backup_vault_lock_configuration")).toMatchObject({
      backup_vault_name: `\${aws_backup_vault.${vaultId}.name}`,
      changeable_for_days: 5,
      min_retention_days: 30,
      max_retention_days: 90,
    });
  });

  it("backs up daily into the vault, keeps the configured days, and copies to the other vault", () => {
    const plan = single(synth, "aws_backup_plan");
    expect(plan.rule).toEqual([
      {
        rule_name: "daily",
        target_vault_name: `\${aws_backup_vault.${vaultId}.name}`,
        schedule: "cron(0 3 * * ? *)",
        lifecycle: { delete_after: 40 },
        copy_action: [
          {
            destination_vault_arn: "arn:aws:backup:us-west-2:999900001111:backup-vault:copies",
            lifecycle: { delete_after: 40 },
          },
        ],
      },
    ]);
  });

  it("selects every table by reference", () => {
    const selection = single(synth, "aws_backup_selection");
    const tableIds = resources(synth, "aws_dynamodb_table").map(([id]) => `\${aws_dynamodb_table.${id}.arn}`);
    expect(tableIds).toHaveLength(2);
    expect([...(selection.resources as string[])].sort()).toEqual(tableIds.sort());
    expect(referencesType(selection.plan_id, "aws_backup_plan")).toBe(true);
    expect(referencesType(selection.iam_role_arn, "aws_iam_role")).toBe(true);
  });

  it("runs as a role AWS Backup assumes, with the tables' and the vault's keys only through their services", () => {
    const [[roleId, role]] = resources(synth, "aws_iam_role").filter(
      ([, r]) => r.name === "dev-dynamodb-backup",
    );
    expect(policyStatements(role, "assume_role_policy")[0].Principal).toEqual({
      Service: "backup.amazonaws.com",
    });
    const attachment = single(synth, "aws_iam_role_policy_attachment");
    expect(attachment).toMatchObject({
      role: `\${aws_iam_role.${roleId}.name}`,
      policy_arn: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    });
    const [[, inline]] = resources(synth, "aws_iam_role_policy").filter(
      ([, p]) => p.role === `\${aws_iam_role.${roleId}.id}`,
    );
    const statements = policyStatements(inline);
    expect(statements.map((s) => s.Sid)).toEqual([
      "ReadProductCatalogThroughDynamoDb",
      "ReadOrdersThroughDynamoDb",
      "EncryptRecoveryPointsThroughBackup",
    ]);
    for (const s of statements) {
      expect(asList(s.Resource)).not.toContain("*");
      expect(s.Condition?.StringEquals?.["kms:ViaService"]).toBeDefined();
    }
  });
});

describe.each([
  ["dev", 0],
  ["staging", 1],
  ["prod", 1],
])("the shipped %s environment", (name, vaults) => {
  it(vaults ? "has locked backups (on by default)" : "has no backups (opt-in in development)", () => {
    const env = shipped.get(name);
    if (!env) throw new Error(`no environment ${name}`);
    expect(resources(synthesize(env), "aws_backup_vault")).toHaveLength(vaults);
  });
});
