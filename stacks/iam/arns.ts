/** Where a stack deploys: the facts every ARN and condition in it is built from. */
export interface DeploymentTarget {
  accountId: string;
  region: string;
  organizationId: string;
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The value `kms:ViaService` takes when `service` calls KMS on a caller's behalf. */
export function viaService(service: string, target: DeploymentTarget): string {
  return `${service}.${target.region}.amazonaws.com`;
}

/*
 * ARNs written out from names rather than taken from resource attributes: key and bucket policies
 * must name the trail, rule or log group that uses them before those exist, and a reference would
 * be a dependency cycle.
 */
export function accountRootArn(target: DeploymentTarget): string {
  return `arn:${partitionOf(target.region)}:iam::${target.accountId}:root`;
}

export function cloudTrailArn(target: DeploymentTarget, trailName: string): string {
  return `arn:${partitionOf(target.region)}:cloudtrail:${target.region}:${target.accountId}:trail/${trailName}`;
}

export function eventRuleArn(target: DeploymentTarget, ruleName: string): string {
  return `arn:${partitionOf(target.region)}:events:${target.region}:${target.accountId}:rule/${ruleName}`;
}

export function logGroupArn(target: DeploymentTarget, logGroupName: string): string {
  return `arn:${partitionOf(target.region)}:logs:${target.region}:${target.accountId}:log-group:${logGroupName}`;
}

/**
 * The permissions boundary every role of an environment carries. Named by convention: the policy
 * is the account's bootstrap stack's (which the pipeline cannot change), the roles the environment's.
 */
export function permissionsBoundaryArn(
  target: Pick<DeploymentTarget, "accountId" | "region">,
  environment: string,
): string {
  return `arn:${partitionOf(target.region)}:iam::${target.accountId}:policy/${permissionsBoundaryName(environment)}`;
}

export const permissionsBoundaryName = (environment: string): string =>
  `ddb-guardrails-${environment}-boundary`;
