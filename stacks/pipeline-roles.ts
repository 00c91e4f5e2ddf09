import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import type { Environment } from "../config/schema";
import { stateKey } from "./backend";
import type { GitHubOidcProvider, GitHubRepository } from "./github-oidc";
import { permissionsBoundaryArn, permissionsBoundaryName } from "./iam/arns";
import { DEPLOY_PERMISSIONS, type EnvironmentScope, type Grant } from "./iam/deploy-permissions";
import { boundaryDocument } from "./iam/permissions-boundary";
import type { PolicyStatement } from "./iam/policy-document";
import { Role } from "./iam/role";
import type { StateBucket } from "./state-bucket";

/** Pipeline roles live under this path, which no environment's `role/<env>-*` pattern can reach. */
export const PIPELINE_ROLE_PATH = "/pipeline/";

export interface PipelineRolesProps {
  environment: Environment;
  repository: GitHubRepository;
  github: GitHubOidcProvider;
  stateBucket: StateBucket;
  sessionDurationSeconds: number;
}

export function environmentScope(env: Environment): EnvironmentScope {
  const target = { accountId: env.account.id, region: env.account.region };
  return {
    name: env.name,
    accountId: env.account.id,
    region: env.account.region,
    tables: env.tables.map((table) => table.name),
    permissionsBoundaryArn: permissionsBoundaryArn(target, env.name),
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

  constructor(scope: Construct, id: string, props: PipelineRolesProps) {
    super(scope, id);
    const env = props.environment;
    const environment = environmentScope(env);
    const state = { key: stateKey(env) };

    this.boundary = new IamPolicy(this, "boundary", {
      name: permissionsBoundaryName(env.name),
      description: `The most any role of environment ${env.name} may do (its permissions boundary)`,
      policy: boundaryDocument(environment).render(),
    });

    this.planRole = new Role(this, "plan", {
      name: `ddb-guardrails-${env.name}-plan`,
      path: PIPELINE_ROLE_PATH,
      description: `Plans environment ${env.name} from pull requests: reads its resources and state, changes nothing`,
      trustPolicy: props.github.trustFor("PullRequestsOfThisRepository", props.repository, {
        pullRequest: true,
      }),
      maxSessionDuration: props.sessionDurationSeconds,
    });
    props.stateBucket.grantRead(this.planRole, "Plan", state);
    for (const statement of grantStatements(readGrants, environment, "Read")) {
      this.planRole.addToPrincipalPolicy(statement);
    }

    this.deployRole = new Role(this, "deploy", {
      name: `ddb-guardrails-${env.name}-deploy`,
      path: PIPELINE_ROLE_PATH,
      description: `Applies environment ${env.name} from its GitHub environment's deployment jobs`,
      trustPolicy: props.github.trustFor("DeploymentJobsOfThisEnvironment", props.repository, {
        environment: env.name,
      }),
      maxSessionDuration: props.sessionDurationSeconds,
    });
    props.stateBucket.grantReadWrite(this.deployRole, "Deploy", state);
    for (const statement of grantStatements([...readGrants, ...writeGrants], environment, "Manage")) {
      this.deployRole.addToPrincipalPolicy(statement);
    }
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
}
