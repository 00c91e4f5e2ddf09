// Runs `opa test --coverage` and fails when line coverage of the policies (test files
// excluded: they cover themselves and would inflate the figure) is below a threshold.
//
// Usage: npx ts-node scripts/rego-coverage.ts [policy dir] [--threshold N]
import { join, relative } from "node:path";
import { POLICY_DATA_DIR, POLICY_DIR, ROOT, ToolchainError, requirePinnedOpa, runOpa } from "./opa-toolchain";

const DEFAULT_THRESHOLD = 90;

interface FileCoverage {
  covered_lines?: number;
  not_covered_lines?: number;
}

export interface CoverageReport {
  files?: Record<string, FileCoverage>;
}

export interface CoverageSummary {
  percent: number;
  covered: number;
  total: number;
  files: { file: string; percent: number; covered: number; total: number }[];
}

export function summarize(report: CoverageReport): CoverageSummary {
  const files = Object.entries(report.files ?? {})
    .filter(([file]) => !file.endsWith("_test.rego"))
    .map(([file, lines]) => {
      const covered = lines.covered_lines ?? 0;
      const total = covered + (lines.not_covered_lines ?? 0);
      return { file, covered, total, percent: total === 0 ? 100 : (100 * covered) / total };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
  const covered = files.reduce((sum, file) => sum + file.covered, 0);
  const total = files.reduce((sum, file) => sum + file.total, 0);
  return { percent: total === 0 ? 100 : (100 * covered) / total, covered, total, files };
}

function parseArgs(argv: readonly string[]): { dir: string; threshold: number } {
  let dir = POLICY_DIR;
  let threshold = DEFAULT_THRESHOLD;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--threshold") {
      threshold = Number(argv[++i]);
      if (!Number.isFinite(threshold)) throw new ToolchainError("--threshold needs a number");
    } else {
      dir = join(ROOT, arg);
    }
  }
  return { dir, threshold };
}

/**
 * `opa test --coverage` without OPA's supplementary coverage passes (index_excluded, early_exit),
 * which only annotate uncovered ranges with a reason: they more than doubled the run, and the line
 * figures this project gates on are the same without them.
 */
export function coverageArgs(dirs: readonly string[]): string[] {
  return ["test", "--coverage", "--coverage-runs=", "--format", "json", ...dirs];
}

function main(): void {
  const { dir, threshold } = parseArgs(process.argv.slice(2));
  requirePinnedOpa();
  const { status, stdout, stderr } = runOpa(
    coverageArgs([relative(ROOT, dir), relative(ROOT, POLICY_DATA_DIR)]),
  );
  if (status !== 0) {
    // With --coverage opa prints only the report; rerun plainly so the failures are readable.
    const plain = runOpa(["test", relative(ROOT, dir), relative(ROOT, POLICY_DATA_DIR)]);
    throw new ToolchainError(`opa test failed:\n${(plain.stdout + plain.stderr || stderr).trim()}`);
  }
  const summary = summarize(JSON.parse(stdout) as CoverageReport);
  for (const file of summary.files) {
    console.log(`  ${file.percent.toFixed(1).padStart(5)}%  ${file.covered}/${file.total}  ${file.file}`);
  }
  const line = `rego-coverage: ${summary.percent.toFixed(2)}% of ${summary.total} policy lines (threshold ${threshold}%)`;
  if (summary.percent < threshold) {
    throw new ToolchainError(`${line}: below threshold`);
  }
  console.log(line);
}

if (require.main === module) {
  try {
    main();
  } catch (error: unknown) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
