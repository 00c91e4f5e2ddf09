import type { ConfigIssue, ParsedEnvironment } from "./rules";

/**
 * Cross-field rules for global-table replicas and the interface endpoint. A replica in the primary
 * region is refused by DynamoDB at apply time, and an existing VPC's subnets cannot be guessed.
 */
export function replicationAndEndpointIssues(env: ParsedEnvironment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  env.replicaRegions.forEach((region, index) => {
    if (region === env.account.region) {
      issues.push({
        path: ["replicaRegions", index],
        found: region,
        expected: `a region other than the table's own (account.region "${env.account.region}")`,
      });
    } else if (seen.has(region)) {
      issues.push({ path: ["replicaRegions", index], found: region, expected: "each region once" });
    }
    seen.add(region);
  });
  const endpoint = env.interfaceEndpoint;
  if (endpoint && env.network.mode === "existing" && endpoint.subnetIds === undefined) {
    issues.push({
      path: ["interfaceEndpoint", "subnetIds"],
      found: undefined,
      expected:
        'the existing VPC\'s private subnet ids (network.mode "existing" creates no subnets to place the endpoint in)',
    });
  }
  if (endpoint && env.network.mode === "create" && endpoint.subnetIds !== undefined) {
    issues.push({
      path: ["interfaceEndpoint", "subnetIds"],
      found: endpoint.subnetIds,
      expected: 'nothing: with network.mode "create" the endpoint goes into the subnets this stack creates',
    });
  }
  return issues;
}
