import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadCatalog } from "../../gate/catalog";

const ROOT = join(__dirname, "..", "..");
const rules = loadCatalog();

describe("the rule catalog", () => {
  it("gives every rule an id, title, description, severity and the practice it enforces", () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^GR-(INPUT|ENC|DP|NET|FGA|MON|GOV|CHG)-\d{3}$/);
      // Rules about changes say in their METADATA that only a plan shows them.
      expect([rule.id, rule.inputs]).toEqual([rule.id, rule.id.startsWith("GR-CHG-") ? "plan" : "any"]);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.practice.length).toBeGreaterThan(10);
    }
  });

  it("is documented in policies/README.md with the same title and severity", () => {
    const readme = readFileSync(join(ROOT, "policies", "README.md"), "utf8");
    const rows = new Map(
      [...readme.matchAll(/^\| (GR-[A-Z]+-\d{3}) \| (.+?) \| (critical|high|medium|low) \|$/gm)].map((m) => [
        m[1],
        [m[2], m[3]],
      ]),
    );
    expect([...rows.keys()].sort()).toEqual(rules.map((r) => r.id));
    for (const rule of rules)
      expect([rule.id, ...(rows.get(rule.id) ?? [])]).toEqual([rule.id, rule.title, rule.severity]);
  });

  it("has one rule per file, each with tests beside it that import it", () => {
    for (const rule of rules) {
      const file = join(ROOT, rule.file);
      const pkg = /^package (\S+)$/m.exec(readFileSync(file, "utf8"))?.[1];
      const tests = readdirSync(dirname(file))
        .filter((name) => name.endsWith("_test.rego"))
        .map((name) => readFileSync(join(dirname(file), name), "utf8"));
      expect([rule.id, tests.some((text) => text.includes(`import data.${pkg}\n`))]).toEqual([rule.id, true]);
    }
  });
});
