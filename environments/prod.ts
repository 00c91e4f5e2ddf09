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
  tables: [productCatalog],
  teams: catalogTeams(ACCOUNT_ID),
  alerts: {
    emails: ["dynamodb-alerts@example.com", "security-oncall@example.com"],
    dataEvents: true,
    logRetentionDays: 365,
  },
  tags: { owner: "platform-team", "cost-center": "cc-1234" },
});
