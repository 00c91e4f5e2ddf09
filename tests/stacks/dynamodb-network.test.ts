import { Testing, TerraformStack } from "cdktf";
import { DATA_PLANE_ACTIONS } from "../../stacks/iam/dynamodb-actions";
import { DynamoDbNetwork, subnetCidr } from "../../stacks/dynamodb-network";
import {
  asList,
  environment,
  policyStatements,
  referencesType,
  resources,
  single,
  synthesize,
} from "../support/synth";

describe("DynamoDB network", () => {
  describe("a created VPC", () => {
    const synth = synthesize();
    const endpoint = single(synth, "aws_vpc_endpoint");

    it("has one private subnet and route table per availability zone, and no internet route", () => {
      const subnets = resources(synth, "aws_subnet").map(([, s]) => [
        s.availability_zone,
        s.cidr_block,
        s.map_public_ip_on_launch,
      ]);
      expect(subnets).toEqual([
        ["us-east-1a", "10.10.0.0/20", false],
        ["us-east-1b", "10.10.16.0/20", false],
      ]);
      expect(resources(synth, "aws_route_table")).toHaveLength(2);
      expect(resources(synth, "aws_route_table_association")).toHaveLength(2);
      expect(synth.json.resource.aws_internet_gateway).toBeUndefined();
      expect(synth.json.resource.aws_nat_gateway).toBeUndefined();
      expect(single(synth, "aws_default_security_group")).toMatchObject({ ingress: [], egress: [] });
    });

    it("attaches a DynamoDB gateway endpoint to every private route table", () => {
      expect(endpoint).toMatchObject({
        service_name: "com.amazonaws.us-east-1.dynamodb",
        vpc_endpoint_type: "Gateway",
      });
      const routeTables = asList(endpoint.route_table_ids as string[]);
      expect(routeTables).toHaveLength(2);
      for (const id of routeTables) expect(referencesType(id, "aws_route_table")).toBe(true);
    });

    it("has an endpoint policy for the organization's data-plane calls on this environment's tables only", () => {
      const statements = policyStatements(endpoint);
      expect(statements).toHaveLength(1);
      const [allow] = statements;
      expect(allow).toMatchObject({
        Effect: "Allow",
        Principal: "*",
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
      });
      expect(asList(allow.Action)).toEqual([...DATA_PLANE_ACTIONS]);
      expect(asList(allow.Action)).not.toContain("dynamodb:*");
      expect(asList(allow.Action)).not.toContain("dynamodb:DeleteTable");
      for (const resource of asList(allow.Resource)) {
        expect(resource).toMatch(/^\$\{aws_dynamodb_table\.[^}]+\.arn\}(\/index\/\*|\/stream\/\*)?$/);
      }
    });
  });

  it("uses an existing VPC's route tables as given", () => {
    const synth = synthesize(
      environment((d) => {
        d.network = {
          mode: "existing",
          vpcId: "vpc-0a1b2c3d4e5f67890",
          routeTableIds: ["rtb-0a1b2c3d4e5f67890"],
        };
      }),
    );
    expect(single(synth, "aws_vpc_endpoint")).toMatchObject({
      vpc_id: "vpc-0a1b2c3d4e5f67890",
      route_table_ids: ["rtb-0a1b2c3d4e5f67890"],
    });
    expect(synth.json.resource.aws_vpc).toBeUndefined();
  });

  it("refuses to synthesize an endpoint no table was allowed through (it would default to full access)", () => {
    const stack = new TerraformStack(Testing.app(), "network-only");
    new DynamoDbNetwork(stack, "network", {
      target: { accountId: "111122223333", region: "us-east-1", organizationId: "o-a1b2c3d4e5" },
      namePrefix: "dev",
      network: { mode: "existing", vpcId: "vpc-0a1b2c3d4e5f67890", routeTableIds: ["rtb-0a1b2c3d4e5f67890"] },
    });
    expect(() => Testing.synth(stack, true)).toThrow(/allows no table/);
  });

  it.each([
    ["10.10.0.0/16", 20, 0, "10.10.0.0/20"],
    ["10.10.0.0/16", 20, 3, "10.10.48.0/20"],
    ["10.30.0.0/16", 20, 15, "10.30.240.0/20"],
    ["192.168.0.0/24", 28, 2, "192.168.0.32/28"],
  ])("cuts subnet %s /%i #%i as %s", (cidr, bits, index, expected) => {
    expect(subnetCidr(cidr, bits, index)).toBe(expected);
  });

  it("refuses a subnet index beyond the block", () => {
    expect(() => subnetCidr("10.10.0.0/16", 20, 16)).toThrow(/no room/);
  });
});
