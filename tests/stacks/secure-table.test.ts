import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { TABLE_DATA_ACTIONS } from "../../stacks/iam/dynamodb-actions";
import {
  asList,
  environment,
  policyStatements,
  referencesType,
  resources,
  single,
  synthesize,
} from "../support/synth";

describe("secure table", () => {
  const synth = synthesize();
  const table = single(synth, "aws_dynamodb_table");

  it("encrypts with a customer-managed key declared in the same stack", () => {
    const sse = table.server_side_encryption as { enabled: boolean; kms_key_arn: string };
    expect(sse.enabled).toBe(true);
    expect(referencesType(sse.kms_key_arn, "aws_kms_key")).toBe(true);
    const keyName = sse.kms_key_arn.split(".")[1];
    expect(synth.json.resource.aws_kms_key[keyName]).toBeDefined();
    expect(synth.synthesized).not.toContain("alias/aws/dynamodb");
  });

  it("turns on point-in-time recovery and deletion protection", () => {
    expect(synth.synthesized).toHaveResourceWithProperties(DynamodbTable, {
      name: "ProductCatalog",
      point_in_time_recovery: { enabled: true, recovery_period_in_days: 35 },
      deletion_protection_enabled: true,
    });
  });

  it("keeps the configured recovery window, and none when recovery is off", () => {
    const short = single(
      synthesize(environment((d) => (d.tables[0].pointInTimeRecoveryDays = 7))),
      "aws_dynamodb_table",
    );
    expect(short.point_in_time_recovery).toEqual({ enabled: true, recovery_period_in_days: 7 });
    const off = single(
      synthesize(environment((d) => (d.tables[0].pointInTimeRecovery = false))),
      "aws_dynamodb_table",
    );
    expect(off.point_in_time_recovery).toEqual({ enabled: false });
  });

  it("caps on-demand throughput on the table and each index, an index's own maxima winning", () => {
    expect(table.on_demand_throughput).toBeUndefined();
    const capped = single(
      synthesize(
        environment((d) => {
          d.tables[0].onDemandThroughput = { maxReadRequestUnits: 400, maxWriteRequestUnits: 100 };
          d.tables[0].globalSecondaryIndexes = [
            ...(d.tables[0].globalSecondaryIndexes ?? []),
            {
              name: "ByTitle",
              partitionKey: { name: "Title", type: "S" },
              onDemandThroughput: { maxReadRequestUnits: 50, maxWriteRequestUnits: 10 },
            },
          ];
        }),
      ),
      "aws_dynamodb_table",
    );
    expect(capped.on_demand_throughput).toEqual({
      max_read_request_units: 400,
      max_write_request_units: 100,
    });
    const indexes = capped.global_secondary_index as { name: string; on_demand_throughput: unknown }[];
    expect(indexes.map((i) => [i.name, i.on_demand_throughput])).toEqual([
      ["ByCategory", { max_read_request_units: 400, max_write_request_units: 100 }],
      ["ByTitle", { max_read_request_units: 50, max_write_request_units: 10 }],
    ]);
  });

  it("declares keys, indexes and streams from config", () => {
    expect(table).toMatchObject({
      hash_key: "Id",
      billing_mode: "PAY_PER_REQUEST",
      attribute: [
        { name: "Id", type: "N" },
        { name: "ProductCategory", type: "S" },
        { name: "Price", type: "N" },
      ],
      global_secondary_index: [
        { name: "ByCategory", hash_key: "ProductCategory", range_key: "Price", projection_type: "KEYS_ONLY" },
      ],
      stream_enabled: true,
      stream_view_type: "NEW_AND_OLD_IMAGES",
      tags: {
        owner: "platform-team",
        environment: "dev",
        "data-classification": "confidential",
        "cost-center": "cc-1234",
      },
    });
  });

  it("renders provisioned capacity and INCLUDE projections", () => {
    const provisioned = single(
      synthesize(
        environment((d) => {
          d.tables[0].billing = { mode: "PROVISIONED", readCapacity: 5, writeCapacity: 2 };
          d.tables[0].globalSecondaryIndexes = [
            {
              name: "ByCategory",
              partitionKey: { name: "ProductCategory", type: "S" },
              projection: { include: ["Title"] },
            },
          ];
          delete d.tables[0].stream;
        }),
      ),
      "aws_dynamodb_table",
    );
    expect(provisioned).toMatchObject({
      billing_mode: "PROVISIONED",
      read_capacity: 5,
      write_capacity: 2,
      stream_enabled: false,
      global_secondary_index: [
        { projection_type: "INCLUDE", non_key_attributes: ["Title"], read_capacity: 5, write_capacity: 2 },
      ],
    });
  });

  describe("resource policy", () => {
    const [[, policy]] = resources(synth, "aws_dynamodb_resource_policy");
    const [deny] = policyStatements(policy);

    it("is attached to the table", () => {
      expect(referencesType(policy.resource_arn, "aws_dynamodb_table")).toBe(true);
    });

    it("denies every table data-plane action that does not arrive through the environment's endpoint", () => {
      expect(deny).toMatchObject({ Effect: "Deny", Principal: "*" });
      expect(asList(deny.Action).sort()).toEqual([...TABLE_DATA_ACTIONS].sort());
      const endpoint = deny.Condition?.StringNotEquals?.["aws:SourceVpce"];
      expect(referencesType(endpoint, "aws_vpc_endpoint")).toBe(true);
      expect(asList(deny.Resource)).toEqual([
        expect.stringMatching(/^\$\{aws_dynamodb_table\..+\.arn\}$/),
        expect.stringMatching(/\/index\/\*$/),
      ]);
    });

    it("leaves control-plane calls alone so deployments are not locked out", () => {
      for (const action of [
        "dynamodb:DescribeTable",
        "dynamodb:UpdateTable",
        "dynamodb:PutResourcePolicy",
        "dynamodb:*",
      ]) {
        expect(asList(deny.Action)).not.toContain(action);
      }
    });
  });
});
