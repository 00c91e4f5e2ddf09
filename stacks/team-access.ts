import { Construct } from "constructs";
import type { TeamConfig } from "../config/schema";
import type { DeploymentTarget } from "./iam/arns";
import { DESTRUCTIVE_CONTROL_PLANE_ACTIONS } from "./iam/dynamodb-actions";
import { PolicyDocument } from "./iam/policy-document";
import { Role } from "./iam/role";
import type { SecureTable } from "./secure-table";
import { teamRoleName } from "./iam/role-names";

export interface TeamAccessProps {
  target: DeploymentTarget;
  /** Prefix for the role name, e.g. the environment name. */
  namePrefix: string;
  team: TeamConfig;
  /** The environment's tables by name; every grant's table must be here (config validation ensures it). */
  tables: ReadonlyMap<string, SecureTable>;
  /** The endpoints every data-plane call must come through (`aws:SourceVpce`): gateway and interface. */
  vpcEndpointIds: string[];
}

/**
 * One role per team, as the talk's Alice (books) and Bob (bicycles): assumable only by the principals
 * the configuration names, and able to touch only the team's key range and attributes.
 */
export class TeamAccess extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: TeamAccessProps) {
    super(scope, id);
    const { team, target } = props;
    this.role = new Role(this, "role", {
      name: teamRoleName(props.namePrefix, team.name),
      description: `Item-level access to DynamoDB data for team ${team.name}`,
      trustPolicy: new PolicyDocument({
        Sid: "NamedPrincipalsOfThisOrganizationAssume",
        Effect: "Allow",
        Principal: { AWS: team.principals },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:PrincipalOrgID": target.organizationId } },
      }),
    });
    for (const grant of team.grants) {
      const table = props.tables.get(grant.table);
      if (!table) throw new Error(`Team ${team.name} is granted unknown table ${grant.table}`);
      table.grantItemAccess(this.role, grant, props.vpcEndpointIds);
    }
    // Belt and braces: even if a broader policy is attached to this role later, it cannot destroy tables.
    this.role.addToPrincipalPolicy({
      Sid: "NoDestructiveControlPlaneCalls",
      Effect: "Deny",
      Action: [...DESTRUCTIVE_CONTROL_PLANE_ACTIONS],
      Resource: "*",
    });
  }
}
