import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { bundleFunction } from "../../stacks/function-bundle";
import { shippedEnvironments, TODAY, type TerraformJson } from "../support/gate";
import { planFromSynth } from "../support/plan";
import { ALERT_FUNCTION_ENTRY } from "../support/synth";

/*
 * The gate as another repository gets it: `npm pack` here, the tarball installed into an empty
 * folder, and the installed `ddb-guardrails` run there, with no TypeScript, no OPA and no checkout.
 * One pack and one install serve every assertion.
 */

const ROOT = join(__dirname, "..", "..");
const ORGANIZATION_ID = "o-a1b2c3d4e5";
const ACCOUNT_ID = "111122223333";
/** Packages that load or compile TypeScript: none may be installed with the gate. */
const TYPESCRIPT_TOOLING = [
  "typescript",
  "ts-node",
  "esbuild-register",
  "esbuild",
  "@esbuild",
  "ts-jest",
  "tsx",
];

let work: string;
let project: string;
let tarball: string;
/** A plan of the dev stack without its table's encryption, and the table's address. */
let broken: { plan: string; address: string };

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const run = spawnSync("npm", args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  if (run.status !== 0)
    throw new Error(`npm ${args.join(" ")} failed in ${cwd}:\n${run.stderr}${run.stdout}`);
  return run;
}

/** The installed CLI, run through its bin link as npx and npm scripts run it. */
function gate(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(project, "node_modules", ".bin", "ddb-guardrails"), ...args], {
    cwd: project,
    encoding: "utf8",
  });
}

function write(name: string, content: unknown): string {
  const file = join(project, name);
  writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
}

const flags = ["--organization-id", ORGANIZATION_ID, "--account-id", ACCOUNT_ID, "--today", TODAY];

/** Every package folder under node_modules, scoped ones as "@scope/name", nested ones included. */
function installedPackages(dir: string): string[] {
  const found: string[] = [];
  const walk = (modules: string): void => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith(".")) continue;
      const names = entry.startsWith("@")
        ? readdirSync(join(modules, entry)).map((name) => `${entry}/${name}`)
        : [entry];
      for (const name of names) {
        found.push(name);
        walk(join(modules, name, "node_modules"));
      }
      if (entry.startsWith("@")) found.push(entry);
    }
  };
  walk(join(dir, "node_modules"));
  return found;
}

/** The shipped environments synthesized as `cdktf synth` writes them (Testing.synth drops "//"). */
function synthesizeShipped(outdir: string): void {
  const app = new App({ outdir });
  const alertFunction = bundleFunction(ALERT_FUNCTION_ENTRY);
  for (const environment of shippedEnvironments) new EnvironmentStack(app, { environment, alertFunction });
  app.synth();
}

const synthesized = (name: string): TerraformJson =>
  JSON.parse(
    readFileSync(join(project, "cdktf.out", "stacks", name, "cdk.tf.json"), "utf8"),
  ) as TerraformJson;

/** The prod stack with its table's encryption removed: one GR-ENC-001 violation. */
function unencrypted(name: string): { document: TerraformJson; address: string } {
  const document = synthesized(name);
  const [table, body] = Object.entries(document.resource.aws_dynamodb_table)[0];
  delete body.server_side_encryption;
  return { document, address: `aws_dynamodb_table.${table}` };
}

const accountOf = (name: string) => shippedEnvironments.find((env) => env.name === name)?.account.id ?? "";

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "ddb-guardrails-package-"));
  // `npm pack` runs prepack: the policy and CLI builds, both skipped when current.
  const packed = npm(["pack", "--pack-destination", work, "--silent"], ROOT);
  const name = packed.stdout.trim().split("\n").pop() ?? "";
  tarball = join(work, name);
  project = join(work, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "elsewhere", private: true }));
  // From the npm cache when it has the packages; the registry otherwise.
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], project);
  synthesizeShipped(join(project, "cdktf.out"));
  const prod = unencrypted("prod");
  broken = {
    plan: write(
      "orders.plan.json",
      planFromSynth(prod.document, { accountId: ACCOUNT_ID, region: "us-east-1" }),
    ),
    address: prod.address,
  };
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("the npm package", () => {
  it("ships the compiled CLI and policy, readable by anyone, and no TypeScript", () => {
    const listing = spawnSync("tar", ["-tzvf", tarball], { encoding: "utf8" }).stdout;
    for (const file of [
      "bin/ddb-guardrails.js",
      "dist/cli.js",
      "build/policies/policy.wasm",
      "build/policies/data.json",
      "build/policies/rules.json",
    ]) {
      expect(listing).toMatch(new RegExp(`^-rw.r..r.. .* package/${file.replace(/\./g, "\\.")}$`, "m"));
    }
    expect(listing).not.toMatch(/\.ts$/m);
    expect(listing).not.toMatch(/package\/(environments|policies|gate|waivers\.json)/);
  });

  it("installs no TypeScript tooling, and only what the gate needs", () => {
    const installed = installedPackages(project);
    expect(installed).toContain("ddb-guardrails");
    for (const tool of TYPESCRIPT_TOOLING) expect(installed).not.toContain(tool);
    const manifest = JSON.parse(
      readFileSync(join(project, "node_modules", "ddb-guardrails", "package.json"), "utf8"),
    ) as { dependencies?: Record<string, string> };
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(["junit-report-builder"]);
  });

  it("fails a violating plan through npx with exit 1 and the finding", () => {
    const run = spawnSync(
      "npx",
      ["--no-install", "ddb-guardrails", "check", broken.plan, ...flags, "--tier", "production"],
      {
        cwd: project,
        encoding: "utf8",
      },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^orders \(orders\.plan\.json, plan\): 1 violation$/m);
    expect(run.stdout).toContain(`critical  GR-ENC-001  ${broken.address}`);
    expect(run.stdout).toContain("it has no server_side_encryption block");
  });

  it("passes each shipped stack's plan with exit 0, given the facts as flags", () => {
    for (const env of shippedEnvironments) {
      const plan = write(
        `${env.name}.json`,
        planFromSynth(synthesized(env.name), { accountId: ACCOUNT_ID, region: "us-east-1" }),
      );
      const run = gate("check", plan, ...flags, "--tier", env.tier);
      expect(run.stderr).toBe("");
      expect(run.stdout).toMatch(/^PASSED: 1 stack checked against \d+ rules, 0 violations, 0 waived$/m);
      expect(run.status).toBe(0);
    }
  });

  it("gates cdktf.out with each stack's facts read from the stack itself, with no flags", () => {
    const run = gate("check", "cdktf.out", "--today", TODAY);
    expect(run.stderr).toBe("");
    for (const env of shippedEnvironments) {
      expect(run.stdout).toContain(`${env.name} (cdktf.out/stacks/${env.name}/cdk.tf.json, cdktf): passed`);
    }
    expect(run.status).toBe(0);
  });

  it("finds a plan's facts in the cdktf.out of the working directory, by stack name", () => {
    const dev = unencrypted("dev");
    const plan = write(
      "dev.plan.json",
      planFromSynth(dev.document, { accountId: accountOf("dev"), region: "us-east-1" }),
    );
    const findings = (cwd: string) => {
      const run = spawnSync(
        process.execPath,
        [
          join(project, "node_modules", ".bin", "ddb-guardrails"),
          "check",
          plan,
          "--format",
          "json",
          "--today",
          TODAY,
        ],
        { cwd, encoding: "utf8" },
      );
      const report = JSON.parse(run.stdout) as {
        stacks: { findings: { rule: string; address: string }[] }[];
      };
      return report.stacks[0].findings.map((f) => [f.rule, f.address]);
    };
    expect(findings(project)).toEqual([["GR-ENC-001", dev.address]]);
    // Elsewhere the policies say which facts are missing rather than guessing.
    expect(findings(work).map(([rule]) => rule)).toContain("GR-INPUT-003");
  });

  it("writes every report format, JUnit's library loaded on demand", () => {
    for (const format of ["json", "sarif", "junit"]) {
      const output = join(project, `report.${format}`);
      const run = gate(
        "check",
        broken.plan,
        ...flags,
        "--tier",
        "production",
        "--format",
        format,
        "--output",
        output,
      );
      expect(run.status).toBe(1);
      expect(statSync(output).size).toBeGreaterThan(0);
    }
    expect(readFileSync(join(project, "report.junit"), "utf8")).toContain("GR-ENC-001");
  });

  it("lists the rule catalog", () => {
    const run = gate("rules");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^GR-ENC-001 {2}critical {2}/m);
  });

  it("fails closed with exit 2 on input it cannot read", () => {
    const run = gate("check", join(project, "missing.json"));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("missing.json: no such file or folder");
  });
});

describe("action.yml", () => {
  const action = readFileSync(join(ROOT, "action.yml"), "utf8");

  /** Runs the action's step as the runner would: its inputs as GUARDRAILS_* variables. */
  function runAction(inputs: Record<string, string>): {
    status: number | null;
    outputs: Record<string, string>;
    stderr: string;
  } {
    const repository = mkdtempSync(join(work, "consumer-"));
    const outputFile = join(repository, "github-output");
    writeFileSync(outputFile, "");
    const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: repository };
    for (const [name, value] of Object.entries(inputs)) {
      env[`GUARDRAILS_${name.toUpperCase().replace(/-/g, "_")}`] = value;
    }
    const run = spawnSync("bash", [join(ROOT, "scripts", "action-gate.sh")], {
      cwd: repository,
      env,
      encoding: "utf8",
    });
    const outputs = Object.fromEntries(
      readFileSync(outputFile, "utf8")
        .split("\n")
        .filter((line) => line.includes("="))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    return { status: run.status, outputs, stderr: run.stderr };
  }

  const facts = { "organization-id": ORGANIZATION_ID, "account-id": ACCOUNT_ID, tier: "production" };

  it("gates a violating plan: exit 1, verdict failed, a SARIF report with the finding", () => {
    const { status, outputs } = runAction({ package: tarball, paths: broken.plan, ...facts });
    expect(status).toBe(1);
    expect(outputs.verdict).toBe("failed");
    expect(outputs.report).toMatch(/ddb-guardrails\/report\.sarif$/);
    const sarif = JSON.parse(readFileSync(outputs.report, "utf8")) as {
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.runs[0].results.map((r) => r.ruleId)).toEqual(["GR-ENC-001"]);
  });

  it("lets the job go on when asked, the verdict still failed", () => {
    const { status, outputs } = runAction({
      package: tarball,
      paths: broken.plan,
      format: "json",
      "fail-on-violations": "false",
      ...facts,
    });
    expect(status).toBe(0);
    expect(outputs.verdict).toBe("failed");
    expect(outputs.report).toMatch(/report\.json$/);
  });

  it("passes clean stacks: exit 0, verdict passed", () => {
    const { status, outputs } = runAction({
      package: tarball,
      paths: join(project, "cdktf.out"),
      report: join(work, "clean.txt"),
      format: "text",
    });
    expect(status).toBe(0);
    expect(outputs).toEqual({ report: join(work, "clean.txt"), verdict: "passed" });
    expect(readFileSync(join(work, "clean.txt"), "utf8")).toMatch(/^PASSED: 3 stacks/m);
  });

  it("reports an error verdict, exit 2, when it has nothing to gate", () => {
    const { status, outputs, stderr } = runAction({ package: tarball, paths: "" });
    expect(status).toBe(2);
    expect(outputs.verdict).toBe("error");
    expect(stderr).toContain("no paths");
  });

  it("passes every input to the step as an environment variable, never into the script", () => {
    const section = action.slice(action.indexOf("\ninputs:"), action.indexOf("\noutputs:"));
    const inputs = [...section.matchAll(/^ {2}([a-z-]+):\n {4}description:/gm)].map((m) => m[1]);
    expect(inputs).toEqual(
      expect.arrayContaining([
        "paths",
        "config",
        "format",
        "organization-id",
        "account-id",
        "tier",
        "waivers",
      ]),
    );
    for (const input of inputs) {
      const variable = `GUARDRAILS_${input.toUpperCase().replace(/-/g, "_")}`;
      expect(action).toContain(`${variable}: \${{ inputs.${input} }}`);
    }
    const run = action.slice(action.indexOf("      run:"));
    expect(run).not.toContain("${{");
    expect(action).toMatch(/outputs:\n {2}report:[\s\S]*\n {2}verdict:/);
  });

  it("uses no action that is not pinned to a full commit SHA", () => {
    for (const [, reference] of action.matchAll(/uses:\s*(\S+)/g)) {
      expect(reference).toMatch(/@[0-9a-f]{40}$/);
    }
  });
});
