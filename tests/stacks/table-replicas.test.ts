import { loadEnvironments } from "../../config/load";
import { resources, synthesize } from "../support/synth";

const environments = loadEnvironments();
const prod = environments.find((env) => env.name === "prod");
const staging = environments.find((env) => env.name === "staging");
if (!prod || !staging) throw new Error("the shipped prod and staging environments are needed");

type Block = Record<string, unknown>;
interface Statement {
  Sid?: string;
  Effect: string;
  Condition?: Record<string, Record<string, unknown>>;
}
const statements = (policy: unknown) => (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;

describe("global-table replicas (prod ships one)", () => {
  const synth = synthesize(prod);
  const [[, table]] = resources(synth, "aws_dynamodb_table");
  const keys = new Map(resources(synth, "aws_kms_key"));
  const providers = (synth.json.provider as { aws: Block[] }).aws;

  it("adds a provider per replica region, locked to the account and tagged like the stack's", () => {
    expect(providers).toContainEqual(
      expect.objectContaining({
        alias: "us_west_2",
        region: "us-west-2",
        allowed_account_ids: [prod.account.id],
        default_tags: [
          { tags: expect.objectContaining({ environment: "prod", "managed-by": "ddb-guardrails" }) },
        ],
      }),
    );
  });

  it("gives each replica its own key in its region, PITR, deletion protection and the table's tags", () => {
    const replicas = table.replica as Block[];
    expect(replicas).toHaveLength(1);
    const [replica] = replicas;
    expect(replica).toMatchObject({
      region_name: "us-west-2",
      point_in_time_recovery: true,
      deletion_protection_enabled: true,
      propagate_tags: true,
    });
    const keyName = /^\$\{aws_kms_key\.([^.]+)\.arn\}$/.exec(String(replica.kms_key_arn))?.[1];
    const key = keyName ? keys.get(keyName) : undefined;
    expect(key).toMatchObject({
      provider: "aws.us_west_2",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    // The replica key lets DynamoDB use it in its own region only.
    const useThroughDynamoDb = statements(key?.policy).find((s) => s.Sid === "AccountUsesKeyThroughDynamoDb");
    expect(useThroughDynamoDb?.Condition?.StringEquals["kms:ViaService"]).toEqual([
      "dynamodb.us-west-2.amazonaws.com",
    ]);
    const [[, alias]] = resources(synth, "aws_kms_alias").filter(([, a]) => a.provider === "aws.us_west_2");
    expect(alias.target_key_id).toBe(`\${aws_kms_key.${keyName}.key_id}`);
  });

  it("never denies the replication service-linked role in the table's resource policy", () => {
    const [[, policy]] = resources(synth, "aws_dynamodb_resource_policy");
    const [deny] = statements(policy.policy);
    expect(deny.Condition?.ArnNotEquals).toEqual({
      "aws:PrincipalArn": `arn:aws:iam::${prod.account.id}:role/aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication`,
    });
  });

  it("alerts on the replica key from its own region: a rule there forwards its events to the alert region", () => {
    const rules = resources(synth, "aws_cloudwatch_event_rule");
    const replicaKey = [...keys.keys()].find((name) => keys.get(name)?.provider === "aws.us_west_2");
    expect(replicaKey).toBeDefined();
    const keyArn = `\${aws_kms_key.${replicaKey}.arn}`;
    const pattern = (rule: Block) =>
      JSON.parse(String(rule.event_pattern)) as {
        source: string[];
        detail: { resources?: { ARN: string[] } };
      };
    const [forwarderName, forwarder] = rules.find(([, rule]) => rule.provider === "aws.us_west_2") ?? [];
    expect(forwarder).toBeDefined();
    expect(pattern(forwarder as Block)).toMatchObject({
      source: ["aws.kms"],
      detail: { resources: { ARN: [keyArn] } },
    });
    // The alert region's key rule lists the replica key too, so the forwarded events reach the function.
    const home = rules.filter(
      ([, rule]) => rule.provider === undefined && pattern(rule).source[0] === "aws.kms",
    );
    expect(home).toHaveLength(1);
    expect(pattern(home[0][1]).detail.resources?.ARN).toContain(keyArn);
    const [[, target]] = resources(synth, "aws_cloudwatch_event_target").filter(([, t]) =>
      String(t.rule).includes(String(forwarderName)),
    );
    expect(target).toMatchObject({
      provider: "aws.us_west_2",
      arn: `arn:aws:events:us-east-1:${prod.account.id}:event-bus/default`,
    });
    const [[roleName, role]] = resources(synth, "aws_iam_role").filter(([, r]) =>
      String(r.name).endsWith("-dynamodb-key-alerts-us-west-2"),
    );
    expect(target.role_arn).toBe(`\${aws_iam_role.${roleName}.arn}`);
    expect(statements(role.assume_role_policy)[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": prod.account.id },
      ArnEquals: {
        "aws:SourceArn": `arn:aws:events:us-west-2:${prod.account.id}:rule/prod-dynamodb-key-changes-us-west-2`,
      },
    });
    const [[, permissions]] = resources(synth, "aws_iam_role_policy").filter(([, p]) =>
      String(p.role).includes(roleName),
    );
    expect(JSON.parse(String(permissions.policy)).Statement).toEqual([
      {
        Sid: "ForwardToTheAlertRegion",
        Effect: "Allow",
        Action: "events:PutEvents",
        Resource: `arn:aws:events:us-east-1:${prod.account.id}:event-bus/default`,
      },
    ]);
  });
});

describe("the interface endpoint (staging ships one)", () => {
  const synth = synthesize(staging);
  const endpoints = resources(synth, "aws_vpc_endpoint");
  const [interfaceName, endpoint] = endpoints.find(([, e]) => e.vpc_endpoint_type === "Interface") ?? [];
  const [gatewayName] = endpoints.find(([, e]) => e.vpc_endpoint_type === "Gateway") ?? [];

  it("puts a DynamoDB interface endpoint in the configured subnets beside the gateway endpoint", () => {
    expect(endpoints).toHaveLength(2);
    expect(endpoint).toMatchObject({
      service_name: "com.amazonaws.us-east-1.dynamodb",
      subnet_ids: staging.interfaceEndpoint?.subnetIds,
      vpc_id: "vpc-0a1b2c3d4e5f67890",
    });
  });

  it("admits 443 only from the configured networks, and opens nothing outward", () => {
    const [[groupName, group]] = resources(synth, "aws_security_group");
    expect(endpoint?.security_group_ids).toEqual([`\${aws_security_group.${groupName}.id}`]);
    expect(group.ingress).toEqual([
      expect.objectContaining({
        from_port: 443,
        to_port: 443,
        protocol: "tcp",
        cidr_blocks: ["192.168.0.0/20"],
      }),
    ]);
    expect(group.egress).toEqual([]);
  });

  it("has the gateway's organization-scoped policy plus DescribeEndpoints", () => {
    const policy = statements(endpoint?.policy);
    expect(policy.map((s) => s.Sid)).toEqual([
      "OrganizationDataAccessToEnvironmentTables",
      "OrganizationDescribesEndpoints",
    ]);
    for (const s of policy)
      expect(s.Condition).toEqual({ StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } });
  });

  it("makes every aws:SourceVpce condition list both endpoints", () => {
    const both = [`\${aws_vpc_endpoint.${gatewayName}.id}`, `\${aws_vpc_endpoint.${interfaceName}.id}`];
    const documents = [
      ...resources(synth, "aws_dynamodb_resource_policy").map(([, p]) => p.policy),
      ...resources(synth, "aws_iam_role_policy").map(([, p]) => p.policy),
    ];
    const lists = documents.flatMap((policy) =>
      statements(policy).flatMap((s) =>
        Object.values(s.Condition ?? {})
          .map((values) => values["aws:SourceVpce"])
          .filter((value) => value !== undefined),
      ),
    );
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) expect(list).toEqual(both);
  });
});
