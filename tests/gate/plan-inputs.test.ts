import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, main } from "../../gate/cli";
import {
  shippedEnvironments,
  shippedFacts,
  synthesizedStack,
  TODAY,
  type TerraformJson,
  targetOf,
} from "../support/gate";
import { file, synthFolder } from "../support/files";
import { planFromSynth } from "../support/plan";
import { recreated, renamed } from "../support/plan-changes";
import { inArrayForms } from "../support/terraform-json-forms";

/*
 * Plans as pipelines hand them to the gate: the first plan of a new environment, joined with its
 * synthesized stack (--config); plans that do not match that stack; and plans as Terraform and the
 * shells around it really write them (byte-order marks, UTF-16, format versions).
 */

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  // A plan alone carries no facts: in process they come from the shipped stacks, as the compiled
  // CLI finds them in cdktf.out beside it.
  const code = await main(
    [...argv, "--today", TODAY],
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    () => shippedFacts,
  );
  return { code, stdout, stderr };
}

const addresses = (stack: TerraformJson) =>
  new Set(
    Object.entries(stack.resource).flatMap(([type, named]) => Object.keys(named).map((n) => `${type}.${n}`)),
  );

/** The first plan of a new environment: everything is created, and every value holding a reference is unknown. */
const firstPlan = (name: string, stack: TerraformJson) =>
  planFromSynth(stack, { ...targetOf(name), unknown: addresses(stack) });

const names = shippedEnvironments.map((e) => e.name);
const stacks = Object.fromEntries(names.map((name) => [name, synthesizedStack(name)]));
const cdktfOut = synthFolder(stacks);
const planFile = (name: string, plan: unknown) => file(`${name}.plan.json`, JSON.stringify(plan, null, 2));

describe("the first plan of a new environment", () => {
  it.each(names)("%s: alone it cannot be verified, so it fails", async (name) => {
    const { code, stdout } = await run("check", planFile(name, firstPlan(name, stacks[name])));
    expect(code).toBe(EXIT.violations);
    expect(stdout).toContain("GR-INPUT-002");
    expect(stdout).toMatch(
      /: cannot verify the policy in policy because the plan leaves it unknown until apply; join the plan with its synthesized stack/,
    );
  });

  it.each(names)("%s: joined with cdktf.out it gets its cdk.tf.json's clean verdict", async (name) => {
    const { code, stdout } = await run(
      "check",
      planFile(name, firstPlan(name, stacks[name])),
      "--config",
      cdktfOut,
    );
    expect(stdout).toMatch(
      new RegExp(`^${name} \\(.*${name}\\.plan\\.json, plan with .*cdk\\.tf\\.json\\): passed$`, "m"),
    );
    expect(code).toBe(EXIT.clean);
  });

  it("takes what the plan leaves unknown from the configuration, and judges it", async () => {
    const open = structuredClone(stacks.dev);
    const [name, endpoint] = Object.entries(open.resource.aws_vpc_endpoint)[0];
    endpoint.policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "FullAccess", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
    });
    // The plan was made from the clean stack: its endpoint policy names tables, so it is unknown.
    const { code, stdout } = await run(
      "check",
      planFile("dev", firstPlan("dev", stacks.dev)),
      "--config",
      synthFolder({ dev: open }),
      "--format",
      "json",
    );
    expect(code).toBe(EXIT.violations);
    const findings = JSON.parse(stdout).stacks[0].findings as { rule: string; address: string }[];
    expect(findings.map((f) => [f.rule, f.address])).toEqual([["GR-NET-002", `aws_vpc_endpoint.${name}`]]);
  });

  it("joined with a stack in the array forms of Terraform's JSON syntax, it gets the same verdict", async () => {
    const written = inArrayForms(stacks.dev, { sections: 2, types: 2, bodies: 2 }) as TerraformJson;
    const { code, stdout } = await run(
      "check",
      planFile("dev", firstPlan("dev", stacks.dev)),
      "--config",
      synthFolder({ dev: written }),
    );
    expect(stdout).toMatch(/^dev \(.*dev\.plan\.json, plan with .*cdk\.tf\.json\): passed$/m);
    expect(code).toBe(EXIT.clean);
  });

  it("also pairs with a single cdk.tf.json", async () => {
    const config = synthFolder({ prod: stacks.prod });
    const { code } = await run(
      "check",
      planFile("prod", firstPlan("prod", stacks.prod)),
      "--config",
      `${config}/stacks/prod/cdk.tf.json`,
    );
    expect(code).toBe(EXIT.clean);
  });
});

describe("a plan joined with its configuration", () => {
  it("still sees the change: a table deleted by a rename without a moved block fails", async () => {
    const table = `aws_dynamodb_table.${Object.keys(stacks.prod.resource.aws_dynamodb_table)[0]}`;
    const next = renamed(stacks.prod, table, "Catalog");
    const plan = recreated(planFromSynth(next, targetOf("prod")), "aws_dynamodb_table.Catalog", table);
    const { code, stdout } = await run(
      "check",
      planFile("prod", plan),
      "--config",
      synthFolder({ prod: next }),
    );
    expect(code).toBe(EXIT.violations);
    expect(stdout).toContain(`critical  GR-CHG-001  ${table}`);
    expect(stdout).toContain("every item in it is destroyed");
  });

  it("refuses a plan that does not match its configuration, naming the addresses", async () => {
    const stale = structuredClone(stacks.dev);
    const [topic] = Object.keys(stale.resource.aws_sns_topic);
    Reflect.deleteProperty(stale.resource.aws_sns_topic, topic);
    stale.resource.aws_s3_bucket_versioning ??= {};
    stale.resource.aws_s3_bucket_versioning.extra = { bucket: "x" };
    const { code, stderr } = await run(
      "check",
      planFile("dev", firstPlan("dev", stacks.dev)),
      "--config",
      synthFolder({ dev: stale }),
    );
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain("dev.plan.json does not match");
    expect(stderr).toContain(`in the plan only: aws_sns_topic.${topic}`);
    expect(stderr).toContain("in the configuration only: aws_s3_bucket_versioning.extra");
    expect(stderr).toContain("synthesize and plan from the same commit");
  });

  it("refuses a plan with no stack of its name under --config", async () => {
    const { code, stderr } = await run(
      "check",
      planFile("qa", firstPlan("dev", stacks.dev)),
      "--config",
      cdktfOut,
    );
    expect(code).toBe(EXIT.error);
    expect(stderr).toMatch(
      /qa\.plan\.json: no synthesized stack named "qa" under --config \(stacks there: dev, prod, staging\)/,
    );
  });

  it("refuses a plan given as the configuration", async () => {
    const plan = planFile("dev", firstPlan("dev", stacks.dev));
    const { code, stderr } = await run("check", plan, "--config", plan);
    expect(code).toBe(EXIT.error);
    expect(stderr).toMatch(/--config .*dev\.plan\.json: a plan, not a synthesized stack/);
  });
});

describe("plans as Terraform and shells write them", () => {
  const broken = structuredClone(stacks.dev);
  const [tableName, table] = Object.entries(broken.resource.aws_dynamodb_table)[0];
  delete table.server_side_encryption;
  const text = JSON.stringify(planFromSynth(broken, targetOf("dev")), null, 2);
  const utf16be = (value: string) => Buffer.from(value, "utf16le").swap16();

  it.each<[string, Uint8Array]>([
    ["UTF-8", Buffer.from(text, "utf8")],
    [
      "UTF-8 with a byte-order mark",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]),
    ],
    ["UTF-16 LE with a byte-order mark (Windows PowerShell)", Buffer.from(`\ufeff${text}`, "utf16le")],
    ["UTF-16 BE with a byte-order mark", utf16be(`\ufeff${text}`)],
  ])("gates %s like its UTF-8 twin", async (_encoding, bytes) => {
    const { code, stdout } = await run("check", file("dev.plan.json", bytes), "--format", "json");
    expect(code).toBe(EXIT.violations);
    const [stack] = JSON.parse(stdout).stacks as { findings: { rule: string; address: string }[] }[];
    expect(stack.findings.map((f) => [f.rule, f.address])).toEqual([
      ["GR-ENC-001", `aws_dynamodb_table.${tableName}`],
    ]);
  });

  it("refuses the output of setup-terraform's wrapper, naming the setting that writes plain JSON", async () => {
    // What `terraform show -json plan > dev.plan.json` writes under hashicorp/setup-terraform's wrapper.
    const wrapped = [
      "[command]/home/runner/work/_temp/3b9a/terraform-bin show -json plan.tfplan",
      text,
      "::debug::Terraform exited with code 0.",
      "::debug::stdout: {}",
      "",
    ].join("\n");
    const { code, stderr } = await run("check", file("dev.plan.json", wrapped));
    expect(code).toBe(EXIT.error);
    expect(stderr).toMatch(
      /dev\.plan\.json: not valid JSON \(.*\); it holds the output of hashicorp\/setup-terraform's wrapper .*set `terraform_wrapper: false`/,
    );
  });

  it("refuses bytes that are not text in any accepted encoding", async () => {
    const { code, stderr } = await run(
      "check",
      file("dev.plan.json", Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a, 0x0a])),
    );
    expect(code).toBe(EXIT.error);
    expect(stderr).toMatch(/dev\.plan\.json: not valid UTF-8 text; save it as UTF-8/);
  });

  it("gates modules at depth, for_each and count instances, moves, deposed objects and drift", async () => {
    // Written from Terraform's documented JSON plan format: see policies/lib/testdata/README.md.
    const shapes = readFileSync(
      join(__dirname, "..", "..", "policies", "lib", "testdata", "plan_shapes", "plan.json"),
    );
    const { code, stdout } = await run(
      "check",
      file("app.plan.json", shapes),
      "--organization-id",
      "o-a1b2c3d4e5",
      "--account-id",
      "111122223333",
      "--format",
      "json",
    );
    expect(code).toBe(EXIT.violations);
    const findings = JSON.parse(stdout).stacks[0].findings as { rule: string; address: string }[];
    const addresses = new Set(findings.map((f) => f.address));
    expect(addresses).toContain('aws_dynamodb_table.orders["us"]');
    expect(addresses).toContain('module.data["x"].module.inner.module.leaf.aws_kms_key.k[0]');
    // The moved table and the deposed object are not deletions; the role policy's statement is
    // reported once, on the aws_iam_role_policy that declares it, not again on the role.
    expect(findings.filter((f) => f.rule.startsWith("GR-CHG-"))).toEqual([]);
    expect(
      findings
        .filter((f) => f.rule === "GR-NET-003")
        .map((f) => f.address)
        .sort(),
    ).toEqual(["aws_iam_role.app", "aws_iam_role_policy.app_data"]);
  });

  it("refuses a plan Terraform could not finish", async () => {
    const plan = { ...planFromSynth(stacks.dev, targetOf("dev")), errored: true };
    const { code, stderr } = await run("check", planFile("dev", plan));
    expect(code).toBe(EXIT.error);
    expect(stderr).toMatch(/dev\.plan\.json: the plan errored/);
  });

  it("points at the resource's line whether the plan is compact, as Terraform writes it, or indented", async () => {
    const plan = planFromSynth(broken, targetOf("dev"));
    const address = `aws_dynamodb_table.${tableName}`;
    for (const text of [JSON.stringify(plan), JSON.stringify(plan, null, 2)]) {
      const path = file("dev.plan.json", text);
      const { stdout } = await run("check", path, "--format", "sarif");
      const [result] = JSON.parse(stdout).runs[0].results;
      // dev is defined here, so the alert opens environments/dev.ts and the plan's line is related.
      const line = text.split("\n")[result.relatedLocations[0].physicalLocation.region.startLine - 1];
      expect(line).toContain(JSON.stringify(address));
    }
  });

  it.each(["0.2", "1.0", "1.2", "1.9"])("reads format_version %s", async (version) => {
    const plan = { ...planFromSynth(stacks.dev, targetOf("dev")), format_version: version };
    expect((await run("check", planFile("dev", plan))).code).toBe(EXIT.clean);
  });

  it.each(["9.0", "2.0", "10.1"])(
    "refuses format_version %s with exit 2, naming the file and the version",
    async (version) => {
      const plan = { ...planFromSynth(stacks.dev, targetOf("dev")), format_version: version };
      const { code, stderr } = await run("check", planFile("dev", plan));
      expect(code).toBe(EXIT.error);
      expect(stderr).toMatch(
        new RegExp(
          `dev\\.plan\\.json: format_version is "${version.replace(".", "\\.")}", and only versions 0\\.x and 1\\.x`,
        ),
      );
    },
  );
});
