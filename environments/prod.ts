import { defineEnvironment } from "../config/schema";
import { catalogTeams, productCatalog } from "./shared/product-catalog";

const ACCOUNT_ID = "777788889999";

export default defineEnvironment({
  name: "prod",
  tier: "production",
  account: { id: ACCOUNT_ID, region: "us-east-1", organizationId: "o-a1b2c3d4e5" },
  backend: {
    bucket: "example-ddb-guardrails-state-777788889999",
    region: "us-east-1",
    kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:alias/terraform-state`,
  },
  network: {
    mode: "create",
    cidr: "10.30.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  },
  // On-demand ceilings: a runaway client or stolen credential is throttled, not billed without bound.
  tables: [
    { ...productCatalog, onDemandThroughput: { maxReadRequestUnits: 4000, maxWriteRequestUnits: 1000 } },
  ],
  // A global table: a second region to fail over to, with its own key, PITR and deletion protection.
  replicaRegions: ["us-west-2"],
  teams: catalogTeams(ACCOUNT_ID),
  alerts: {
    emails: ["dynamodb-alerts@example.com", "security-oncall@example.com"],
    dataEvents: true,
    logRetentionDays: 365,
  },
  // Locked backups (on by default in production); each recovery point is also copied to a vault of
  // the organization's backup account in another region, out of reach of this account's admins.
  backup: {
    copy: {
      destinationVaultArn: "arn:aws:backup:us-west-2:999900001111:backup-vault:ddb-guardrails-prod-copies",
    },
  },
  tags: { owner: "platform-team", "cost-center": "cc-1234" },
});
