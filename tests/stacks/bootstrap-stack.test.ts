import { environmentsOf, loadBootstraps, stateKeyAliasArn } from "../../config/bootstrap";
import type { Bootstrap } from "../../config/bootstrap-schema";
import { loadEnvironments } from "../../config/load";
import { permissionsBoundaryArn } from "../../stacks/iam/arns";
import type { PolicyStatement } from "../../stacks/iam/policy-document";
import {
  asList,
  policyStatements,
  resources,
  single,
  statement,
  synthesizeBootstrap,
} from "../support/synth";

type Block = Record<string, unknown>;

const environments = loadEnvironments();
const bootstraps = loadBootstraps(environments);
const prodBootstrap = bootstraps.find((b) => b.name === "prod") as Bootstrap;
const synth = synthesizeBootstrap(prodBootstrap, environmentsOf(prodBootstrap, environments));
const GITHUB = "token.actions.githubusercontent.com";
const PROD_BOUNDARY = permissionsBoundaryArn({ accountId: "777788889999", region: "us-east-1" }, "prod");

const role = (suffix: string): [string, Block] => {
  const found = resources(synth, "aws_iam_role").find(([, r]) => String(r.name).endsWith(suffix));
  if (!found) throw new Error(`no role ending ${suffix}`);
  return found;
};
/** Documents that grant the role something: its inline policy and the managed policies attached to it. */
const documentsOf = (suffix: string): [string, Block][] => {
  const [name] = role(suffix);
  const inline = resources(synth, "aws_iam_role_policy").filter(
    ([, p]) => p.role === `\${aws_iam_role.${name}.id}`,
  );
  const attached = resources(synth, "aws_iam_role_policy_attachment")
    .filter(([, a]) => a.role === `\${aws_iam_role.${name}.name}`)
    .map(([, a]) => {
      const policy = resources(synth, "aws_iam_policy").find(
        ([p]) => a.policy_arn === `\${aws_iam_policy.${p}.arn}`,
      );
      if (!policy) throw new Error(`attachment of ${String(a.policy_arn)} names no policy of the stack`);
      return policy;
    });
  expect(inline).toHaveLength(1);
  return [...inline, ...attached];
};
const permissionsOf = (suffix: string): PolicyStatement[] =>
  documentsOf(suffix).flatMap(([, document]) => policyStatements(document));
const allowed = (statements: PolicyStatement[]) => statements.filter((s) => s.Effect === "Allow");
const actionsOf = (statements: PolicyStatement[]) => allowed(statements).flatMap((s) => asList(s.Action));

describe("BootstrapStack", () => {
  it("is named after the account and keeps its state in its own bucket once migrated", () => {
    expect(synth.stack.node.id).toBe("bootstrap-prod");
    const backend = synth.json.terraform.backend as Record<string, Block>;
    expect(backend.s3).toEqual({
      bucket: "example-ddb-guardrails-state-777788889999",
      key: "ddb-guardrails/bootstrap-prod.tfstate",
      region: "us-east-1",
      encrypt: true,
      kms_key_id: stateKeyAliasArn(prodBootstrap),
      use_lockfile: true,
    });
  });

  it("starts with local state, before the bucket exists", () => {
    const first = synthesizeBootstrap(
      { ...prodBootstrap, remoteState: false },
      environmentsOf(prodBootstrap, environments),
    );
    expect(first.json.terraform.backend).toEqual({ local: { path: "terraform.bootstrap-prod.tfstate" } });
  });

  describe("the state bucket", () => {
    const bucket = single(synth, "aws_s3_bucket");
    const [keyName, key] = resources(synth, "aws_kms_key")[0];

    it("is the configured bucket, versioned, private and owned by the account", () => {
      expect(bucket.bucket).toBe(prodBootstrap.stateBucket);
      expect(single(synth, "aws_s3_bucket_versioning").versioning_configuration).toEqual({
        status: "Enabled",
      });
      expect(single(synth, "aws_s3_bucket_public_access_block")).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(single(synth, "aws_s3_bucket_ownership_controls").rule).toEqual({
        object_ownership: "BucketOwnerEnforced",
      });
    });

    it("is encrypted with its own rotating key, aliased as the environments' backends expect", () => {
      expect(single(synth, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
        {
          apply_server_side_encryption_by_default: {
            sse_algorithm: "aws:kms",
            kms_master_key_id: `\${aws_kms_key.${keyName}.arn}`,
          },
          bucket_key_enabled: true,
        },
      ]);
      expect(resources(synth, "aws_kms_key")).toHaveLength(1);
      expect(key.enable_key_rotation).toBe(true);
      expect(key.deletion_window_in_days).toBe(30);
      expect(single(synth, "aws_kms_alias").name).toBe("alias/terraform-state");
    });

    it("refuses requests without TLS, from other accounts, and SSE-S3 uploads that bypass its key", () => {
      const statements = policyStatements(single(synth, "aws_s3_bucket_policy"));
      expect(statement(statements, "DenyInsecureTransport")).toMatchObject({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
      expect(statement(statements, "DenyOtherAccounts").Condition).toEqual({
        StringNotEquals: { "aws:PrincipalAccount": "777788889999" },
      });
      expect(statement(statements, "DenyStateWithoutTheBucketKey").Condition).toEqual({
        StringEquals: { "s3:x-amz-server-side-encryption": "AES256" },
      });
      expect(allowed(statements)).toEqual([]);
    });
  });

  it("trusts GitHub's OIDC provider for the STS audience", () => {
    expect(single(synth, "aws_iam_openid_connect_provider")).toMatchObject({
      url: `https://${GITHUB}`,
      client_id_list: ["sts.amazonaws.com"],
    });
  });

  describe("trust", () => {
    const provider = `\${aws_iam_openid_connect_provider.${resources(synth, "aws_iam_openid_connect_provider")[0][0]}.arn}`;
    const trustOf = (suffix: string) => policyStatements(role(suffix)[1], "assume_role_policy");

    it.each([
      ["-prod-deploy", "repo:example-org/ddb-guardrails:environment:prod"],
      ["-prod-plan", "repo:example-org/ddb-guardrails:pull_request"],
    ])("lets only this repository's %s subject assume the role", (suffix, subject) => {
      expect(trustOf(suffix)).toEqual([
        {
          Sid: expect.any(String) as string,
          Effect: "Allow",
          Principal: { Federated: provider },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [`${GITHUB}:aud`]: "sts.amazonaws.com", [`${GITHUB}:sub`]: subject } },
        },
      ]);
    });

    it("keeps pipeline roles under a path that no environment's role/<env>-* pattern reaches", () => {
      expect(role("-prod-deploy")[1].path).toBe("/pipeline/");
      expect(role("-prod-plan")[1].path).toBe("/pipeline/");
    });
  });

  describe("the deploy role", () => {
    const statements = permissionsOf("-prod-deploy");

    it("has no wildcard service actions, and IAM only on the roles the environment creates, by name", () => {
      for (const action of actionsOf(statements)) {
        expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      }
      const prodRoles = [
        "prod-books-data-access",
        "prod-bicycles-data-access",
        "prod-dynamodb-deletion-alert-role",
        "prod-dynamodb-backup",
        "prod-dynamodb-key-alerts-us-west-2",
        // DynamoDB's own replication role, which it creates with prod's first replica.
        "aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication",
      ].map((name) => `arn:aws:iam::777788889999:role/${name}`);
      for (const s of allowed(statements)) {
        if (asList(s.Action).some((a) => a.startsWith("iam:"))) {
          expect(asList(s.Resource).length).toBeGreaterThan(0);
          for (const resource of asList(s.Resource)) expect(prodRoles).toContain(resource);
        }
      }
      // A role is passed only to the service that runs it.
      const passing = allowed(statements).filter((s) => asList(s.Action).includes("iam:PassRole"));
      expect(passing.flatMap((s) => asList(s.Resource)).sort()).toEqual([
        "arn:aws:iam::777788889999:role/prod-dynamodb-backup",
        "arn:aws:iam::777788889999:role/prod-dynamodb-deletion-alert-role",
        "arn:aws:iam::777788889999:role/prod-dynamodb-key-alerts-us-west-2",
      ]);
    });

    it("creates roles and writes their policies only with the environment's permissions boundary", () => {
      const boundaryConditioned = ["iam:CreateRole", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary"];
      for (const action of boundaryConditioned) {
        const granting = allowed(statements).filter((s) => asList(s.Action).includes(action));
        expect(granting.length).toBeGreaterThan(0);
        for (const s of granting) {
          expect(s.Condition).toEqual({ StringEquals: { "iam:PermissionsBoundary": PROD_BOUNDARY } });
        }
      }
      // Attaching is allowed for one policy only, AWS Backup's service policy, and only with the boundary.
      const attaching = allowed(statements).filter((s) => asList(s.Action).includes("iam:AttachRolePolicy"));
      expect(attaching.map((s) => s.Condition)).toEqual([
        {
          StringEquals: {
            "iam:PolicyARN": "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
            "iam:PermissionsBoundary": PROD_BOUNDARY,
          },
        },
      ]);
      expect(actionsOf(statements)).not.toContain("iam:DeleteRolePermissionsBoundary");
      expect(statement(statements, "NoRoleWithoutTheBoundary")).toMatchObject({
        Effect: "Deny",
        Condition: { StringNotEquals: { "iam:PermissionsBoundary": PROD_BOUNDARY } },
      });
    });

    it("passes roles only to the services whose resources take one: Lambda, AWS Backup and EventBridge", () => {
      const passing = allowed(statements).filter((s) => asList(s.Action).includes("iam:PassRole"));
      expect(
        passing.map((s) => s.Condition).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      ).toEqual([
        { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } },
        { StringEquals: { "iam:PassedToService": "events.amazonaws.com" } },
        { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
      ]);
    });

    it("names the environment's tables, in its region and its replica region, and no other", () => {
      const dynamodb = allowed(statements).filter((s) =>
        asList(s.Action).some((a) => a.startsWith("dynamodb:")),
      );
      const named = new Set(dynamodb.flatMap((s) => asList(s.Resource)));
      expect([...named]).toEqual([
        "arn:aws:dynamodb:us-east-1:777788889999:table/ProductCatalog",
        "arn:aws:dynamodb:us-west-2:777788889999:table/ProductCatalog",
      ]);
    });

    it("writes its own environment's state and lock file only", () => {
      const bucket = `\${aws_s3_bucket.${resources(synth, "aws_s3_bucket")[0][0]}.arn}`;
      expect(statement(statements, "DeployWritesItsState").Resource).toBe(
        `${bucket}/ddb-guardrails/prod.tfstate`,
      );
      expect(statement(statements, "DeployTakesItsLock").Resource).toBe(
        `${bucket}/ddb-guardrails/prod.tfstate.tflock`,
      );
    });

    it.each(["-prod-deploy", "-prod-plan"])(
      "%s fits IAM's policy size limits and attachment quota",
      (suffix) => {
        const [inline, ...managed] = documentsOf(suffix);
        const size = (block: Block) => String(block.policy).replace(/\s/g, "").length;
        expect(size(inline[1])).toBeLessThanOrEqual(10240);
        expect(managed.length).toBeGreaterThan(0);
        expect(managed.length).toBeLessThanOrEqual(10);
        for (const [, policy] of managed) {
          expect(size(policy)).toBeLessThanOrEqual(6144);
          expect(policy.path).toBe("/pipeline/");
        }
      },
    );
  });

  describe("the plan role", () => {
    const statements = permissionsOf("-prod-plan");

    it("only reads: describes, gets and lists, its state included, and never takes the lock", () => {
      for (const action of actionsOf(statements)) {
        expect(action).toMatch(/^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$|^kms:Decrypt$/);
      }
      const objects = allowed(statements).filter((s) => asList(s.Action).includes("s3:GetObject"));
      expect(objects.flatMap((s) => asList(s.Resource))).toEqual([
        `\${aws_s3_bucket.${resources(synth, "aws_s3_bucket")[0][0]}.arn}/ddb-guardrails/prod.tfstate`,
      ]);
    });

    it("reads no table items, streams or other data", () => {
      const dataReads = /^dynamodb:(GetItem|BatchGetItem|Query|Scan|GetRecords|PartiQLSelect)$/;
      expect(actionsOf(statements).filter((action) => dataReads.test(action))).toEqual([]);
    });
  });

  it("holds each environment's permissions boundary, named as its roles expect", () => {
    const boundaries = resources(synth, "aws_iam_policy").filter(([, p]) =>
      String(p.name).endsWith("-boundary"),
    );
    expect(boundaries).toHaveLength(1);
    const boundary = boundaries[0][1];
    expect(PROD_BOUNDARY.endsWith(`:policy/${String(boundary.name)}`)).toBe(true);
    const granted = allowed(policyStatements(boundary)).flatMap((s) => asList(s.Action));
    expect(granted.some((a) => a.startsWith("iam:") || a.startsWith("sts:"))).toBe(false);
  });
});
