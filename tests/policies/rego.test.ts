import { coverageArgs, summarize } from "../../scripts/rego-coverage";
import type { CoverageReport } from "../../scripts/rego-coverage";
import { POLICY_DATA_DIR, requirePinnedOpa, runOpa } from "../../scripts/opa-toolchain";

// The same gates as `npm run test:rego`, so that `npm test` (and CI) holds the Rego to them too.
jest.setTimeout(60_000);

const REGO_DIRS = ["policies", "tests/policies"];

beforeAll(() => {
  requirePinnedOpa();
});

describe("Rego", () => {
  test("is opa fmt clean", () => {
    const { status, stdout, stderr } = runOpa(["fmt", "--list", "--fail", ...REGO_DIRS]);
    expect({ status, unformatted: stdout.trim(), stderr: stderr.trim() }).toEqual({
      status: 0,
      unformatted: "",
      stderr: "",
    });
  });

  test("passes opa check --strict", () => {
    const { status, stderr } = runOpa(["check", "--strict", ...REGO_DIRS]);
    expect({ status, stderr: stderr.trim() }).toEqual({ status: 0, stderr: "" });
  });

  test("passes opa test with at least 90% line coverage", () => {
    const { status, stdout, stderr } = runOpa(coverageArgs(["policies", POLICY_DATA_DIR]));
    if (status !== 0) {
      const plain = runOpa(["test", "policies", POLICY_DATA_DIR]);
      throw new Error(`opa test failed:\n${plain.stdout}${plain.stderr}${stderr}`);
    }
    const summary = summarize(JSON.parse(stdout) as CoverageReport);
    expect(summary.total).toBeGreaterThan(0);
    expect(summary.percent).toBeGreaterThanOrEqual(90);
  });
});
