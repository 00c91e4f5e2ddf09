import type { PolicyStatement } from "../../stacks/iam/policy-document";
import { bootstrapStackName } from "../../config/bootstrap-schema";
import {
  catalog,
  evaluate,
  shippedBootstraps,
  shippedEnvironments,
  synthesizedStack,
  violations,
  type TerraformJson,
} from "../support/gate";
import { planFromSynth } from "../support/plan";
import { editDocument, findBlock, teamPolicy, teamRole, type Block } from "../support/stack-edits";
import { deletion, moved, recreated, renamed, replacing, updating } from "../support/plan-changes";

/*
 * For every rule: one realistic mistake made to a real synthesized stack, and the exact finding it
 * must produce — that rule, on that resource, and nothing else. Each mutation is also gated as a
 * plan (the same stack rendered as `terraform show -json` output), which must give the same verdict.
 */

interface Document {
  Statement: PolicyStatement[];
}

interface Mutation {
  /** Which shipped environment to start from. */
  environment: string;
  /** Changes the stack; returns the address the finding must name ("" for stack-wide findings). */
  mutate: (stack: TerraformJson) => string;
  /** False when the mistake cannot be expressed in a plan (e.g. a document that is not a stack). */
  plan?: boolean;
  /** Gate the stack under another name (no environment): for missing-context findings. */
  stackName?: string;
}

const find = findBlock;

const address = (type: string, name: string) => `${type}.${name}`;

const editPolicy = (block: Block, attribute: string, edit: (document: Document) => void) =>
  editDocument<Document>(block, attribute, edit);

const statement = (document: Document, sid: string): PolicyStatement => {
  const found = document.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};

const table = (stack: TerraformJson) => find(stack, "aws_dynamodb_table");
const tableKey = (stack: TerraformJson) =>
  find(stack, "aws_kms_key", (k) => String(k.description).includes("table ProductCatalog"));

const MUTATIONS: Record<string, Mutation> = {
  "GR-INPUT-001": {
    environment: "dev",
    plan: false,
    mutate: (stack) => {
      for (const key of Object.keys(stack)) Reflect.deleteProperty(stack, key);
      stack.hello = "world";
      return "";
    },
  },
  "GR-INPUT-002": {
    environment: "dev",
    plan: false,
    mutate: (stack) => {
      const [name, policy] = find(stack, "aws_sns_topic_policy");
      policy.policy = "${jsonencode({Statement = []})}";
      return address("aws_sns_topic_policy", name);
    },
  },
  "GR-INPUT-003": { environment: "dev", stackName: "qa", mutate: () => "" },
  "GR-ENC-001": {
    environment: "dev",
    mutate: (stack) => {
      const [name, block] = table(stack);
      delete block.server_side_encryption;
      return address("aws_dynamodb_table", name);
    },
  },
  "GR-ENC-002": {
    environment: "dev",
    mutate: (stack) => {
      const [name, key] = tableKey(stack);
      key.enable_key_rotation = false;
      return address("aws_kms_key", name);
    },
  },
  "GR-ENC-003": {
    environment: "prod",
    mutate: (stack) => {
      const [name, key] = tableKey(stack);
      key.deletion_window_in_days = 7;
      return address("aws_kms_key", name);
    },
  },
  "GR-ENC-004": {
    environment: "dev",
    mutate: (stack) => {
      const [name, key] = tableKey(stack);
      editPolicy(key, "policy", (doc) =>
        doc.Statement.push({
          Sid: "Anyone",
          Effect: "Allow",
          Principal: "*",
          Action: "kms:Decrypt",
          Resource: "*",
        }),
      );
      return address("aws_kms_key", name);
    },
  },
  "GR-ENC-005": {
    environment: "dev",
    mutate: (stack) => {
      const [name, topic] = find(stack, "aws_sns_topic");
      delete topic.kms_master_key_id;
      return address("aws_sns_topic", name);
    },
  },
  "GR-ENC-006": {
    environment: "dev",
    mutate: (stack) => {
      const [name, logs] = find(stack, "aws_cloudwatch_log_group");
      delete logs.kms_key_id;
      return address("aws_cloudwatch_log_group", name);
    },
  },
  "GR-ENC-007": {
    environment: "dev",
    mutate: (stack) => {
      const [name, trail] = find(stack, "aws_cloudtrail");
      delete trail.kms_key_id;
      return address("aws_cloudtrail", name);
    },
  },
  "GR-ENC-008": {
    environment: "dev",
    mutate: (stack) => {
      const [name, fn] = find(stack, "aws_lambda_function");
      delete fn.kms_key_arn;
      return address("aws_lambda_function", name);
    },
  },
  "GR-DP-001": {
    environment: "prod",
    mutate: (stack) => {
      const [name, block] = table(stack);
      block.point_in_time_recovery = { enabled: false };
      return address("aws_dynamodb_table", name);
    },
  },
  "GR-DP-002": {
    environment: "prod",
    mutate: (stack) => {
      const [name, block] = table(stack);
      block.deletion_protection_enabled = false;
      return address("aws_dynamodb_table", name);
    },
  },
  "GR-DP-003": {
    environment: "prod",
    mutate: (stack) => {
      // Governance mode: anyone allowed DeleteBackupVaultLockConfiguration can unlock the vault.
      const [, lock] = find(stack, "aws_backup_vault_lock_configuration");
      delete lock.changeable_for_days;
      return address("aws_dynamodb_table", table(stack)[0]);
    },
  },
  "GR-DP-004": {
    environment: "prod",
    mutate: (stack) => {
      const [name, block] = table(stack);
      block.point_in_time_recovery = { enabled: true, recovery_period_in_days: 7 };
      return address("aws_dynamodb_table", name);
    },
  },
  "GR-DP-005": {
    environment: "prod",
    mutate: (stack) => {
      const [name, block] = table(stack);
      delete block.on_demand_throughput;
      return address("aws_dynamodb_table", name);
    },
  },
  "GR-DP-006": {
    environment: "prod",
    mutate: (stack) => {
      const [name, block] = table(stack);
      (block.replica as Block[])[0].point_in_time_recovery = false;
      return address("aws_dynamodb_table", name);
    },
  },
  "GR-ENC-009": {
    environment: "prod",
    mutate: (stack) => {
      const [name, block] = table(stack);
      const [primaryKey] = tableKey(stack);
      (block.replica as Block[])[0].kms_key_arn = `\${aws_kms_key.${primaryKey}.arn}`;
      return address("aws_dynamodb_table", name);
    },
  },
  "GR-NET-006": {
    environment: "staging",
    mutate: (stack) => {
      const [name, group] = find(stack, "aws_security_group");
      (group.ingress as Block[])[0].cidr_blocks = ["0.0.0.0/0"];
      return address("aws_security_group", name);
    },
  },
  "GR-NET-007": {
    environment: "dev",
    mutate: (stack) => {
      const [name, policy] = find(stack, "aws_dynamodb_resource_policy");
      editPolicy(policy, "policy", (doc) =>
        doc.Statement.push({
          Sid: "AnyOrganizationReads",
          Effect: "Allow",
          Principal: "*",
          Action: "dynamodb:GetItem",
          Resource: String(policy.resource_arn),
          Condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } },
        }),
      );
      return address("aws_dynamodb_resource_policy", name);
    },
  },
  "GR-ENC-010": {
    environment: "dev",
    mutate: (stack) => {
      const [tableName] = table(stack);
      const [bucketName] = find(stack, "aws_s3_bucket");
      stack.resource.aws_dynamodb_table_export = {
        catalog_export: {
          table_arn: `\${aws_dynamodb_table.${tableName}.arn}`,
          s3_bucket: `\${aws_s3_bucket.${bucketName}.bucket}`,
          s3_sse_algorithm: "AES256",
        },
      };
      return address("aws_dynamodb_table_export", "catalog_export");
    },
  },
  "GR-FGA-010": {
    environment: "dev",
    mutate: (stack) => {
      const [name, policy] = teamPolicy(stack);
      const [tableName] = table(stack);
      editPolicy(policy, "policy", (doc) =>
        doc.Statement.push({
          Sid: "ExportCatalog",
          Effect: "Allow",
          Action: "dynamodb:ExportTableToPointInTime",
          Resource: `\${aws_dynamodb_table.${tableName}.arn}`,
        }),
      );
      return address("aws_iam_role_policy", name);
    },
  },
  "GR-GOV-001": {
    environment: "dev",
    mutate: (stack) => {
      const [name, block] = table(stack);
      delete (block.tags as Record<string, string>)["data-classification"];
      return address("aws_dynamodb_table", name);
    },
  },
  "GR-NET-001": {
    environment: "dev",
    mutate: (stack) => {
      delete stack.resource.aws_vpc_endpoint;
      return address("aws_dynamodb_table", table(stack)[0]);
    },
  },
  "GR-NET-002": {
    environment: "dev",
    mutate: (stack) => {
      const [name, endpoint] = find(stack, "aws_vpc_endpoint");
      editPolicy(endpoint, "policy", (doc) => {
        doc.Statement = [{ Sid: "FullAccess", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }];
      });
      return address("aws_vpc_endpoint", name);
    },
  },
  "GR-NET-003": {
    environment: "dev",
    mutate: (stack) => {
      const [name, policy] = teamPolicy(stack);
      editPolicy(policy, "policy", (doc) => {
        for (const s of doc.Statement) delete s.Condition?.StringEquals?.["aws:SourceVpce"];
      });
      delete stack.resource.aws_dynamodb_resource_policy;
      return address("aws_iam_role_policy", name);
    },
  },
  "GR-NET-004": {
    environment: "dev",
    mutate: (stack) => {
      const [name, policy] = teamPolicy(stack);
      editPolicy(policy, "policy", (doc) => {
        statement(doc, "ReadProductCatalogItems").Condition = {
          ...statement(doc, "ReadProductCatalogItems").Condition,
          IpAddress: { "aws:SourceIp": "203.0.113.0/24" },
        };
      });
      return address("aws_iam_role_policy", name);
    },
  },
  "GR-NET-005": {
    environment: "dev",
    mutate: (stack) => {
      const [name, policy] = find(stack, "aws_sns_topic_policy");
      editPolicy(policy, "policy", (doc) => {
        statement(doc, "OnlyTheAlertFunctionPublishes").Principal = "*";
      });
      return address("aws_sns_topic_policy", name);
    },
  },
  "GR-MON-001": {
    environment: "dev",
    mutate: (stack) => {
      // Scheduling the table key's deletion no longer alerts anyone.
      const [, rule] = find(stack, "aws_cloudwatch_event_rule", (r) =>
        String(r.name).endsWith("-key-changes"),
      );
      const pattern = JSON.parse(String(rule.event_pattern)) as { detail: { eventName: string[] } };
      pattern.detail.eventName = pattern.detail.eventName.filter((name) => name !== "ScheduleKeyDeletion");
      rule.event_pattern = JSON.stringify(pattern);
      return address("aws_dynamodb_table", table(stack)[0]);
    },
  },
  "GR-MON-002": {
    environment: "dev",
    mutate: (stack) => {
      const [name, trail] = find(stack, "aws_cloudtrail");
      trail.is_multi_region_trail = false;
      return address("aws_cloudtrail", name);
    },
  },
  "GR-FGA-001": {
    environment: "dev",
    mutate: (stack) => {
      const [name, policy] = teamPolicy(stack);
      editPolicy(policy, "policy", (doc) => {
        delete statement(doc, "ReadProductCatalogItems").Condition?.StringEquals?.["dynamodb:Select"];
      });
      return address("aws_iam_role_policy", name);
    },
  },
  "GR-FGA-002": {
    environment: "dev",
    mutate: (stack) => {
      const [name, policy] = teamPolicy(stack);
      editPolicy(policy, "policy", (doc) => {
        const read = statement(doc, "ReadProductCatalogItems");
        const conditions = read.Condition ?? {};
        conditions["ForAnyValue:StringEquals"] = conditions["ForAllValues:StringEquals"];
        delete conditions["ForAllValues:StringEquals"];
      });
      return address("aws_iam_role_policy", name);
    },
  },
  "GR-FGA-003": {
    environment: "dev",
    mutate: (stack) => {
      const [name, policy] = teamPolicy(stack);
      editPolicy(policy, "policy", (doc) => {
        const read = statement(doc, "ReadProductCatalogItems");
        read.Action = [...(read.Action as string[]), "dynamodb:Scan"];
      });
      return address("aws_iam_role_policy", name);
    },
  },
  "GR-FGA-004": {
    environment: "dev",
    mutate: (stack) => {
      const [name, policy] = teamPolicy(stack);
      editPolicy(policy, "policy", (doc) => {
        statement(doc, "ReadProductCatalogItems").Resource = "*";
      });
      return address("aws_iam_role_policy", name);
    },
  },
  "GR-FGA-005": {
    environment: "dev",
    mutate: (stack) => {
      const [name, policy] = teamPolicy(stack);
      editPolicy(policy, "policy", (doc) =>
        doc.Statement.push({ Sid: "OnlyDynamoDb", Effect: "Deny", NotAction: "dynamodb:*", Resource: "*" }),
      );
      return address("aws_iam_role_policy", name);
    },
  },
  "GR-FGA-006": {
    environment: "dev",
    mutate: (stack) => {
      const [name, role] = teamRole(stack);
      editPolicy(role, "assume_role_policy", (doc) => {
        doc.Statement[0].Principal = { AWS: "*" };
      });
      return address("aws_iam_role", name);
    },
  },
  "GR-FGA-007": {
    environment: "dev",
    mutate: (stack) => {
      const [name, policy] = teamPolicy(stack);
      editPolicy(policy, "policy", (doc) => {
        const conditions = statement(doc, "ReadProductCatalogItems").Condition as Record<string, unknown>;
        conditions["ForAllValues:NumericGreaterThanOrEqualTo"] =
          conditions["ForAllValues:NumericGreaterThanEquals"];
        delete conditions["ForAllValues:NumericGreaterThanEquals"];
      });
      return address("aws_iam_role_policy", name);
    },
  },
  "GR-FGA-009": {
    environment: "bootstrap-prod",
    mutate: (stack) => {
      const [name, role] = find(stack, "aws_iam_role", (r) => String(r.name).endsWith("-prod-deploy"));
      editPolicy(role, "assume_role_policy", (doc) => {
        delete doc.Statement[0].Condition?.StringEquals?.["token.actions.githubusercontent.com:sub"];
      });
      return address("aws_iam_role", name);
    },
  },
  "GR-FGA-008": {
    environment: "dev",
    mutate: (stack) => {
      const [name, policy] = teamPolicy(stack);
      editPolicy(policy, "policy", (doc) =>
        doc.Statement.push({ Sid: "ManageIam", Effect: "Allow", Action: "iam:*", Resource: "*" }),
      );
      return address("aws_iam_role_policy", name);
    },
  },
};

/*
 * Changes only a plan can show: each starts from a real synthesized stack, renders the plan of a
 * change to it, and names every finding the plan must produce (the change-aware rule, and the
 * end-state rule where the change also leaves the stack non-compliant) — or none, for a safe change.
 */
interface ChangeMutation {
  environment: string;
  plan: (stack: TerraformJson, target: { accountId: string; region: string }) => unknown;
  expected: (stack: TerraformJson) => [string, string][];
}

const tableAddress = (stack: TerraformJson) => address("aws_dynamodb_table", table(stack)[0]);
const tableKeyAddress = (stack: TerraformJson) => address("aws_kms_key", tableKey(stack)[0]);

const CHANGE_MUTATIONS: Record<string, ChangeMutation> = {
  "GR-CHG-001: a table renamed without a moved block is deleted": {
    environment: "prod",
    plan: (stack, target) =>
      recreated(
        planFromSynth(renamed(stack, tableAddress(stack), "Catalog"), target),
        "aws_dynamodb_table.Catalog",
        tableAddress(stack),
      ),
    expected: (stack) => [["GR-CHG-001", tableAddress(stack)]],
  },
  "GR-CHG-001: a table replaced because hash_key changes": {
    environment: "prod",
    plan: (stack, target) =>
      replacing(planFromSynth(stack, target), tableAddress(stack), { hash_key: "Sku" }),
    expected: (stack) => [["GR-CHG-001", tableAddress(stack)]],
  },
  "a table renamed with a moved block passes": {
    environment: "prod",
    plan: (stack, target) =>
      moved(
        planFromSynth(renamed(stack, tableAddress(stack), "Catalog"), target),
        "aws_dynamodb_table.Catalog",
        tableAddress(stack),
      ),
    expected: () => [],
  },
  "GR-CHG-002: the table's key disabled": {
    environment: "staging",
    plan: (stack, target) => {
      const disabled = structuredClone(stack);
      tableKey(disabled)[1].is_enabled = false;
      return updating(planFromSynth(disabled, target), tableKeyAddress(stack), { is_enabled: true });
    },
    expected: (stack) => [["GR-CHG-002", tableKeyAddress(stack)]],
  },
  "GR-CHG-003: the table's resource policy deleted": {
    environment: "dev",
    plan: (stack, target) => {
      const [name] = find(stack, "aws_dynamodb_resource_policy");
      const without = structuredClone(stack);
      Reflect.deleteProperty(without.resource.aws_dynamodb_resource_policy, name);
      return deletion(
        planFromSynth(without, target),
        planFromSynth(stack, target),
        address("aws_dynamodb_resource_policy", name),
      );
    },
    expected: (stack) => [
      ["GR-CHG-003", address("aws_dynamodb_resource_policy", find(stack, "aws_dynamodb_resource_policy")[0])],
    ],
  },
  "GR-CHG-004: the DynamoDB endpoint replaced": {
    environment: "dev",
    plan: (stack, target) =>
      replacing(
        planFromSynth(stack, target),
        address("aws_vpc_endpoint", find(stack, "aws_vpc_endpoint")[0]),
        {
          vpc_endpoint_type: "Interface",
        },
      ),
    expected: (stack) => [["GR-CHG-004", address("aws_vpc_endpoint", find(stack, "aws_vpc_endpoint")[0])]],
  },
  "GR-CHG-005: point-in-time recovery turned off": {
    environment: "prod",
    plan: (stack, target) => {
      const off = structuredClone(stack);
      table(off)[1].point_in_time_recovery = { enabled: false };
      return updating(planFromSynth(off, target), tableAddress(stack), {
        point_in_time_recovery: [{ enabled: true, recovery_period_in_days: 35 }],
      });
    },
    expected: (stack) => [
      ["GR-CHG-005", tableAddress(stack)],
      ["GR-DP-001", tableAddress(stack)],
    ],
  },
};

const targets = Object.fromEntries([
  ...shippedEnvironments.map((e) => [e.name, { accountId: e.account.id, region: e.account.region }]),
  ...shippedBootstraps.map((b) => [
    bootstrapStackName(b.name),
    { accountId: b.account.id, region: b.account.region },
  ]),
]);

describe("mutation matrix", () => {
  it("has a mutation for every rule in the catalog, and no mutation for a rule that does not exist", () => {
    const changeRules = Object.keys(CHANGE_MUTATIONS).flatMap((name) => name.match(/^GR-[A-Z]+-\d{3}/) ?? []);
    expect([...new Set([...Object.keys(MUTATIONS), ...changeRules])].sort()).toEqual(
      catalog().map((rule) => rule.id),
    );
  });

  describe.each(Object.entries(CHANGE_MUTATIONS))("%s", (_name, mutation) => {
    it("gives exactly the expected findings from the plan", () => {
      const stack = synthesizedStack(mutation.environment);
      const plan = mutation.plan(stack, targets[mutation.environment]);
      const verdict = violations(evaluate(mutation.environment, plan)).map((f) => [f.rule, f.address]);
      expect(verdict).toEqual(mutation.expected(stack));
    });
  });

  describe.each(Object.entries(MUTATIONS))("%s", (rule, mutation) => {
    const stack = synthesizedStack(mutation.environment);
    const expectedAddress = mutation.mutate(stack);
    const gatedAs = mutation.stackName ?? mutation.environment;
    const verdict = (document: unknown) =>
      violations(evaluate(gatedAs, document)).map((f) => [f.rule, f.address]);

    it("produces exactly that rule on that resource", () => {
      expect(verdict(stack)).toEqual([[rule, expectedAddress]]);
    });

    if (mutation.plan !== false) {
      it("produces the same verdict from the plan", () => {
        expect(verdict(planFromSynth(stack, targets[mutation.environment]))).toEqual([
          [rule, expectedAddress],
        ]);
      });
    }
  });
});
