import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBundle } from "../../scripts/build-bundle";
import { ROOT, runOpa } from "../../scripts/opa-toolchain";
import {
  evaluate,
  shippedEnvironments,
  synthesizedStack,
  TODAY,
  violations,
  type TerraformJson,
} from "../support/gate";
import { planFromSynth } from "../support/plan";

/*
 * OPA and conftest users take the policy bundle (`npm run build:bundle`) and hand it raw files:
 * policies/conftest.rego wraps them as the gate does. The pinned conftest and `opa eval` of the
 * bundle must give the wasm gate's verdicts (rule ids on addresses) on the shipped stacks, on a
 * violating stack and on that stack's plan.
 */
jest.setTimeout(180_000);

const CONFTEST = join(ROOT, ".tools", "bin", "conftest");

type Verdict = string[][];

interface Case {
  name: string;
  environment: string;
  document: unknown;
}

let work: string;
let bundle: string;
let extracted: string;

const sorted = (verdict: Verdict): Verdict => [...verdict].sort((a, b) => a.join().localeCompare(b.join()));

function brokenDev(): { document: TerraformJson; address: string } {
  const document = synthesizedStack("dev");
  const [name, table] = Object.entries(document.resource.aws_dynamodb_table)[0];
  delete table.server_side_encryption;
  return { document, address: `aws_dynamodb_table.${name}` };
}

const broken = brokenDev();
const cases: Case[] = [
  ...shippedEnvironments.map((env) => ({
    name: env.name,
    environment: env.name,
    document: synthesizedStack(env.name),
  })),
  { name: "dev-unencrypted", environment: "dev", document: broken.document },
  {
    name: "dev-unencrypted-plan",
    environment: "dev",
    document: planFromSynth(broken.document, {
      accountId: shippedEnvironments.find((env) => env.name === "dev")?.account.id ?? "",
      region: "us-east-1",
    }),
  },
];

/** The facts file a conftest or opa user passes with --data, for the case's environment. */
function contextFile(c: Case): string {
  const env = shippedEnvironments.find((e) => e.name === c.environment);
  if (env === undefined) throw new Error(`no shipped environment ${c.environment}`);
  const file = join(work, `${c.name}.context.json`);
  const context = {
    organization_id: env.account.organizationId,
    account_id: env.account.id,
    tier: env.tier,
    today: TODAY,
    stack: c.environment,
  };
  writeFileSync(file, JSON.stringify({ guardrails: { context } }));
  return file;
}

function inputFile(c: Case): string {
  const file = join(work, `${c.name}.json`);
  writeFileSync(file, JSON.stringify(c.document));
  return file;
}

function gateVerdict(c: Case): Verdict {
  return violations(evaluate(c.environment, c.document)).map((f) => [f.rule, f.address]);
}

function conftestVerdict(c: Case): Verdict {
  const run = spawnSync(
    CONFTEST,
    [
      "test",
      "--no-color",
      "--output",
      "json",
      "--policy",
      join(extracted, "policies"),
      "--data",
      join(extracted, "data.json"),
      "--data",
      contextFile(c),
      inputFile(c),
    ],
    { encoding: "utf8", maxBuffer: 1 << 26 },
  );
  // conftest exits 1 when a deny rule fires, 0 when none does, anything else on an error.
  if (run.status !== 0 && run.status !== 1) throw new Error(`conftest failed: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as {
    failures?: { metadata: { rule: string; address: string } }[];
  }[];
  const verdict = (result.failures ?? []).map((f) => [f.metadata.rule, f.metadata.address]);
  expect(run.status).toBe(verdict.length > 0 ? 1 : 0);
  return verdict;
}

function opaEvalVerdict(c: Case): Verdict {
  const run = runOpa([
    "eval",
    "--format",
    "json",
    "--bundle",
    bundle,
    "--data",
    contextFile(c),
    "--input",
    inputFile(c),
    "data.main.deny",
  ]);
  if (run.status !== 0) throw new Error(`opa eval failed: ${run.stderr}`);
  const output = JSON.parse(run.stdout) as {
    result: { expressions: { value: { rule: string; address: string }[] }[] }[];
  };
  return output.result[0].expressions[0].value.map((f) => [f.rule, f.address]);
}

beforeAll(async () => {
  if (!existsSync(CONFTEST)) {
    throw new Error(`conftest is not installed at ${CONFTEST}; run \`bash scripts/install-conftest.sh\``);
  }
  work = mkdtempSync(join(tmpdir(), "conftest-parity-"));
  bundle = await buildBundle(join(work, "bundle.tar.gz"));
  // conftest reads policy folders, so it gets the bundle unpacked, as its users would use it.
  extracted = join(work, "bundle");
  mkdirSync(extracted);
  const untar = spawnSync("tar", ["-xzf", bundle, "-C", extracted], { encoding: "utf8" });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
});

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("conftest and opa eval on the policy bundle", () => {
  it("the violating stack and its plan do violate, so the comparison can fail", () => {
    for (const name of ["dev-unencrypted", "dev-unencrypted-plan"]) {
      const c = cases.find((k) => k.name === name);
      expect(c && gateVerdict(c)).toEqual([["GR-ENC-001", broken.address]]);
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: same verdicts as the wasm gate", (_name, c) => {
    const gate = sorted(gateVerdict(c));
    expect(sorted(conftestVerdict(c))).toEqual(gate);
    expect(sorted(opaEvalVerdict(c))).toEqual(gate);
  });
});
