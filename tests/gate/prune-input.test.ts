import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { loadPolicySync, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { compareFindings, type Finding, type PolicyInput } from "../../gate/findings";
import { GateError } from "../../gate/gate-error";
import { COMPILED_POLICY_DIR, GuardrailsPolicy } from "../../gate/policy";
import { pruneDocument, pruneJoinedConfiguration } from "../../gate/prune-input";
import { POLICY_DIR } from "../../scripts/opa-toolchain";
import {
  compiledPolicy,
  PRODUCTION_CONTEXT,
  shippedEnvironments,
  synthesizedStack,
  type TerraformJson,
} from "../support/gate";
import { planFromSynth } from "../support/plan";

// The gate prunes what no rule reads before serializing a stack; `opa eval` and conftest users hand
// the policies the raw document. Both must give the same findings, on every fixture and shipped stack.

let raw: LoadedPolicy;

beforeAll(() => {
  raw = loadPolicySync(readFileSync(join(COMPILED_POLICY_DIR, "policy.wasm")));
  raw.setData(JSON.parse(readFileSync(join(COMPILED_POLICY_DIR, "data.json"), "utf8")) as object);
});

const context = PRODUCTION_CONTEXT;

function unpruned(input: PolicyInput): Finding[] {
  const [first] = raw.evaluate(input) as { result: Finding[] }[];
  return [...first.result].sort(compareFindings);
}

function bothWays(
  stack: string,
  document: unknown,
  configuration?: unknown,
): { pruned: Finding[]; raw: Finding[] } {
  const input = {
    stack,
    document,
    context,
    waivers: [],
    ...(configuration === undefined ? {} : { configuration }),
  };
  return { pruned: compiledPolicy().evaluate(input), raw: unpruned(input) };
}

const fixtures = readdirSync(POLICY_DIR, { recursive: true, encoding: "utf8" })
  .filter((file) => file.split("/").includes("testdata") && file.endsWith(".json"))
  .sort();

describe("pruned input gives the findings of the raw document", () => {
  it("finds the rule fixtures", () => {
    expect(fixtures.length).toBeGreaterThan(50);
  });

  test.each(fixtures)("%s", (file) => {
    const document: unknown = JSON.parse(readFileSync(join(POLICY_DIR, file), "utf8"));
    const { pruned, raw: expected } = bothWays(relative("", file), document);
    expect(pruned).toEqual(expected);
  });

  test.each(shippedEnvironments.map((env) => env.name))("shipped %s, synthesized and as plans", (name) => {
    const stack = synthesizedStack(name);
    // One violation at least, so equal findings are not two empty lists.
    const [tableName, table] = Object.entries(stack.resource.aws_dynamodb_table)[0];
    table.deletion_protection_enabled = false;
    const known = planFromSynth(stack, { accountId: "111122223333", region: "us-east-1" });
    const unknown = planFromSynth(stack, {
      accountId: "111122223333",
      region: "us-east-1",
      unknown: new Set(Object.keys(stack.resource.aws_kms_key ?? {}).map((n) => `aws_kms_key.${n}`)),
    });
    for (const document of [stack, known, unknown]) {
      const { pruned, raw: expected } = bothWays(name, document);
      expect(pruned).toEqual(expected);
      expect(pruned.map((f) => f.address)).toContain(`aws_dynamodb_table.${tableName}`);
    }
  });

  test.each(shippedEnvironments.map((env) => env.name))(
    "shipped %s: a first plan joined with its stack (--config), which keeps only what the plan leaves unknown",
    (name) => {
      const stack = synthesizedStack(name);
      const [tableName, table] = Object.entries(stack.resource.aws_dynamodb_table)[0];
      table.deletion_protection_enabled = false;
      const every = new Set(
        Object.entries(stack.resource).flatMap(([type, named]) =>
          Object.keys(named).map((n) => `${type}.${n}`),
        ),
      );
      for (const unknown of [every, new Set<string>()]) {
        const plan = planFromSynth(stack, { accountId: "111122223333", region: "us-east-1", unknown });
        const { pruned, raw: expected } = bothWays(name, plan, stack);
        expect(pruned).toEqual(expected);
        expect(pruned.map((f) => f.address)).toContain(`aws_dynamodb_table.${tableName}`);
      }
    },
  );
});

describe("pruneDocument", () => {
  it("drops the plan's state, drift, outputs and sensitivity masks, and keeps what rules read", () => {
    const plan = {
      format_version: "1.2",
      prior_state: { values: { root_module: { resources: [{ address: "a.b" }] } } },
      resource_drift: [{ address: "a.b" }],
      output_changes: { x: {} },
      variables: { region: { value: "us-east-1" } },
      planned_values: {
        outputs: { x: { sensitive: false } },
        root_module: {
          resources: [{ address: "a.b", values: { tags_all: { owner: "x" } }, sensitive_values: {} }],
          child_modules: [
            { address: "module.m", resources: [{ address: "module.m.a.b", sensitive_values: {} }] },
          ],
        },
      },
      resource_changes: [
        {
          address: "a.b",
          previous_address: "a.old",
          action_reason: "replace_because_cannot_update",
          change: {
            actions: ["delete", "create"],
            before: { x: 1 },
            after: { x: 2 },
            after_unknown: {},
            replace_paths: [["x"]],
            before_sensitive: {},
            after_sensitive: {},
          },
        },
      ],
      configuration: { provider_config: { aws: { expressions: {} } }, root_module: { resources: [] } },
    };
    expect(pruneDocument(plan)).toEqual({
      format_version: "1.2",
      planned_values: {
        root_module: {
          resources: [{ address: "a.b", values: { tags_all: { owner: "x" } } }],
          child_modules: [{ address: "module.m", resources: [{ address: "module.m.a.b" }] }],
        },
      },
      resource_changes: [
        {
          address: "a.b",
          previous_address: "a.old",
          action_reason: "replace_because_cannot_update",
          change: {
            actions: ["delete", "create"],
            before: { x: 1 },
            after: { x: 2 },
            after_unknown: {},
            replace_paths: [["x"]],
          },
        },
      ],
      configuration: plan.configuration,
    });
  });

  it("drops before and after of objects left alone, created or read, and keeps them for updates and removals", () => {
    const change = (actions: string[]) => ({
      address: `aws_x.${actions.join("_")}`,
      change: { actions, before: { a: 1 }, after: { a: 2 }, after_unknown: { b: true } },
    });
    const kept = [["update"], ["delete"], ["delete", "create"], ["create", "delete"], ["forget"]];
    const dropped = [["no-op"], ["create"], ["read"]];
    const plan = {
      format_version: "1.2",
      planned_values: { root_module: { resources: [] } },
      resource_changes: [...kept, ...dropped].map(change),
    };
    expect(pruneDocument(plan)).toEqual({
      ...plan,
      resource_changes: [
        ...kept.map(change),
        ...dropped.map((actions) => ({
          address: `aws_x.${actions.join("_")}`,
          change: { actions, after_unknown: { b: true } },
        })),
      ],
    });
  });

  it("drops the constants of configured resources, keeping their references, their shape and the providers'", () => {
    const provider = { aws: { expressions: { region: { constant_value: "us-east-1" } } } };
    const expressions = (withConstants: boolean) => ({
      name: withConstants ? { constant_value: "orders" } : {},
      server_side_encryption: [
        {
          kms_key_arn: { references: ["aws_kms_key.k.arn", "aws_kms_key.k"] },
          enabled: withConstants ? { constant_value: true } : {},
        },
      ],
    });
    const module = (withConstants: boolean) => ({
      resources: [{ address: "aws_dynamodb_table.t", expressions: expressions(withConstants) }],
      module_calls: {
        net: {
          source: "./net",
          module: { resources: [{ address: "aws_vpc.v", expressions: expressions(withConstants) }] },
        },
      },
    });
    const plan = {
      format_version: "1.2",
      planned_values: { root_module: { resources: [] } },
      configuration: { provider_config: provider, root_module: module(true) },
    };
    expect(pruneDocument(plan)).toEqual({
      ...plan,
      configuration: { provider_config: provider, root_module: module(false) },
    });
  });

  it("drops a cdk.tf.json block's metadata, keeps the providers, and leaves the input unchanged", () => {
    const document = {
      "//": { metadata: { stackName: "dev" } },
      provider: { aws: [{ region: "us-east-1" }] },
      resource: {
        aws_s3_bucket: { b: { "//": { metadata: { path: "dev/b", uniqueId: "b" } }, bucket: "x" } },
      },
    };
    const before = structuredClone(document);
    expect(pruneDocument(document)).toEqual({
      provider: document.provider,
      resource: { aws_s3_bucket: { b: { bucket: "x" } } },
    });
    expect(document).toEqual(before);
  });

  it("returns what is neither a plan nor a cdk.tf.json as it is", () => {
    for (const value of [null, 1, "x", [1], { resources: [] }, { format_version: 1, planned_values: {} }]) {
      expect(pruneDocument(value)).toBe(value);
    }
  });
});

describe("what pruning drops is read nowhere else", () => {
  // A tripwire for new rules: pruneDocument drops fields on the understanding of who reads them.
  const sources = readdirSync(POLICY_DIR, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".rego") && !file.endsWith("_test.rego") && !file.includes("testdata"))
    .map((file) => ({ file, text: readFileSync(join(POLICY_DIR, file), "utf8") }));
  const reading = (pattern: RegExp) =>
    sources.filter(({ text }) => pattern.test(text.replace(/^\s*#.*$/gm, ""))).map(({ file }) => file);

  it("reads a change's before and after only in the change rules, which read updates and removals", () => {
    // If this fails, a rule reads before/after elsewhere: make gate/prune-input.ts keep them for it.
    const files = reading(/\.(before|after)\b/);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^(rules\/changes\/|lib\/changes\.rego$)/);
  });

  it("reads a block's `//` metadata and construct path only in lib/resources.rego, which no rule asks the path of", () => {
    // If this fails, a rule reads CDKTF metadata: make gate/prune-input.ts keep the block's `//`.
    // conftest.rego names the stack from a raw cdk.tf.json's own `//`; the gate passes the stack's name.
    expect(reading(/"\/\/"/).sort()).toEqual(["conftest.rego", "lib/resources.rego"]);
    // Only lib/resources.rego reads the construct path (into by_address's path); no rule reads that.
    expect(reading(/(?<!values)\.path\b/)).toEqual(["lib/resources.rego"]);
  });

  it("reads no resource's sensitivity mask, provider plugin or schema version", () => {
    // If this fails, a rule reads one of them: make gate/prune-input.ts keep it.
    expect(reading(/sensitive_values|provider_name|schema_version/)).toEqual([]);
  });

  it("reads constant_value only of provider configurations, whose constants are kept", () => {
    // If this fails, a rule reads a configured resource's constants: stop withoutConstants dropping them.
    const files = reading(/constant_value/);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(join(POLICY_DIR, file), "utf8")).toMatch(/provider/);
    expect(files.sort()).toEqual([
      "lib/replication.rego",
      "rules/access/kms_for_readers.rego",
      "rules/governance/required_tags.rego",
    ]);
  });
});

describe("pruneJoinedConfiguration", () => {
  it("keeps the providers and, of root-module blocks, only the attributes the plan leaves unknown", () => {
    const configuration = {
      provider: { aws: [{ region: "us-east-1" }] },
      terraform: { backend: {} },
      resource: {
        aws_dynamodb_table: {
          t: { name: "t", server_side_encryption: { kms_key_arn: "${aws_kms_key.k.arn}" } },
        },
        aws_kms_key: { k: { description: "k" } },
      },
      data: { aws_iam_policy_document: { d: { statement: [{ actions: ["s3:*"] }] } } },
    };
    const change = (address: string, after_unknown: unknown, extra: object = {}) => {
      const [type, name] = address.replace(/^data\./, "").split(".");
      return { address, type, name, ...extra, change: { actions: ["create"], after_unknown } };
    };
    const plan = {
      format_version: "1.2",
      resource_changes: [
        change("aws_dynamodb_table.t", {
          server_side_encryption: [{ kms_key_arn: true }],
          arn: true,
          name: false,
        }),
        change("aws_kms_key.k", { arn: true }),
        change("data.aws_iam_policy_document.d", { statement: [{ actions: [false] }] }, { mode: "data" }),
        change("module.m.aws_dynamodb_table.t", { name: true }, { module_address: "module.m" }),
      ],
    };
    expect(pruneJoinedConfiguration(configuration, plan)).toEqual({
      provider: configuration.provider,
      resource: {
        aws_dynamodb_table: {
          t: { server_side_encryption: configuration.resource.aws_dynamodb_table.t.server_side_encryption },
        },
      },
    });
  });
});

describe("a stack too large for the wasm heap", () => {
  // The policy memory capped far below wasm32's 4 GiB stands in for a stack too large for the real
  // limit, which would take gigabytes of memory to build here. The compiled data takes about 4 MB.
  const MB = 1024 ** 2;
  const source = "cdktf.out/stacks/huge/cdk.tf.json";
  const input = (document: TerraformJson) => ({ stack: "huge", document, context, waivers: [] });

  it("is refused before evaluating when the input alone cannot fit: a GateError naming it, its size and the limit", () => {
    const dev = synthesizedStack("dev");
    const padded = {
      ...dev,
      resource: { ...dev.resource, null_resource: { pad: { triggers: { blob: "x".repeat(2 * MB) } } } },
    };
    const policy = GuardrailsPolicy.loadSync(COMPILED_POLICY_DIR, { limitBytes: 8 * MB });
    const attempt = () => policy.evaluate(input(padded), source);
    expect(attempt).toThrow(GateError);
    expect(attempt).toThrow(
      /stack huge \(cdktf\.out\/stacks\/huge\/cdk\.tf\.json\) is too large to gate: it needs at least [\d.]+ MB of policy heap \(2\.\d MB of input\), more than the 8\.0 MB a wasm policy can address/,
    );
  });

  it("is a GateError, not a crash, when it runs out of heap while evaluating", () => {
    const policy = GuardrailsPolicy.loadSync(COMPILED_POLICY_DIR, { limitBytes: 5 * MB });
    const attempt = () => policy.evaluate(input(synthesizedStack("dev")), source);
    expect(attempt).toThrow(
      /stack huge \(cdktf\.out\/stacks\/huge\/cdk\.tf\.json\) is too large to gate: it ran out of policy heap while evaluating [\d.]+ MB of input: it needs more than the 5\.0 MB a wasm policy can address/,
    );
  });

  it("still gates a stack that fits, however high the first estimate", () => {
    // The reservation is capped by the memory's limit, so an overestimate costs nothing.
    const capped = GuardrailsPolicy.loadSync(COMPILED_POLICY_DIR, {
      limitBytes: 64 * MB,
      initialBytesPerInputByte: 1_000_000,
    });
    const document = synthesizedStack("dev");
    expect(capped.evaluate(input(document), source)).toEqual(
      GuardrailsPolicy.loadSync().evaluate(input(document), source),
    );
  });
});
