import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import type { Environment } from "../config/schema";
import { stateKey } from "./backend";
import type { GitHubOidcProvider, GitHubRepository } from "./github-oidc";
import { permissionsBoundaryArn, permissionsBoundaryName } from "./iam/arns";
import { DEPLOY_PERMISSIONS, type EnvironmentScope, type Grant } from "./iam/deploy-permissions";
import { boundaryDocument } from "./iam/permissions-boundary";
import { PolicyDocument, type PolicyStatement } from "./iam/policy-document";
import { Role } from "./iam/role";
import type { StateBucket } from "./state-bucket";
import { backupEnabled } from "./backup-vault";
import {
  alertFunctionRoleName,
  backupRoleName,
  keyAlertForwarderRoleName,
  teamRoleName,
} from "./iam/role-names";

/** Pipeline roles live under this path, which no environment's `role/<env>-*` pattern can reach. */
export const PIPELINE_ROLE_PATH = "/pipeline/";

export interface PipelineRolesProps {
  environment: Environment;
  repository: GitHubRepository;
  github: GitHubOidcProvider;
  stateBucket: StateBucket;
  sessionDurationSeconds: number;
}

/** Every role an environment stack creates, by name, and the service each is handed to. */
function environmentRoles(env: Environment): EnvironmentScope["roles"] {
  const lambda = [alertFunctionRoleName(env.name)];
  const backup = backupEnabled(env) ? [backupRoleName(env.name)] : [];
  const events = env.replicaRegions.map((region) => keyAlertForwarderRoleName(env.name, region));
  const teams = env.teams.map((team) => teamRoleName(env.name, team.name));
  return { all: [...teams, ...lambda, ...backup, ...events], lambda, backup, events };
}

export function environmentScope(env: Environment): EnvironmentScope {
  const target = { accountId: env.account.id, region: env.account.region };
  return {
    name: env.name,
    accountId: env.account.id,
    region: env.account.region,
    replicaRegions: env.replicaRegions,
    tables: env.tables.map((table) => table.name),
    permissionsBoundaryArn: permissionsBoundaryArn(target, env.name),
    roles: environmentRoles(env),
  };
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * The grants of every resource type, as statements: grants with the same resources and conditions
 * become one statement (IAM limits a role's inline policies to 10,240 characters), each named
 * after its services.
 */
export function grantStatements(
  grants: readonly Grant[],
  scope: EnvironmentScope,
  verb: string,
): PolicyStatement[] {
  const merged = new Map<string, { actions: Set<string>; resources: string[]; grant: Grant }>();
  for (const grant of grants) {
    const resources = grant.resources(scope);
    const key = JSON.stringify([resources, grant.conditions?.(scope) ?? null]);
    const entry = merged.get(key) ?? { actions: new Set<string>(), resources, grant };
    grant.actions.forEach((action) => entry.actions.add(action));
    merged.set(key, entry);
  }
  const sids = new Map<string, number>();
  return [...merged.values()].map(({ actions, resources, grant }) => {
    const sorted = [...actions].sort();
    const services = [...new Set(sorted.map((action) => action.split(":")[0]))].map(capitalize).join("");
    const seen = (sids.get(services) ?? 0) + 1;
    sids.set(services, seen);
    const statement: PolicyStatement = {
      Sid: `${verb}${services}${seen === 1 ? "" : seen}`,
      Effect: "Allow",
      Action: sorted,
      Resource: resources.length === 1 ? resources[0] : resources,
    };
    const conditions = grant.conditions?.(scope);
    if (conditions) statement.Condition = conditions;
    return statement;
  });
}

/** IAM's limit on a managed policy, in characters without whitespace; ARNs not yet known are estimated. */
export const MANAGED_POLICY_LIMIT = 6144;
/** Managed policies a role may have attached (IAM's default quota). */
export const ATTACHED_POLICY_LIMIT = 10;
// `${aws_s3_bucket.x.arn}`-style tokens resolve to ARNs of about this length or less.
const TOKEN_ALLOWANCE = 80;

function documentSize(statements: PolicyStatement[]): number {
  const text = JSON.stringify(new PolicyDocument(...statements).toJSON());
  const tokens = text.match(/\$\{[^}]*\}/g) ?? [];
  return text.length + tokens.length * TOKEN_ALLOWANCE - tokens.join("").length;
}

/** Statements packed in order into as few documents as fit IAM's managed policy size limit. */
export function packStatements(
  statements: PolicyStatement[],
  limit = MANAGED_POLICY_LIMIT,
): PolicyStatement[][] {
  const documents: PolicyStatement[][] = [];
  for (const statement of statements) {
    if (documentSize([statement]) > limit) {
      throw new Error(`Statement ${statement.Sid} alone exceeds IAM's ${limit}-character policy limit`);
    }
    const last = documents.at(-1);
    if (last && documentSize([...last, statement]) <= limit) last.push(statement);
    else documents.push([statement]);
  }
  return documents;
}

const readGrants = Object.values(DEPLOY_PERMISSIONS).flatMap((type) => type.read);
const writeGrants = Object.values(DEPLOY_PERMISSIONS).flatMap((type) => type.write);

/**
 * One environment's pipeline identities. The plan role, for pull requests, reads what the
 * environment's resources are and its state (plans run with `-lock=false`); the deploy role, for
 * jobs in the GitHub environment of the same name, also changes them, writes the state and takes
 * its lock. Neither can touch IAM beyond the environment's own roles, and those only with the
 * environment's permissions boundary, which lives here, out of the pipeline's reach.
 */
export class PipelineRoles extends Construct {
  readonly planRole: Role;
  readonly deployRole: Role;
  readonly boundary: IamPolicy;
  private readonly environmentName: string;

  constructor(scope: Construct, id: string, props: PipelineRolesProps) {
    super(scope, id);
    const env = props.environment;
    this.environmentName = env.name;
    const environment = environmentScope(env);
    const state = { key: stateKey(env) };

    this.boundary = new IamPolicy(this, "boundary", {
      name: permissionsBoundaryName(env.name),
      description: `The most any role of environment ${env.name} may do (its permissions boundary)`,
      policy: boundaryDocument(environment).render(),
    });

    const planRoleName = `ddb-guardrails-${env.name}-plan`;
    this.planRole = new Role(this, "plan", {
      name: planRoleName,
      path: PIPELINE_ROLE_PATH,
      description: `Plans environment ${env.name} from pull requests: reads its resources and state, changes nothing`,
      trustPolicy: props.github.trustFor("PullRequestsOfThisRepository", props.repository, {
        pullRequest: true,
      }),
      maxSessionDuration: props.sessionDurationSeconds,
    });
    props.stateBucket.grantRead(this.planRole, "Plan", state);
    this.attach(this.planRole, planRoleName, "plan", grantStatements(readGrants, environment, "Read"));

    const deployRoleName = `ddb-guardrails-${env.name}-deploy`;
    this.deployRole = new Role(this, "deploy", {
      name: deployRoleName,
      path: PIPELINE_ROLE_PATH,
      description: `Applies environment ${env.name} from its GitHub environment's deployment jobs`,
      trustPolicy: props.github.trustFor("DeploymentJobsOfThisEnvironment", props.repository, {
        environment: env.name,
      }),
      maxSessionDuration: props.sessionDurationSeconds,
    });
    props.stateBucket.grantReadWrite(this.deployRole, "Deploy", state);
    this.attach(
      this.deployRole,
      deployRoleName,
      "deploy",
      grantStatements([...readGrants, ...writeGrants], environment, "Manage"),
    );
    // Belt and braces: even if a broader policy is attached later, no role escapes the boundary.
    this.deployRole.addToPrincipalPolicy({
      Sid: "NoRoleWithoutTheBoundary",
      Effect: "Deny",
      Action: [
        "iam:CreateRole",
        "iam:PutRolePolicy",
        "iam:PutRolePermissionsBoundary",
        "iam:AttachRolePolicy",
      ],
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": environment.permissionsBoundaryArn } },
    });
    this.deployRole.addToPrincipalPolicy({
      Sid: "NoBoundaryRemovalOrChange",
      Effect: "Deny",
      Action: [
        "iam:DeleteRolePermissionsBoundary",
        "iam:CreatePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
      ],
      Resource: "*",
    });
  }

  /**
   * The resource types' grants, as managed policies under the pipeline path: a role's inline
   * policies share one 10,240-character limit, which the deploy role's grants outgrow as
   * constructs are added. Each policy fits IAM's limit on its own.
   */
  private attach(role: Role, roleName: string, kind: string, statements: PolicyStatement[]): void {
    const documents = packStatements(statements);
    if (documents.length > ATTACHED_POLICY_LIMIT) {
      throw new Error(
        `The ${kind} role needs ${documents.length} managed policies; IAM attaches at most ${ATTACHED_POLICY_LIMIT}`,
      );
    }
    documents.forEach((document, index) => {
      const policy = new IamPolicy(this, `${kind}-policy-${index + 1}`, {
        name: `${roleName}-${index + 1}`,
        path: PIPELINE_ROLE_PATH,
        description: `What the ${kind} role of environment ${this.environmentName} may do to its resources (${index + 1}/${documents.length})`,
        policy: new PolicyDocument(...document).render(),
      });
      new IamRolePolicyAttachment(this, `${kind}-attachment-${index + 1}`, {
        role: role.role.name,
        policyArn: policy.arn,
      });
    });
  }
}
