import { defineEnvironment } from "../config/schema";
import { catalogTeams, productCatalog } from "./shared/product-catalog";

const ACCOUNT_ID = "111122223333";

export default defineEnvironment({
  name: "dev",
  tier: "development",
  account: { id: ACCOUNT_ID, region: "us-east-1", organizationId: "o-a1b2c3d4e5" },
  // The pipeline plans and applies dev too, so its state lives in the bucket bootstrap/dev.ts creates.
  backend: {
    bucket: "example-ddb-guardrails-state-111122223333",
    region: "us-east-1",
    kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:alias/terraform-state`,
  },
  network: { mode: "create", cidr: "10.10.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"] },
  tables: [productCatalog],
  teams: catalogTeams(ACCOUNT_ID),
  alerts: { emails: ["dynamodb-alerts-dev@example.com"], logRetentionDays: 30 },
  tags: { owner: "platform-team", "cost-center": "cc-1234" },
});
