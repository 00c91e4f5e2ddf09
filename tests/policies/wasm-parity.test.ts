import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { compilePolicies } from "../../scripts/build-policies";
import { POLICY_DIR, requirePinnedOpa, runOpa } from "../../scripts/opa-toolchain";

// The gate evaluates policy.wasm from Node while policy authors run `opa eval` and
// `opa test`; these tests hold the two to the same answers on the library fixtures.
jest.setTimeout(60_000);

const TESTDATA = join(POLICY_DIR, "lib", "testdata");

interface Envelope {
  stack: string;
  document: unknown;
  context: Record<string, unknown>;
}

const envelope = (document: unknown): Envelope => ({
  stack: "orders",
  document,
  context: { organization_id: "o-abc123", tier: "prod" },
});

const fixture = (path: string): unknown => JSON.parse(readFileSync(join(TESTDATA, path), "utf8"));

const inputs: Record<string, Envelope> = {
  cdktf: envelope(fixture("cdktf_table/cdk.tf.json")),
  plan: envelope(fixture("plan_modules/plan.json")),
  unknown: envelope({ resources: [] }),
};

let scratch: string;

function evaluateWasm(policy: LoadedPolicy, input: Envelope): unknown {
  const results: unknown = policy.evaluate(input);
  if (!Array.isArray(results) || results.length !== 1) {
    throw new Error(`unexpected wasm result set: ${JSON.stringify(results)}`);
  }
  const [first] = results as { result: unknown }[];
  return first?.result;
}

function evaluateOpa(dir: string, query: string, input: Envelope): unknown {
  const inputFile = join(scratch, "input.json");
  writeFileSync(inputFile, JSON.stringify(input));
  const { status, stdout, stderr } = runOpa(["eval", "-f", "json", "-d", dir, "-i", inputFile, query]);
  if (status !== 0) throw new Error(`opa eval failed: ${stderr}`);
  const parsed = JSON.parse(stdout) as { result?: { expressions: { value: unknown }[] }[] };
  return parsed.result?.[0]?.expressions[0]?.value;
}

beforeAll(() => {
  requirePinnedOpa();
  scratch = mkdtempSync(join(tmpdir(), "wasm-parity-"));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("policies/lib in wasm matches opa eval", () => {
  let policy: LoadedPolicy;
  let dir: string;

  beforeAll(async () => {
    dir = join(scratch, "policies");
    cpSync(POLICY_DIR, dir, { recursive: true, filter: (source) => !source.includes("testdata") });
    cpSync(join(__dirname, "lib-probe.rego"), join(dir, "lib-probe.rego"));
    const { wasm } = await compilePolicies({
      policyDir: dir,
      outDir: join(scratch, "out"),
      entrypoints: ["probe/result"],
    });
    policy = await loadPolicy(readFileSync(wasm));
  });

  test.each(Object.keys(inputs))("%s input", (name) => {
    const input = inputs[name] as Envelope;
    const native = evaluateOpa(dir, "data.probe.result", input);
    expect(native).toBeDefined();
    expect(evaluateWasm(policy, input)).toEqual(native);
  });

  test("the probe exercises the helpers on the fixtures", () => {
    const result = evaluateWasm(policy, inputs.plan as Envelope) as {
      matches: string[];
      statements: { allows: string[]; any_principal: boolean }[];
    };
    // Case-insensitive, and `?` stands for exactly one character.
    expect(result.matches).toEqual(["DynamoDB:GetItem", "s3:GetObject"]);
    expect(result.statements.some((statement) => statement.any_principal)).toBe(true);
  });
});
