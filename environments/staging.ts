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
  tables: [productCatalog],
  teams: catalogTeams(ACCOUNT_ID),
  alerts: { emails: ["dynamodb-alerts-staging@example.com"], dataEvents: true, logRetentionDays: 90 },
  tags: { owner: "platform-team", "cost-center": "cc-1234" },
});
