import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { contextFor } from "../../gate/context";
import { embeddedFacts, factsInSynthOutput, FACTS_KEY } from "../../gate/facts";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { bundleFunction } from "../../stacks/function-bundle";
import { shippedEnvironments } from "../support/gate";
import { ALERT_FUNCTION_ENTRY } from "../support/synth";

const prodFacts = { tier: "production", account: { id: "777788889999", organizationId: "o-a1b2c3d4e5" } };

describe("environment facts carried by a stack", () => {
  it("are written by synthesis under the comment key, and only the facts", () => {
    const outdir = mkdtempSync(join(tmpdir(), "facts-synth-"));
    const app = new App({ outdir });
    const prod = shippedEnvironments.find((env) => env.name === "prod");
    if (prod === undefined) throw new Error("no shipped prod environment");
    new EnvironmentStack(app, { environment: prod, alertFunction: bundleFunction(ALERT_FUNCTION_ENTRY) });
    app.synth();
    const facts = factsInSynthOutput(outdir);
    expect(facts.get("prod")).toEqual({
      tier: prod.tier,
      account: { id: prod.account.id, organizationId: prod.account.organizationId },
      backupMinRetentionDays: prod.backup.lock.minRetentionDays,
      definition: {
        file: "environments/prod.ts",
        tables: prod.tables.map((table) => table.name),
        teams: prod.teams.map((team) => team.name),
        replicaRegions: prod.replicaRegions,
      },
    });
  });

  it.each<[string, unknown]>([
    ["no comment key", undefined],
    ["no facts", { metadata: {} }],
    ["a fact that is not a string", { [FACTS_KEY]: { ...prodFacts, tier: 3 } }],
    ["no account", { [FACTS_KEY]: { tier: "production" } }],
  ])("are absent, never half-read, with %s", (_name, comment) => {
    expect(embeddedFacts(comment === undefined ? {} : { "//": comment })).toBeUndefined();
  });

  it("give way to flags, and win over an environment of the same name", () => {
    const carried = { tier: "development", account: { id: "111122223333", organizationId: "o-carried" } };
    const environments = new Map([["dev", prodFacts]]);
    expect(contextFor("dev", environments, { today: "2026-01-01" }, carried)).toEqual({
      today: "2026-01-01",
      organization_id: "o-carried",
      account_id: "111122223333",
      tier: "development",
    });
    expect(contextFor("dev", environments, { today: "2026-01-01", tier: "production" }, carried).tier).toBe(
      "production",
    );
  });

  it("are looked up by stack name in a synth output, skipping what cannot be read", () => {
    const dir = mkdtempSync(join(tmpdir(), "facts-out-"));
    mkdirSync(join(dir, "stacks", "a"), { recursive: true });
    mkdirSync(join(dir, "stacks", "b"), { recursive: true });
    writeFileSync(
      join(dir, "stacks", "a", "cdk.tf.json"),
      JSON.stringify({ "//": { [FACTS_KEY]: prodFacts } }),
    );
    writeFileSync(join(dir, "stacks", "b", "cdk.tf.json"), "{ not json");
    writeFileSync(
      join(dir, "manifest.json"),
      JSON.stringify({
        stacks: {
          a: { name: "a", synthesizedStackPath: "stacks/a/cdk.tf.json" },
          b: { name: "b", synthesizedStackPath: "stacks/b/cdk.tf.json" },
        },
      }),
    );
    expect([...factsInSynthOutput(dir)]).toEqual([["a", prodFacts]]);
    expect(factsInSynthOutput(join(dir, "missing")).size).toBe(0);
  });
});
