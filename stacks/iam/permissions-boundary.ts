import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { DATA_PLANE_ACTIONS } from "./dynamodb-actions";
import { partitionOf } from "./arns";
import { ENCRYPT_DECRYPT_ACTIONS } from "../encryption-key";
import type { EnvironmentScope } from "./deploy-permissions";
import { PolicyDocument } from "./policy-document";

/**
 * Gives every IAM role in a stack the environment's permissions boundary. An aspect rather than a
 * prop, so a role added by a future construct cannot be created without it: the deploy role may
 * create roles only with this boundary attached (iam:PermissionsBoundary).
 */
export class PermissionsBoundary implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.boundaryArn;
  }
}

/**
 * The most any role an environment creates can ever do, whatever its own policies say: the
 * environment's tables through DynamoDB, its keys through the services that use them, its own
 * alert topic, failure queue and log groups. No IAM, no STS, nothing of other environments.
 */
export function boundaryDocument(scope: EnvironmentScope): PolicyDocument {
  const partition = partitionOf(scope.region);
  const regional = (service: string, resource: string) =>
    `arn:${partition}:${service}:${scope.region}:${scope.accountId}:${resource}`;
  const tables = scope.tables.flatMap((table) => {
    const arn = regional("dynamodb", `table/${table}`);
    return [arn, `${arn}/index/*`, `${arn}/stream/*`];
  });
  return new PolicyDocument(
    {
      Sid: "EnvironmentTables",
      Effect: "Allow",
      Action: [...DATA_PLANE_ACTIONS],
      Resource: tables,
    },
    {
      Sid: "EnvironmentKeysThroughServices",
      Effect: "Allow",
      Action: ENCRYPT_DECRYPT_ACTIONS,
      Resource: regional("kms", "key/*"),
      Condition: {
        StringEquals: {
          "aws:ResourceTag/environment": scope.name,
          "kms:ViaService": ["dynamodb", "sns", "sqs", "lambda", "logs"].map(
            (service) => `${service}.${scope.region}.amazonaws.com`,
          ),
        },
      },
    },
    {
      Sid: "EnvironmentAlerts",
      Effect: "Allow",
      Action: ["sns:Publish", "sqs:SendMessage"],
      Resource: [regional("sns", `${scope.name}-*`), regional("sqs", `${scope.name}-*`)],
    },
    {
      Sid: "EnvironmentFunctionLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: regional("logs", `log-group:/aws/lambda/${scope.name}-*:*`),
    },
  );
}
