import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { Environment } from "../config/schema";
import { environmentFacts } from "../config/stack-facts";
import { FACTS_KEY } from "../gate/facts";
import { AuditTrail } from "./audit-trail";
import { backupEnabled, TableBackups } from "./backup-vault";
import { configureBackend } from "./backend";
import { DeletionAlerts } from "./deletion-alerts";
import { DynamoDbNetwork } from "./dynamodb-network";
import { EncryptionKey } from "./encryption-key";
import type { FunctionBundle } from "./function-bundle";
import { permissionsBoundaryArn, type DeploymentTarget } from "./iam/arns";
import { PermissionsBoundary } from "./iam/permissions-boundary";
import { SecureTable } from "./secure-table";
import { ReplicaKeyAlerts } from "./replica-key-alerts";
import { ReplicaRegion } from "./table-replicas";
import { TeamAccess } from "./team-access";

export interface EnvironmentStackProps {
  environment: Environment;
  /** The bundled deletion-alert function (bundled once, shared by every environment). */
  alertFunction: FunctionBundle;
}

/** Everything one environment needs, composed from its validated definition. The stack is named after the environment. */
export class EnvironmentStack extends TerraformStack {
  readonly tables: SecureTable[];

  constructor(scope: Construct, props: EnvironmentStackProps) {
    const env = props.environment;
    super(scope, env.name);
    const target: DeploymentTarget = {
      accountId: env.account.id,
      region: env.account.region,
      organizationId: env.account.organizationId,
    };
    const baseTags = { ...env.tags, environment: env.name };

    // The gate reads the environment's facts from the stack itself (gate/facts.ts).
    this.addOverride(`//.${FACTS_KEY}`, environmentFacts(env));
    configureBackend(this, env);
    new AwsProvider(this, "aws", {
      region: env.account.region,
      // A wrong profile or pipeline role must fail the plan, not deploy into another account.
      allowedAccountIds: [env.account.id],
      defaultTags: [{ tags: { ...baseTags, "managed-by": "ddb-guardrails" } }],
    });

    // The pipeline's deploy role may create roles only with this boundary (see stacks/bootstrap-stack.ts).
    Aspects.of(this).add(new PermissionsBoundary(permissionsBoundaryArn(target, env.name)));

    const network = new DynamoDbNetwork(this, "network", {
      target,
      namePrefix: env.name,
      network: env.network,
      interfaceEndpoint: env.interfaceEndpoint,
    });
    const replicaRegions = env.replicaRegions.map(
      (region) =>
        new ReplicaRegion(this, `replica-${region}`, {
          target,
          region,
          defaultTags: { ...baseTags, "managed-by": "ddb-guardrails" },
        }),
    );

    // The replicas' keys, by replica region: their events are alerted on from there (ReplicaKeyAlerts).
    const replicaKeys = new Map<ReplicaRegion, EncryptionKey[]>(replicaRegions.map((region) => [region, []]));
    this.tables = env.tables.map((table) => {
      const tags = { ...baseTags, "data-classification": table.dataClassification };
      const encryptionKey = new EncryptionKey(this, `${table.name}-key`, {
        target,
        alias: `${env.name}/dynamodb/${table.name}`,
        description: `Encrypts DynamoDB table ${table.name} (${env.name}): items, indexes, streams, backups`,
        deletionWindowDays: env.keyDeletionWindowDays,
        tags,
      });
      const replicas = replicaRegions.map((replicaRegion) => {
        const replicaKey = replicaRegion.tableKey(this, `${table.name}-key-${replicaRegion.target.region}`, {
          alias: `${env.name}/dynamodb/${table.name}`,
          description: `Encrypts DynamoDB replica ${table.name} in ${replicaRegion.target.region} (${env.name}): items, indexes, streams, backups`,
          deletionWindowDays: env.keyDeletionWindowDays,
          tags,
        });
        replicaKeys.get(replicaRegion)?.push(replicaKey);
        return { region: replicaRegion.target.region, encryptionKey: replicaKey };
      });
      return new SecureTable(this, table.name, {
        table,
        encryptionKey,
        vpcEndpointIds: network.endpointIds,
        replicas,
        target,
        tags,
      });
    });
    network.allowTables(this.tables);
    const backups = backupEnabled(env)
      ? new TableBackups(this, "backup", {
          target,
          namePrefix: env.name,
          backup: env.backup,
          tables: this.tables,
          keyDeletionWindowDays: env.keyDeletionWindowDays,
          tags: baseTags,
        })
      : undefined;

    const serviceKeyTags = { ...baseTags, "data-classification": "confidential" };
    const auditKey = new EncryptionKey(this, "audit-key", {
      target,
      alias: `${env.name}/audit`,
      description: `Encrypts the DynamoDB audit trail (${env.name})`,
      deletionWindowDays: env.keyDeletionWindowDays,
      tags: serviceKeyTags,
    });
    new AuditTrail(this, "audit", {
      target,
      namePrefix: env.name,
      encryptionKey: auditKey,
      dataEventTableArns: env.alerts.dataEvents ? this.tables.map((table) => table.arn) : [],
    });

    const alertsKey = new EncryptionKey(this, "alerts-key", {
      target,
      alias: `${env.name}/alerts`,
      description: `Encrypts DynamoDB deletion alerts, their failures and logs (${env.name})`,
      deletionWindowDays: env.keyDeletionWindowDays,
      tags: serviceKeyTags,
    });
    new DeletionAlerts(this, "alerts", {
      target,
      namePrefix: env.name,
      encryptionKey: alertsKey,
      emails: env.alerts.emails,
      logRetentionDays: env.alerts.logRetentionDays,
      bundle: props.alertFunction,
      // The vault key too: deleting it would make every recovery point unreadable.
      // Replica keys too: their region's rule forwards their events here (ReplicaKeyAlerts below).
      watchedKeyArns: [
        ...this.tables.map((table) => table.encryptionKey.arn),
        ...[...replicaKeys.values()].flat().map((key) => key.arn),
        ...(backups ? [backups.key.arn] : []),
      ],
    });
    for (const [region, keys] of replicaKeys) {
      new ReplicaKeyAlerts(this, `alerts-${region.target.region}`, {
        target,
        namePrefix: env.name,
        region,
        keyArns: keys.map((key) => key.arn),
      });
    }

    const tablesByName = new Map(this.tables.map((table) => [table.name, table]));
    for (const team of env.teams) {
      new TeamAccess(this, `team-${team.name}`, {
        target,
        namePrefix: env.name,
        team,
        tables: tablesByName,
        vpcEndpointIds: network.endpointIds,
      });
    }
  }
}
