import "@microsoft/jest-sarif";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import type { Log, Result } from "sarif";
import type { Environment } from "../../config/schema";
import { EXIT, main } from "../../gate/cli";
import { entryOf, lineOfEntry } from "../../gate/definition-lines";
import type { StackDocument } from "../../gate/inputs";
import { repositoryRoot } from "../../gate/repository-root";
import {
  shippedEnvironments,
  synthesizedStack,
  TODAY,
  type TerraformJson,
  shippedFacts,
} from "../support/gate";
import { planFromSynth } from "../support/plan";
import { environment } from "../support/synth";
import { environmentFacts } from "../../config/stack-facts";
import { FACTS_KEY, type DefinitionFacts } from "../../gate/facts";

declare module "expect" {
  interface Matchers<R> {
    toBeValidSarifLog(): R;
  }
}

const ROOT = join(__dirname, "..", "..");

/** What synthesis writes into the stack's facts about its definition (config/stack-facts.ts). */
const definitionOf = (env: Environment): DefinitionFacts => {
  const { definition } = environmentFacts(env);
  if (!definition) throw new Error(`no definition facts for ${env.name}`);
  return definition;
};
const DEV_DEFINITION = readFileSync(join(ROOT, "environments", "dev.ts"), "utf8");

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineContaining(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`no line contains ${needle}`);
  return index + 1;
}

const cdktfDocument = (stack: string, document: TerraformJson): StackDocument => ({
  stack,
  source: `cdktf.out/stacks/${stack}/cdk.tf.json`,
  format: "cdktf",
  document,
  text: JSON.stringify(document, null, 2),
});

describe("definition entries", () => {
  it.each(shippedEnvironments.map((env): [string, Environment] => [env.name, env]))(
    "every resource of the shipped %s stack belongs to a table, team, the network or the alerts",
    (name, env) => {
      const document = synthesizedStack(name);
      const doc = cdktfDocument(name, document);
      const unmapped = Object.entries(document.resource)
        .flatMap(([type, blocks]) => Object.keys(blocks).map((block) => `${type}.${block}`))
        .filter((address) => entryOf(doc, address, definitionOf(env)) === undefined);
      expect(unmapped).toEqual([]);
    },
  );

  const twoTables = environment((d) => {
    d.tables = [
      ...d.tables,
      { name: "ProductCatalog_v2", partitionKey: { name: "Id", type: "N" }, dataClassification: "internal" },
    ];
  });
  const empty = cdktfDocument("dev", { resource: {} });

  it.each([
    ["aws_dynamodb_table.ProductCatalog_table_B7DAE06F", { property: "tables", name: "ProductCatalog" }],
    ["aws_kms_key.ProductCatalog-key_AA8E4539", { property: "tables", name: "ProductCatalog" }],
    [
      "aws_dynamodb_table.ProductCatalog_v2_table_0A1B2C3D",
      { property: "tables", name: "ProductCatalog_v2" },
    ],
    ["aws_iam_role_policy.team-books_role_permissions_81C8BD8F", { property: "teams", name: "books" }],
    ["aws_vpc_endpoint.network_dynamodb-endpoint_E22EA307", { property: "network" }],
    ["aws_cloudtrail.audit_trail_91FB908D", { property: "alerts" }],
    ["aws_sns_topic.alerts_topic_3313844B", { property: "alerts" }],
    ["data.aws_iam_policy_document.network_endpoint_0A1B2C3D", { property: "network" }],
  ])("tells the entry of %s from its logical id", (address, entry) => {
    expect(entryOf(empty, address, definitionOf(twoTables))).toEqual(entry);
  });

  it("reads the construct path cdktf records in real synth output before the logical id", () => {
    const doc = cdktfDocument("dev", {
      resource: {
        aws_iam_role: { renamed_1234ABCD: { "//": { metadata: { path: "dev/team-bicycles/role" } } } },
      },
    });
    expect(entryOf(doc, "aws_iam_role.renamed_1234ABCD", definitionOf(twoTables))).toEqual({
      property: "teams",
      name: "bicycles",
    });
  });

  it("belongs nowhere for stack-wide findings and resources of no entry", () => {
    expect(entryOf(empty, "", definitionOf(twoTables))).toBeUndefined();
    expect(entryOf(empty, "aws_s3_bucket.somebody_else_1234ABCD", definitionOf(twoTables))).toBeUndefined();
  });

  const QA = `import { defineEnvironment } from "../config/schema";

export default defineEnvironment({
  name: "qa",
  tier: "staging",
  teams: [
    { name: "checkout", grants: [{ table: "Orders", access: "read" }] },
    { name: "orders", grants: [{ table: "Orders", access: "read" }] },
  ],
  tables: [
    { name: 'Orders', partitionKey: { name: "Id", type: "S" } },
    { name: \`Orders_v2\`, partitionKey: { name: "Id", type: "S" } },
  ],
  network: { mode: "existing", vpcId: "vpc-0a1b2c3d4e5f67890" },
  alerts: { emails: ["oncall@example.com"] },
});
`;

  it.each<[string, Parameters<typeof lineOfEntry>[1], string]>([
    ["a table, by its name after `tables:`", { property: "tables", name: "Orders" }, "{ name: 'Orders'"],
    ["a table named in a template literal", { property: "tables", name: "Orders_v2" }, "{ name: `Orders_v2`"],
    ["a team, by its name after `teams:`", { property: "teams", name: "orders" }, '{ name: "orders"'],
    ["the network", { property: "network" }, "network: {"],
    ["the alerts", { property: "alerts" }, "alerts: {"],
    ["a table defined elsewhere, at `tables:`", { property: "tables", name: "Invoices" }, "tables: ["],
  ])("finds %s", (_what, entry, expected) => {
    expect(lineOfEntry(QA, entry)).toBe(lineContaining(QA, expected));
  });

  it("falls back to the first line", () => {
    expect(lineOfEntry(QA, undefined)).toBe(1);
    expect(lineOfEntry("export default {};\n", { property: "network" })).toBe(1);
  });
});

describe("SARIF locations", () => {
  // Inside the repository (build/ is ignored), as a pipeline's cdktf.out is.
  let workDir: string;
  const cwd = process.cwd();

  beforeAll(() => {
    mkdirSync(join(ROOT, "build"), { recursive: true });
    workDir = mkdtempSync(join(ROOT, "build", "sarif-locations-"));
  });
  afterAll(() => {
    process.chdir(cwd);
    rmSync(workDir, { recursive: true, force: true });
  });

  /** The dev stack with one mistake in its table, a team, the network and the alerts. */
  function brokenDev(): { document: TerraformJson; addresses: Record<string, string> } {
    const document = synthesizedStack("dev");
    const named = (type: string, prefix: string) => {
      const name = Object.keys(document.resource[type]).find((n) => n.startsWith(prefix));
      if (name === undefined) throw new Error(`no ${type} ${prefix}*`);
      return [name, document.resource[type][name]] as const;
    };
    const [table, tableBlock] = named("aws_dynamodb_table", "ProductCatalog_");
    delete tableBlock.server_side_encryption;
    const [role, roleBlock] = named("aws_iam_role", "team-books_");
    const trust = JSON.parse(String(roleBlock.assume_role_policy));
    trust.Statement[0].Principal = { AWS: "*" };
    roleBlock.assume_role_policy = JSON.stringify(trust);
    const [endpoint, endpointBlock] = named("aws_vpc_endpoint", "network_");
    endpointBlock.policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
    });
    return {
      document,
      addresses: {
        table: `aws_dynamodb_table.${table}`,
        team: `aws_iam_role.${role}`,
        network: `aws_vpc_endpoint.${endpoint}`,
      },
    };
  }

  function synthFolder(dir: string, stacks: Record<string, TerraformJson>): string {
    const manifest: Record<string, unknown> = {};
    for (const [name, stack] of Object.entries(stacks)) {
      // The facts `cdktf synth` writes into each stack (Testing.synth leaves out "//").
      const document = { "//": { [FACTS_KEY]: shippedFacts.get(name) }, ...stack };
      mkdirSync(join(dir, "stacks", name), { recursive: true });
      writeFileSync(join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify(document, null, 2));
      manifest[name] = { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: "." };
    }
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: manifest }));
    return dir;
  }

  async function sarif(...argv: string[]): Promise<{ code: number; log: Log; text: string }> {
    let text = "";
    // A plan alone carries no facts: in process they come from the shipped stacks, as the compiled
    // CLI finds them in cdktf.out beside it.
    const code = await main(
      ["check", ...argv, "--format", "sarif", "--today", TODAY],
      { stdout: (t) => (text += t), stderr: () => undefined },
      () => shippedFacts,
    );
    return { code, log: JSON.parse(text) as Log, text };
  }

  const resultFor = (log: Log, address: string): Result => {
    const found = log.runs[0].results?.find(
      (r) => r.locations?.[0].logicalLocations?.[0].fullyQualifiedName === `dev/${address}`,
    );
    if (found === undefined) throw new Error(`no result for ${address}`);
    return found;
  };

  it("points each finding at its entry in environments/dev.ts, with the cdk.tf.json line related", async () => {
    const broken = brokenDev();
    const out = synthFolder(join(workDir, "cdktf.out"), { dev: broken.document });
    const { code, log, text } = await sarif(out);
    expect(code).toBe(EXIT.violations);
    expect(log).toBeValidSarifLog();
    expect(text).not.toContain("../");
    expect(log.runs[0].originalUriBaseIds).toEqual({
      "%SRCROOT%": { uri: `${pathToFileURL(ROOT).href}/` },
    });

    const expected: Record<string, string> = {
      table: "tables: [productCatalog],",
      team: "teams: catalogTeams(ACCOUNT_ID),",
      network: "network: {",
    };
    const generated = readFileSync(join(out, "stacks", "dev", "cdk.tf.json"), "utf8").split("\n");
    for (const [what, address] of Object.entries(broken.addresses)) {
      const result = resultFor(log, address);
      const location = result.locations?.[0].physicalLocation;
      expect({ what, artifact: location?.artifactLocation }).toEqual({
        what,
        artifact: { uri: "environments/dev.ts", uriBaseId: "%SRCROOT%" },
      });
      expect({ what, line: location?.region?.startLine }).toEqual({
        what,
        line: lineContaining(DEV_DEFINITION, expected[what]),
      });
      const related = result.relatedLocations?.[0].physicalLocation;
      expect(related?.artifactLocation).toEqual({
        uri: `${relative(ROOT, out)}/stacks/dev/cdk.tf.json`,
        uriBaseId: "%SRCROOT%",
      });
      expect(generated[(related?.region?.startLine ?? 0) - 1]).toContain(`"${address.split(".")[1]}": {`);
    }
  });

  it("names the same files wherever in the checkout the gate runs", async () => {
    const out = synthFolder(join(workDir, "from-subfolder"), { dev: brokenDev().document });
    process.chdir(join(ROOT, "gate"));
    try {
      expect(repositoryRoot()).toBe(ROOT);
      const { log, text } = await sarif(relative(process.cwd(), out));
      expect(text).not.toContain("../");
      const uris = log.runs[0].results?.flatMap((r) =>
        [...(r.locations ?? []), ...(r.relatedLocations ?? [])].map(
          (l) => l.physicalLocation?.artifactLocation?.uri,
        ),
      );
      expect(new Set(uris)).toEqual(
        new Set(["environments/dev.ts", `${relative(ROOT, out)}/stacks/dev/cdk.tf.json`]),
      );
    } finally {
      process.chdir(cwd);
    }
  });

  it("points a plan's findings at the definition, with the plan JSON line related", async () => {
    const broken = brokenDev();
    const plan = join(workDir, "dev.plan.json");
    writeFileSync(
      plan,
      JSON.stringify(
        planFromSynth(broken.document, { accountId: "111122223333", region: "us-east-1" }),
        null,
        2,
      ),
    );
    const { code, log } = await sarif(plan);
    expect(code).toBe(EXIT.violations);
    expect(log).toBeValidSarifLog();
    const result = resultFor(log, broken.addresses.table);
    expect(result.locations?.[0].physicalLocation?.region?.startLine).toBe(
      lineContaining(DEV_DEFINITION, "tables: [productCatalog],"),
    );
    const related = result.relatedLocations?.[0].physicalLocation;
    expect(related?.artifactLocation?.uri).toBe(relative(ROOT, plan));
    expect(readFileSync(plan, "utf8").split("\n")[(related?.region?.startLine ?? 0) - 1]).toContain(
      `"address": "${broken.addresses.table}"`,
    );
  });

  it("points a bootstrap stack's findings at bootstrap/<name>.ts", async () => {
    const document = synthesizedStack("bootstrap-prod");
    const [name, role] = Object.entries(document.resource.aws_iam_role).find(([, r]) =>
      String(r.name).endsWith("-prod-deploy"),
    ) ?? ["", {}];
    const trust = JSON.parse(String(role.assume_role_policy));
    delete trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"];
    role.assume_role_policy = JSON.stringify(trust);
    const out = synthFolder(join(workDir, "bootstrap-out"), { "bootstrap-prod": document });
    const { code, log } = await sarif(out);
    expect(code).toBe(EXIT.violations);
    expect(log).toBeValidSarifLog();
    const result = log.runs[0].results?.find(
      (r) =>
        r.locations?.[0].logicalLocations?.[0].fullyQualifiedName === `bootstrap-prod/aws_iam_role.${name}`,
    );
    expect(result?.ruleId).toBe("GR-FGA-009");
    expect(result?.locations?.[0].physicalLocation).toEqual({
      artifactLocation: { uri: "bootstrap/prod.ts", uriBaseId: "%SRCROOT%" },
      region: { startLine: 1 },
    });
    expect(result?.relatedLocations?.[0].physicalLocation?.artifactLocation?.uri).toBe(
      `${relative(ROOT, out)}/stacks/bootstrap-prod/cdk.tf.json`,
    );
  });

  it("points a stack defined elsewhere at its own file, as an absolute URI when outside the repository", async () => {
    const plan = join(mkdtempSync(join(tmpdir(), "elsewhere-")), "orders.json");
    writeFileSync(
      plan,
      JSON.stringify(planFromSynth(brokenDev().document, { accountId: "111122223333", region: "us-east-1" })),
    );
    const { log, text } = await sarif(
      plan,
      "--organization-id",
      "o-a1b2c3d4e5",
      "--account-id",
      "111122223333",
    );
    expect(log).toBeValidSarifLog();
    expect(text).not.toContain("../");
    const [result] = log.runs[0].results ?? [];
    expect(result.locations?.[0].physicalLocation?.artifactLocation).toEqual({
      uri: pathToFileURL(plan).href,
    });
    expect(result.relatedLocations).toBeUndefined();
  });
});
