import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { PolicyDocument, type PolicyStatement } from "./policy-document";

/** Anything grant methods can give permissions to. */
export interface Grantee {
  addToPrincipalPolicy(statement: PolicyStatement): void;
}

export interface RoleProps {
  /** Physical role name. */
  name: string;
  description: string;
  /** Who may assume the role. */
  trustPolicy: PolicyDocument;
  /** IAM path, e.g. `/pipeline/`, which keeps the role out of name patterns such as `role/<env>-*`. @default "/" */
  path?: string;
  /** Longest session in seconds. @default 3600 */
  maxSessionDuration?: number;
}

/** An IAM role whose single inline policy collects the statements grant methods add. */
export class Role extends Construct implements Grantee {
  readonly role: IamRole;
  private readonly permissions = new PolicyDocument();

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: props.description,
      assumeRolePolicy: props.trustPolicy.render(),
      path: props.path,
      maxSessionDuration: props.maxSessionDuration ?? 3600,
    });
    new IamRolePolicy(this, "permissions", {
      name: "permissions",
      role: this.role.id,
      policy: this.permissions.render(),
    });
    this.node.addValidation({
      validate: () =>
        this.permissions.isEmpty
          ? [`Role ${props.name} has no permissions: grant it something or remove it`]
          : [],
    });
  }

  get arn(): string {
    return this.role.arn;
  }

  addToPrincipalPolicy(statement: PolicyStatement): void {
    this.permissions.addStatements(statement);
  }
}
