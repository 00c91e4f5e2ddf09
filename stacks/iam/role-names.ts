/*
 * The names of the IAM roles an environment stack creates, in one place: the constructs name their
 * roles with these, and the bootstrap's deploy role may manage and pass exactly these roles and no
 * other. A wildcard such as role/<env>-* would let the deploy role rewrite the trust policy of any
 * role a person later names that way, and pass it to a Lambda it creates.
 */

export const teamRoleName = (environment: string, team: string) => `${environment}-${team}-data-access`;

export const alertFunctionName = (environment: string) => `${environment}-dynamodb-deletion-alert`;

export const alertFunctionRoleName = (environment: string) => `${alertFunctionName(environment)}-role`;

export const backupVaultName = (environment: string) => `${environment}-dynamodb`;

export const backupRoleName = (environment: string) => `${backupVaultName(environment)}-backup`;

/** The role EventBridge in a replica region forwards the replica keys' events to the alert region with. */
export const keyAlertForwarderRoleName = (environment: string, region: string) =>
  `${environment}-dynamodb-key-alerts-${region}`;
