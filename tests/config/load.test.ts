import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { leadingKeysOverlap } from "../../config/rules";
import { loadEnvironments } from "../../config/load";
import { ConfigError } from "../../config/validate";

const SCHEMA = join(__dirname, "..", "..", "config", "schema");
const CATALOG = join(__dirname, "..", "..", "environments", "shared", "product-catalog");

/** Writes environment files into a fresh folder, as a platform team would add them. */
function environmentsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "environments-"));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

function environmentFile(name: string, accountId: string, extra = ""): string {
  return `
import { defineEnvironment } from ${JSON.stringify(SCHEMA)};
import { catalogTeams, productCatalog } from ${JSON.stringify(CATALOG)};
export default defineEnvironment({
  name: ${JSON.stringify(name)},
  tier: "development",
  account: { id: ${JSON.stringify(accountId)}, region: "eu-west-1", organizationId: "o-a1b2c3d4e5" },
  network: { mode: "existing", vpcId: "vpc-0a1b2c3d4e5f67890", routeTableIds: ["rtb-0a1b2c3d4e5f67890"] },
  tables: [productCatalog],
  teams: catalogTeams(${JSON.stringify(accountId)}),
  alerts: { emails: ["alerts@example.com"] },
  tags: { owner: "team-x" },
  ${extra}
});`;
}

function loadError(dir: string): ConfigError {
  try {
    loadEnvironments(dir);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected loading to fail");
}

describe("loading environments", () => {
  it("loads the three shipped environments, sorted by file name", () => {
    const environments = loadEnvironments();
    expect(environments.map((e) => [e.name, e.tier])).toEqual([
      ["dev", "development"],
      ["prod", "production"],
      ["staging", "staging"],
    ]);
  });

  it("discovers a new environment from its file alone", () => {
    const dir = environmentsFolder({ "qa.ts": environmentFile("qa", "123456789012") });
    expect(loadEnvironments(dir).map((e) => e.name)).toEqual(["qa"]);
  });

  it("rejects a file whose environment name differs from the file name", () => {
    const error = loadError(environmentsFolder({ "qa.ts": environmentFile("test", "123456789012") }));
    expect(error.message).toContain('name: found "test"; expected "qa", the file\'s name');
  });

  it("rejects a file without a default export", () => {
    const error = loadError(environmentsFolder({ "qa.ts": "export const x = 1;" }));
    expect(error.message).toContain("qa.ts");
    expect(error.message).toContain("a default export");
  });

  it("rejects two environments deploying the same table to one account and region", () => {
    const error = loadError(
      environmentsFolder({
        "qa.ts": environmentFile("qa", "123456789012"),
        "uat.ts": environmentFile("uat", "123456789012"),
      }),
    );
    expect(error.message).toContain('(environment "uat")');
    expect(error.message).toContain('a name not used by environment "qa"');
  });

  it("names the file and field, and exits non-zero, when cdktf synth meets a bad definition", () => {
    const dir = environmentsFolder({
      "qa.ts": environmentFile("qa", "123456789012").replace('"o-a1b2c3d4e5"', '"o-bad"'),
    });
    const script = `require(${JSON.stringify(join(__dirname, "..", "..", "config", "load"))}).loadEnvironments(${JSON.stringify(dir)})`;
    let stderr = "";
    let status = 0;
    try {
      execFileSync(process.execPath, ["-r", "ts-node/register", "-e", script], {
        stdio: "pipe",
        encoding: "utf8",
      });
    } catch (error) {
      const failure = error as { status: number; stderr: string };
      status = failure.status;
      stderr = failure.stderr;
    }
    expect(status).not.toBe(0);
    expect(stderr).toContain("qa.ts");
    expect(stderr).toContain('account.organizationId: found "o-bad"');
  });
});

describe("leading-key overlap", () => {
  it.each([
    [{ numericRange: { min: 100, max: 199 } }, { numericRange: { min: 200, max: 299 } }, false],
    [{ numericRange: { min: 100, max: 200 } }, { numericRange: { min: 200, max: 299 } }, true],
    [{ prefix: "book#" }, { prefix: "bike#" }, false],
    [{ prefix: "book#" }, { prefix: "book#fiction#" }, true],
    [{ values: ["150"] }, { numericRange: { min: 100, max: 199 } }, true],
    [{ numericRange: { min: 100, max: 199 } }, { values: ["250"] }, false],
    [{ values: ["book#1"] }, { prefix: "book#" }, true],
  ])("%j and %j overlap: %s", (a, b, overlap) => {
    expect(leadingKeysOverlap(a, b)).toBe(overlap);
  });
});
