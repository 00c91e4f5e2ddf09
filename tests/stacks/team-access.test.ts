import {
  DESTRUCTIVE_CONTROL_PLANE_ACTIONS,
  KEY_UNRESTRICTED_ACTIONS,
} from "../../stacks/iam/dynamodb-actions";
import type { PolicyStatement } from "../../stacks/iam/policy-document";
import {
  asList,
  environment,
  policyStatements,
  referencesType,
  resources,
  statement,
  synthesize,
  type SynthesizedStack,
} from "../support/synth";

const BOOK_ATTRIBUTES = [
  "Id",
  "Title",
  "ISBN",
  "Authors",
  "Price",
  "Dimensions",
  "PageCount",
  "inPublication",
  "ProductCategory",
];

function team(
  synth: SynthesizedStack,
  name: string,
): { trust: PolicyStatement[]; permissions: PolicyStatement[] } {
  const [[roleName, role]] = resources(synth, "aws_iam_role").filter(
    ([, r]) => r.name === `dev-${name}-data-access`,
  );
  const [[, policy]] = resources(synth, "aws_iam_role_policy").filter(
    ([, p]) => p.role === `\${aws_iam_role.${roleName}.id}`,
  );
  return { trust: policyStatements(role, "assume_role_policy"), permissions: policyStatements(policy) };
}

describe("team access", () => {
  const synth = synthesize();
  const books = team(synth, "books");
  const bicycles = team(synth, "bicycles");

  it("creates one role per team", () => {
    const names = resources(synth, "aws_iam_role").map(([, r]) => r.name);
    expect(names).toEqual(expect.arrayContaining(["dev-books-data-access", "dev-bicycles-data-access"]));
  });

  it("trusts only the named principals, and only from the organization", () => {
    expect(books.trust).toEqual([
      {
        Sid: "NamedPrincipalsOfThisOrganizationAssume",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::111122223333:user/Alice"] },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
      },
    ]);
    expect(JSON.stringify(bicycles.trust)).toContain("user/Bob");
    expect(JSON.stringify(bicycles.trust)).not.toContain('"*"');
  });

  describe("reads (the talk's Alice policy, with its hole closed)", () => {
    const read = statement(books.permissions, "ReadProductCatalogItems");

    it("limits partition keys to 100-199 with real IAM operators and ForAllValues", () => {
      expect(read.Condition).toMatchObject({
        "ForAllValues:NumericGreaterThanEquals": { "dynamodb:LeadingKeys": "100" },
        "ForAllValues:NumericLessThanEquals": { "dynamodb:LeadingKeys": "199" },
      });
      expect(JSON.stringify(books.permissions)).not.toContain("NumericGreaterThanOrEqualTo");
      expect(JSON.stringify(books.permissions)).not.toContain("ForAnyValue");
    });

    it("limits attributes and pins Select to SPECIFIC_ATTRIBUTES, so a request without a projection is refused", () => {
      expect(read.Condition?.["ForAllValues:StringEquals"]).toEqual({
        "dynamodb:Attributes": BOOK_ATTRIBUTES,
      });
      // Not StringEqualsIfExists: a missing Select must not pass.
      expect(read.Condition?.StringEquals?.["dynamodb:Select"]).toBe("SPECIFIC_ATTRIBUTES");
      expect(read.Condition?.StringEqualsIfExists).toBeUndefined();
    });

    it("requires the environment's VPC endpoint", () => {
      expect(referencesType(read.Condition?.StringEquals?.["aws:SourceVpce"], "aws_vpc_endpoint")).toBe(true);
    });

    it("covers only key-addressed reads on the team's table", () => {
      expect(asList(read.Action)).toEqual(["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"]);
      expect(asList(read.Resource)).toEqual([
        expect.stringMatching(/^\$\{aws_dynamodb_table\.[^}]+\.arn\}$/),
      ]);
    });
  });

  describe("writes", () => {
    const write = statement(books.permissions, "WriteProductCatalogItems");

    it("keep the key and attribute limits and refuse return values that echo other attributes", () => {
      expect(write.Condition).toMatchObject({
        "ForAllValues:NumericGreaterThanEquals": { "dynamodb:LeadingKeys": "100" },
        "ForAllValues:NumericLessThanEquals": { "dynamodb:LeadingKeys": "199" },
        "ForAllValues:StringEquals": { "dynamodb:Attributes": BOOK_ATTRIBUTES },
        StringEqualsIfExists: { "dynamodb:ReturnValues": ["NONE", "UPDATED_OLD", "UPDATED_NEW"] },
      });
      expect(referencesType(write.Condition?.StringEquals?.["aws:SourceVpce"], "aws_vpc_endpoint")).toBe(
        true,
      );
    });

    it("are absent for a read-only grant, whose key use is decrypt-only", () => {
      const readOnly = team(
        synthesize(
          environment((d) => {
            if (d.teams) d.teams[0].grants[0].access = "read";
          }),
        ),
        "books",
      );
      expect(readOnly.permissions.map((s) => s.Sid)).not.toContain("WriteProductCatalogItems");
      expect(asList(statement(readOnly.permissions, "UseProductCatalogKeyThroughDynamoDb").Action)).toEqual([
        "kms:Decrypt",
        "kms:DescribeKey",
      ]);
    });
  });

  it("never grants Scan or PartiQL, which would bypass the leading-key limit", () => {
    const allowed = books.permissions.filter((s) => s.Effect === "Allow").flatMap((s) => asList(s.Action));
    for (const action of [...KEY_UNRESTRICTED_ACTIONS, "dynamodb:*"]) expect(allowed).not.toContain(action);
  });

  it("uses the table key only through DynamoDB (kms:ViaService), on that key alone", () => {
    const kms = statement(books.permissions, "UseProductCatalogKeyThroughDynamoDb");
    expect(kms.Condition).toEqual({ StringEquals: { "kms:ViaService": "dynamodb.us-east-1.amazonaws.com" } });
    expect(referencesType(kms.Resource, "aws_kms_key")).toBe(true);
  });

  it("denies destructive control-plane calls and allows none", () => {
    const deny = statement(books.permissions, "NoDestructiveControlPlaneCalls");
    expect(deny.Effect).toBe("Deny");
    expect(asList(deny.Action)).toEqual([...DESTRUCTIVE_CONTROL_PLANE_ACTIONS]);
    const allowed = books.permissions.filter((s) => s.Effect === "Allow").flatMap((s) => asList(s.Action));
    for (const action of DESTRUCTIVE_CONTROL_PLANE_ACTIONS) expect(allowed).not.toContain(action);
  });

  it("renders prefix and value-list leading keys as string conditions", () => {
    const prefixed = synthesize(
      environment((d) => {
        d.tables[0].partitionKey = { name: "Id", type: "S" };
        if (d.teams) {
          d.teams[0].grants[0].leadingKeys = { prefix: "book#" };
          d.teams[1].grants[0].leadingKeys = { values: ["bike#1", "bike#2"] };
        }
      }),
    );
    expect(statement(team(prefixed, "books").permissions, "ReadProductCatalogItems").Condition).toMatchObject(
      {
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": "book#*" },
      },
    );
    expect(
      statement(team(prefixed, "bicycles").permissions, "ReadProductCatalogItems").Condition,
    ).toMatchObject({
      "ForAllValues:StringEquals": {
        "dynamodb:LeadingKeys": ["bike#1", "bike#2"],
        "dynamodb:Attributes": expect.any(Array),
      },
    });
  });

  it("extends reads to granted indexes partitioned like the table", () => {
    const withIndex = synthesize(
      environment((d) => {
        d.tables[0].globalSecondaryIndexes = [
          { name: "ById", partitionKey: { name: "Id", type: "N" }, sortKey: { name: "Price", type: "N" } },
        ];
        if (d.teams) d.teams[0].grants[0].indexes = ["ById"];
      }),
    );
    const read = statement(team(withIndex, "books").permissions, "ReadProductCatalogItems");
    expect(asList(read.Resource)).toEqual([
      expect.stringMatching(/\.arn\}$/),
      expect.stringMatching(/\.arn\}\/index\/ById$/),
    ]);
  });
});
