import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { Environment } from "../config/schema";
import { FACTS_KEY, factsOf } from "../gate/facts";
import { AuditTrail } from "./audit-trail";
import { configureBackend } from "./backend";
import { DeletionAlerts } from "./deletion-alerts";
import { DynamoDbNetwork } from "./dynamodb-network";
import { EncryptionKey } from "./encryption-key";
import type { FunctionBundle } from "./function-bundle";
import type { DeploymentTarget } from "./iam/arns";
import { SecureTable } from "./secure-table";
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
    this.addOverride(`//.${FACTS_KEY}`, factsOf(env));
    configureBackend(this, env);
    new AwsProvider(this, "aws", {
      region: env.account.region,
      // A wrong profile or pipeline role must fail the plan, not deploy into another account.
      allowedAccountIds: [env.account.id],
      defaultTags: [{ tags: { ...baseTags, "managed-by": "ddb-guardrails" } }],
    });

    const network = new DynamoDbNetwork(this, "network", {
      target,
      namePrefix: env.name,
      network: env.network,
    });

    this.tables = env.tables.map((table) => {
      const tags = { ...baseTags, "data-classification": table.dataClassification };
      const encryptionKey = new EncryptionKey(this, `${table.name}-key`, {
        target,
        alias: `${env.name}/dynamodb/${table.name}`,
        description: `Encrypts DynamoDB table ${table.name} (${env.name}): items, indexes, streams, backups`,
        deletionWindowDays: env.keyDeletionWindowDays,
        tags,
      });
      return new SecureTable(this, table.name, {
        table,
        encryptionKey,
        vpcEndpointId: network.endpointId,
        tags,
      });
    });
    network.allowTables(this.tables);

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
    });

    const tablesByName = new Map(this.tables.map((table) => [table.name, table]));
    for (const team of env.teams) {
      new TeamAccess(this, `team-${team.name}`, {
        target,
        namePrefix: env.name,
        team,
        tables: tablesByName,
        vpcEndpointId: network.endpointId,
      });
    }
  }
}
