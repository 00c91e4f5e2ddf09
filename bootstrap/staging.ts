import { defineBootstrap } from "../config/bootstrap-schema";

// Applied once by an administrator (see README, "Bootstrapping an account"); the pipeline cannot change it.
export default defineBootstrap({
  name: "staging", // must equal the file name; the stack is bootstrap-staging
  account: { id: "444455556666", region: "us-east-1", organizationId: "o-a1b2c3d4e5" },
  repository: { owner: "example-org", name: "ddb-guardrails" },
  stateBucket: "example-ddb-guardrails-state-444455556666",
  remoteState: true, // the first apply ran with local state, then `terraform init -migrate-state`
  environments: ["staging"],
  tags: { owner: "platform-team", "cost-center": "cc-1234" },
});
