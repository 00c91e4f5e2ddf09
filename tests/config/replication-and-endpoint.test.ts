import type { EnvironmentDefinition } from "../../config/schema";
import { ConfigError, validateEnvironment } from "../../config/validate";
import { definition, environment, synthesize, resources } from "../support/synth";

function errorFor(mutate: (d: EnvironmentDefinition) => void): ConfigError {
  const d = definition();
  mutate(d);
  try {
    validateEnvironment(d, "environments/dev.ts");
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected the definition to be rejected");
}

const existingNetwork = {
  mode: "existing" as const,
  vpcId: "vpc-0a1b2c3d4e5f67890",
  routeTableIds: ["rtb-0a1b2c3d4e5f67890"],
};

describe("replica regions and the interface endpoint", () => {
  it("default to no replicas and no interface endpoint", () => {
    const env = validateEnvironment(definition(), "environments/dev.ts");
    expect(env.replicaRegions).toEqual([]);
    expect(env.interfaceEndpoint).toBeUndefined();
  });

  it.each<[string, (d: EnvironmentDefinition) => void, string, string]>([
    [
      "a malformed replica region",
      (d) => (d.replicaRegions = ["uswest2"]),
      'replicaRegions[0]: found "uswest2"',
      'an AWS region such as "us-west-2"',
    ],
    [
      "a replica in the table's own region",
      (d) => (d.replicaRegions = ["us-east-1"]),
      'replicaRegions[0]: found "us-east-1"',
      'a region other than the table\'s own (account.region "us-east-1")',
    ],
    [
      "a replica region listed twice",
      (d) => (d.replicaRegions = ["us-west-2", "eu-west-1", "us-west-2"]),
      'replicaRegions[2]: found "us-west-2"',
      "each region once",
    ],
    [
      "an interface endpoint open to the world",
      (d) => (d.interfaceEndpoint = { allowedCidrs: ["0.0.0.0/0"] }),
      'interfaceEndpoint.allowedCidrs[0]: found "0.0.0.0/0"',
      "a prefix length from /8 to /32 (never 0.0.0.0/0)",
    ],
    [
      "an interface endpoint without client networks",
      (d) => (d.interfaceEndpoint = { allowedCidrs: [] }),
      "interfaceEndpoint.allowedCidrs: found []",
      "at least one client CIDR block",
    ],
    [
      "a malformed subnet id",
      (d) => {
        d.network = existingNetwork;
        d.interfaceEndpoint = { allowedCidrs: ["192.168.0.0/20"], subnetIds: ["sn-1"] };
      },
      'interfaceEndpoint.subnetIds[0]: found "sn-1"',
      'a subnet id such as "subnet-0a1b2c3d4e5f67890"',
    ],
    [
      "an existing VPC without subnets for the endpoint",
      (d) => {
        d.network = existingNetwork;
        d.interfaceEndpoint = { allowedCidrs: ["192.168.0.0/20"] };
      },
      "interfaceEndpoint.subnetIds: found nothing",
      "the existing VPC's private subnet ids",
    ],
    [
      "subnets for a VPC the stack creates",
      (d) =>
        (d.interfaceEndpoint = { allowedCidrs: ["192.168.0.0/20"], subnetIds: ["subnet-0a1b2c3d4e5f67890"] }),
      'interfaceEndpoint.subnetIds: found ["subnet-0a1b2c3d4e5f67890"]',
      'with network.mode "create" the endpoint goes into the subnets this stack creates',
    ],
  ])("rejects %s, naming the field and the fix", (_what, mutate, found, expected) => {
    const error = errorFor(mutate);
    expect(error.message).toContain("environments/dev.ts");
    expect(error.message).toContain(found);
    expect(error.message).toContain(expected);
  });

  it("puts the interface endpoint in the subnets the stack creates", () => {
    const env = environment(
      (d) => (d.interfaceEndpoint = { allowedCidrs: ["192.168.0.0/20", "10.99.0.0/16"] }),
    );
    const synth = synthesize(env);
    const subnets = resources(synth, "aws_subnet").map(([name]) => `\${aws_subnet.${name}.id}`);
    const [[, endpoint]] = resources(synth, "aws_vpc_endpoint").filter(
      ([, e]) => e.vpc_endpoint_type === "Interface",
    );
    expect(subnets).toHaveLength(2);
    expect(endpoint.subnet_ids).toEqual(subnets);
  });
});
