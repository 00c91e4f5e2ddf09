import "@microsoft/jest-sarif";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { EXIT, main } from "../../gate/cli";
import {
  shippedEnvironments,
  shippedFacts,
  synthesizedStack,
  TODAY,
  type TerraformJson,
} from "../support/gate";
import { file, synthFolder } from "../support/files";
import { planFromSynth } from "../support/plan";

declare module "expect" {
  interface Matchers<R> {
    toBeValidSarifLog(): R;
  }
}

const ROOT = join(__dirname, "..", "..");

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  // Plans carry no facts: in process they come from the shipped environments, as the compiled CLI
  // finds them in cdktf.out (tests/package covers that path).
  const environments = () => shippedFacts;
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, environments);
  return { code, stdout, stderr };
}

/** The dev stack with its table's encryption removed: one GR-ENC-001 violation. */
function unencryptedDev(): { document: TerraformJson; address: string } {
  const document = synthesizedStack("dev");
  const [name, table] = Object.entries(document.resource.aws_dynamodb_table)[0];
  delete table.server_side_encryption;
  return { document, address: `aws_dynamodb_table.${name}` };
}

const clean = Object.fromEntries(shippedEnvironments.map((env) => [env.name, synthesizedStack(env.name)]));
const cleanFolder = synthFolder(clean);
const broken = unencryptedDev();
const brokenFolder = synthFolder({ ...clean, dev: broken.document });

const waiverFile = (expires: string, address = broken.address) =>
  file(
    "waivers.json",
    JSON.stringify({
      waivers: [
        { rule: "GR-ENC-001", address, stack: "dev", reason: "table is being migrated to its key", expires },
      ],
    }),
  );

describe("ddb-guardrails check", () => {
  describe("text", () => {
    it("passes clean stacks with exit 0 and a summary line", async () => {
      const { code, stdout } = await run("check", cleanFolder, "--today", TODAY);
      expect(code).toBe(EXIT.clean);
      expect(stdout).toMatch(/^dev \(.*stacks\/dev\/cdk\.tf\.json, cdktf\): passed$/m);
      expect(stdout).toMatch(/^PASSED: 3 stacks checked against \d+ rules, 0 violations, 0 waived$/m);
    });

    it("fails with exit 1 and a readable table grouped by stack", async () => {
      const { code, stdout } = await run("check", brokenFolder, "--today", TODAY);
      expect(code).toBe(EXIT.violations);
      expect(stdout).toMatch(/^dev \(.*\): 1 violation$/m);
      expect(stdout).toMatch(/^prod \(.*\): passed$/m);
      expect(stdout).toContain(`critical  GR-ENC-001  ${broken.address}`);
      expect(stdout).toContain(`${broken.address}: it has no server_side_encryption block`);
      expect(stdout).toMatch(
        /^FAILED: 3 stacks checked against \d+ rules, 1 violation \(1 critical\), 0 waived$/m,
      );
    });
  });

  it("writes machine-readable JSON", async () => {
    const { code, stdout } = await run("check", brokenFolder, "--format", "json", "--today", TODAY);
    expect(code).toBe(EXIT.violations);
    const report = JSON.parse(stdout);
    expect(report.passed).toBe(false);
    expect(report.summary).toEqual({
      stacks: 3,
      violations: 1,
      waived: 0,
      by_severity: { critical: 1, high: 0, medium: 0, low: 0 },
    });
    const dev = report.stacks.find((s: { stack: string }) => s.stack === "dev");
    expect(dev.findings).toEqual([
      expect.objectContaining({
        rule: "GR-ENC-001",
        severity: "critical",
        address: broken.address,
        stack: "dev",
        status: "violation",
      }),
    ]);
  });

  describe("sarif", () => {
    it("is a valid SARIF 2.1.0 log with the rule catalog and one result per finding", async () => {
      const { code, stdout } = await run("check", brokenFolder, "--format", "sarif", "--today", TODAY);
      expect(code).toBe(EXIT.violations);
      const log = JSON.parse(stdout);
      expect(log).toBeValidSarifLog();
      const [sarifRun] = log.runs;
      expect(sarifRun.tool.driver.rules.map((r: { id: string }) => r.id)).toContain("GR-ENC-001");
      expect(sarifRun.results).toHaveLength(1);
      const [result] = sarifRun.results;
      expect(result).toMatchObject({ ruleId: "GR-ENC-001", level: "error" });
      expect(sarifRun.tool.driver.rules[result.ruleIndex].id).toBe("GR-ENC-001");
      // The alert opens the environment's definition; the generated JSON is a related location.
      expect(result.locations[0].physicalLocation.artifactLocation).toEqual({
        uri: "environments/dev.ts",
        uriBaseId: "%SRCROOT%",
      });
      const location = result.relatedLocations[0].physicalLocation;
      expect(location.artifactLocation.uri).toMatch(/^file:\/\/.*stacks\/dev\/cdk\.tf\.json$/);
      const line = readFileSync(join(brokenFolder, "stacks", "dev", "cdk.tf.json"), "utf8").split("\n")[
        location.region.startLine - 1
      ];
      expect(line).toContain(`"${broken.address.split(".")[1]}": {`);
    });

    it("reports waived findings as suppressed results", async () => {
      const { code, stdout } = await run(
        "check",
        brokenFolder,
        "--format",
        "sarif",
        "--waivers",
        waiverFile("2026-12-31"),
        "--today",
        TODAY,
      );
      expect(code).toBe(EXIT.clean);
      const log = JSON.parse(stdout);
      expect(log).toBeValidSarifLog();
      expect(log.runs[0].results[0].suppressions).toEqual([
        {
          kind: "external",
          status: "accepted",
          justification: "table is being migrated to its key (until 2026-12-31)",
        },
      ]);
    });
  });

  it("writes JUnit XML with a suite per stack and a test case per rule", async () => {
    const { code, stdout } = await run("check", brokenFolder, "--format", "junit", "--today", TODAY);
    expect(code).toBe(EXIT.violations);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(stdout);
    const suites = parsed.testsuites.testsuite as {
      name: string;
      tests: string;
      failures: string;
      testcase: { name: string; failure?: { message: string; type: string } }[];
    }[];
    expect(suites.map((s) => s.name)).toEqual([
      "ddb-guardrails.dev",
      "ddb-guardrails.prod",
      "ddb-guardrails.staging",
    ]);
    const [dev, prod] = suites;
    expect(Number(dev.failures)).toBe(1);
    expect(Number(prod.failures)).toBe(0);
    expect(Number(dev.tests)).toBe(dev.testcase.length);
    const failing = dev.testcase.filter((c) => c.failure);
    expect(failing).toHaveLength(1);
    expect(failing[0].name).toMatch(/^GR-ENC-001 /);
    expect(failing[0].failure?.type).toBe("GR-ENC-001");
  });

  it("writes the report to --output and the verdict to standard error", async () => {
    const output = join(mkdtempSync(join(tmpdir(), "report-")), "report.json");
    const { code, stdout, stderr } = await run(
      "check",
      brokenFolder,
      "--format",
      "json",
      "--output",
      output,
      "--today",
      TODAY,
    );
    expect(code).toBe(EXIT.violations);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      `FAILED: 1 violation(s), 0 waived in 3 stack(s); json report written to ${output}`,
    );
    expect(JSON.parse(readFileSync(output, "utf8")).passed).toBe(false);
  });

  describe("waivers", () => {
    it("report a waived finding as waived and pass", async () => {
      const { code, stdout } = await run(
        "check",
        brokenFolder,
        "--waivers",
        waiverFile("2026-12-31"),
        "--today",
        TODAY,
      );
      expect(code).toBe(EXIT.clean);
      expect(stdout).toContain(`waived    GR-ENC-001  ${broken.address}`);
      expect(stdout).toContain("waived until 2026-12-31: table is being migrated to its key");
      expect(stdout).toMatch(/^PASSED: .*, 0 violations, 1 waived$/m);
    });

    it("fail again once expired", async () => {
      const { code, stdout } = await run(
        "check",
        brokenFolder,
        "--waivers",
        waiverFile("2026-11-23"),
        "--today",
        TODAY,
      );
      expect(code).toBe(EXIT.violations);
      expect(stdout).toContain("(the waiver for this finding expired on 2026-11-23)");
    });

    it("warn about a waiver that matches nothing", async () => {
      const { code, stdout } = await run(
        "check",
        cleanFolder,
        "--waivers",
        waiverFile("2026-12-31", "aws_dynamodb_table.gone"),
        "--today",
        TODAY,
      );
      expect(code).toBe(EXIT.clean);
      expect(stdout).toContain(
        "warning: waiver for GR-ENC-001 on aws_dynamodb_table.gone (dev) matched no finding; remove it",
      );
    });
  });

  describe("inputs", () => {
    it("gates a single cdk.tf.json, named after its folder when it lacks cdktf's metadata", async () => {
      const single = join(brokenFolder, "stacks", "dev", "cdk.tf.json");
      const { code, stdout } = await run("check", single, "--today", TODAY);
      expect(code).toBe(EXIT.violations);
      expect(stdout).toMatch(/^dev \(.*cdk\.tf\.json, cdktf\): 1 violation$/m);
    });

    it("fails a cdk.tf.json that calls a Terraform module, whose resources only a plan shows", async () => {
      const withModule = {
        ...clean.dev,
        module: { tables: { source: "terraform-aws-modules/dynamodb-table/aws", name: "orders" } },
      };
      const { code, stdout } = await run("check", synthFolder({ dev: withModule }), "--today", TODAY);
      expect(code).toBe(EXIT.violations);
      expect(stdout).toMatch(/^dev \(.*cdk\.tf\.json, cdktf\): 1 violation$/m);
      expect(stdout).toMatch(
        /GR-INPUT-001 +module\.tables\n +module\.tables: the stack calls a Terraform module/,
      );
    });

    it("gates a plan, naming the stack after the file", async () => {
      const plan = planFromSynth(broken.document, { accountId: "111122223333", region: "us-east-1" });
      const { code, stdout } = await run(
        "check",
        file("dev.plan.json", JSON.stringify(plan)),
        "--today",
        TODAY,
      );
      expect(code).toBe(EXIT.violations);
      expect(stdout).toMatch(/^dev \(.*dev\.plan\.json, plan\): 1 violation$/m);
      expect(stdout).toContain(`GR-ENC-001  ${broken.address}`);
    });

    it("gates a plan of another origin with the facts given as flags", async () => {
      const plan = planFromSynth(clean.dev, { accountId: "111122223333", region: "us-east-1" });
      const orders = file("orders.json", JSON.stringify(plan));
      expect((await run("check", orders, "--today", TODAY)).stdout).toContain("GR-INPUT-003");
      const { code } = await run(
        "check",
        orders,
        "--organization-id",
        "o-a1b2c3d4e5",
        "--account-id",
        "111122223333",
        "--today",
        TODAY,
      );
      expect(code).toBe(EXIT.clean);
    });

    it("holds a production plan of another origin to the backup retention given as a flag", async () => {
      const plan = planFromSynth(clean.prod, { accountId: "777788889999", region: "us-east-1" });
      const orders = file("orders.json", JSON.stringify(plan));
      const facts = [
        "--organization-id",
        "o-a1b2c3d4e5",
        "--account-id",
        "777788889999",
        "--tier",
        "production",
      ];
      // 35 days by default, which the shipped vault lock keeps.
      expect((await run("check", orders, ...facts, "--today", TODAY)).code).toBe(EXIT.clean);
      const { code, stdout } = await run(
        "check",
        orders,
        ...facts,
        "--backup-retention-days",
        "90",
        "--today",
        TODAY,
      );
      expect(code).toBe(EXIT.violations);
      expect(stdout).toContain("GR-DP-003");
      expect(stdout).toContain("below the required 90");
    });
  });

  describe("keys kept outside the stack", () => {
    /** The dev stack with its alert topic encrypted under an alias the stack does not declare. */
    const centralKey = () => {
      const document = synthesizedStack("dev");
      const [name, topic] = Object.entries(document.resource.aws_sns_topic)[0];
      topic.kms_master_key_id = "alias/central-alerts";
      return { folder: synthFolder({ dev: document }), address: `aws_sns_topic.${name}` };
    };

    it("cannot verify an alias the stack does not declare", async () => {
      const { folder, address } = centralKey();
      const { code, stdout } = await run("check", folder, "--today", TODAY);
      expect(code).toBe(EXIT.violations);
      expect(stdout).toContain(`GR-ENC-005  ${address}`);
      expect(stdout).toContain(
        "cannot verify that kms_master_key_id alias/central-alerts is a customer-managed key",
      );
      expect(stdout).not.toContain("is not a customer-managed key");
    });

    it("counts a --trusted-key as customer-managed", async () => {
      const { folder } = centralKey();
      const { code } = await run("check", folder, "--trusted-key", "alias/central-alerts", "--today", TODAY);
      expect(code).toBe(EXIT.clean);
    });
  });

  describe("fails closed with exit 2 and names the file and the cause", () => {
    it.each<[string, () => string[], RegExp]>([
      [
        "a missing path",
        () => ["check", "/nonexistent/cdktf.out"],
        /\/nonexistent\/cdktf\.out: no such file or folder/,
      ],
      [
        "a file that is not JSON",
        () => ["check", file("cdk.tf.json", "{ not json")],
        /cdk\.tf\.json: not valid JSON/,
      ],
      [
        "JSON of an unknown shape",
        () => ["check", file("other.json", '{"format_version":"1.0"}')],
        /other\.json: unknown input format: expected a CDKTF cdk\.tf\.json .*"planned_values"\)$/m,
      ],
      [
        "a stack that declares a resource twice (Terraform's JSON array forms can)",
        () => [
          "check",
          file(
            "cdk.tf.json",
            JSON.stringify({ resource: [{ aws_sqs_queue: { q: {} } }, { aws_sqs_queue: { q: {} } }] }),
          ),
        ],
        /cdk\.tf\.json: declares aws_sqs_queue\.q twice, which Terraform refuses; keep one declaration of it/,
      ],
      [
        "a saved plan file instead of its JSON",
        () => [
          "check",
          file("prod.tfplan", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0xff, 0xfe, 0x00])),
        ],
        /prod\.tfplan: not JSON: it is a saved plan, a zip archive only Terraform reads; give the gate its JSON: `terraform show -json prod\.tfplan > <stack>\.plan\.json`/,
      ],
      [
        "HCL, as `cdktf synth --hcl` writes it",
        () => [
          "check",
          file(
            "cdk.tf",
            'terraform {\n  required_version = ">= 1.5"\n}\n\nresource "aws_dynamodb_table" "t" {\n  name = "orders"\n}\n',
          ),
        ],
        /cdk\.tf: not valid JSON \(.*\); it is HCL, Terraform's native syntax \(`cdktf synth --hcl` writes cdk\.tf\): synthesize JSON with `cdktf synth`/,
      ],
      [
        "the JSON of a state, not a plan",
        () => ["check", file("state.json", '{"format_version":"1.0","values":{}}')],
        /state\.json: unknown input format: .*; it has format_version and values but no planned_values, so it is the JSON of a state/,
      ],
      [
        "the log `terraform plan -json` streams, not the plan",
        () => [
          "check",
          file(
            "prod.plan.json",
            [
              '{"@level":"info","@message":"Terraform 1.14.0","@module":"terraform.ui","terraform":"1.14.0","type":"version","ui":"1.2"}',
              '{"@level":"info","@message":"Plan: 1 to add, 0 to change, 0 to destroy.","@module":"terraform.ui","changes":{"add":1,"change":0,"remove":0,"operation":"plan"},"type":"change_summary"}',
              "",
            ].join("\n"),
          ),
        ],
        /prod\.plan\.json: not valid JSON \(.*\); it is the log `terraform plan -json` streams, one JSON message a line, not the plan; save the plan with `terraform plan -out=plan\.tfplan`/,
      ],
      [
        "a folder without a manifest",
        () => ["check", mkdtempSync(join(tmpdir(), "empty-"))],
        /manifest\.json: cannot read it \(ENOENT\)/,
      ],
      [
        "a manifest of another shape",
        () => [
          "check",
          (() => {
            const d = mkdtempSync(join(tmpdir(), "m-"));
            writeFileSync(join(d, "manifest.json"), "{}");
            return d;
          })(),
        ],
        /manifest\.json: not a cdktf manifest/,
      ],
      [
        "an AWS-managed key given as a trusted key",
        () => ["check", cleanFolder, "--trusted-key", "alias/aws/sns"],
        /--trusted-key alias\/aws\/sns: expected a KMS key ARN .*not an AWS-managed alias\/aws\//,
      ],
      [
        "an invalid waiver",
        () => [
          "check",
          cleanFolder,
          "--waivers",
          file("w.json", '{"waivers":[{"rule":"GR-ENC-001","address":"x","reason":"","expires":"soon"}]}'),
        ],
        /w\.json: invalid waivers:\n {2}- waivers\[0\]\.reason: .*\n {2}- waivers\[0\]\.expires: an expiry date as YYYY-MM-DD/,
      ],
      [
        "a missing waiver file",
        () => ["check", cleanFolder, "--waivers", "/nonexistent/waivers.json"],
        /waivers\.json: waiver file not found/,
      ],
      [
        "an unknown format",
        () => ["check", cleanFolder, "--format", "xml"],
        /--format xml: expected one of text, json, sarif, junit/,
      ],
      ["an unknown option", () => ["check", cleanFolder, "--verbose"], /Unknown option '--verbose'/],
      ["an unknown command", () => ["scan", cleanFolder], /unknown command "scan"/],
      ["no input", () => ["check"], /no input: pass a cdktf\.out folder/],
      [
        "a backup retention that is not a number of days",
        () => ["check", cleanFolder, "--backup-retention-days", "a month"],
        /--backup-retention-days a month: expected a positive whole number of days/,
      ],
      [
        "a bad date",
        () => ["check", cleanFolder, "--today", "24/11/2026"],
        /--today 24\/11\/2026: expected a date as YYYY-MM-DD/,
      ],
    ])("on %s", async (_name, argv, message) => {
      const { code, stderr } = await run(...argv());
      expect(code).toBe(EXIT.error);
      expect(stderr).toMatch(message);
    });

    it("with usage when run without a command", async () => {
      const { code, stderr } = await run();
      expect(code).toBe(EXIT.error);
      expect(stderr).toContain("Usage: ddb-guardrails check <path>...");
    });
  });

  it("lists the rules", async () => {
    const { code, stdout } = await run("rules");
    expect(code).toBe(EXIT.clean);
    expect(stdout).toMatch(
      /^GR-ENC-001 {2}critical {2}DynamoDB tables are encrypted with a customer-managed key$/m,
    );
  });

  it("exits with the same codes as a process", () => {
    const bin = join(ROOT, "bin", "ddb-guardrails.js");
    const status = (...args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: "utf8" }).status;
    expect(status("check", cleanFolder, "--today", TODAY)).toBe(0);
    expect(status("check", brokenFolder, "--today", TODAY)).toBe(1);
    expect(status("check", "/nonexistent")).toBe(2);
  });
});
