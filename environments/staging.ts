import { defineEnvironment } from "../config/schema";
import { catalogTeams, productCatalog } from "./shared/product-catalog";

const ACCOUNT_ID = "444455556666";

// Joins an existing shared-services VPC: the gateway endpoint attaches to its private route tables.
export default defineEnvironment({
  name: "staging",
  tier: "staging",
  account: { id: ACCOUNT_ID, region: "us-east-1", organizationId: "o-a1b2c3d4e5" },
  backend: {
    bucket: "example-ddb-guardrails-state-444455556666",
    region: "us-east-1",
    kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:alias/terraform-state`,
  },
  network: {
    mode: "existing",
    vpcId: "vpc-0a1b2c3d4e5f67890",
    routeTableIds: ["rtb-0a1b2c3d4e5f67890", "rtb-0f9e8d7c6b5a43210"],
  },
  // On-premises test clients reach DynamoDB over the site-to-site VPN through an interface endpoint.
  interfaceEndpoint: {
    allowedCidrs: ["192.168.0.0/20"],
    subnetIds: ["subnet-0a1b2c3d4e5f67890", "subnet-0f9e8d7c6b5a43210"],
  },
  tables: [productCatalog],
  teams: catalogTeams(ACCOUNT_ID),
  alerts: { emails: ["dynamodb-alerts-staging@example.com"], dataEvents: true, logRetentionDays: 90 },
  // Locked backups are on by default in staging; a shorter retention keeps the vault cheap.
  backup: { retentionDays: 14, lock: { minRetentionDays: 7, maxRetentionDays: 35 } },
  tags: { owner: "platform-team", "cost-center": "cc-1234" },
});
