import { summarize, type Report } from "../run";

/** The machine-readable report: every finding (waived ones included), the summary and the verdict. */
export function formatJson(report: Report): string {
  const summary = summarize(report);
  return `${JSON.stringify(
    {
      tool: "ddb-guardrails",
      passed: summary.passed,
      summary: {
        stacks: summary.stacks,
        violations: summary.violations,
        waived: summary.waived,
        by_severity: summary.bySeverity,
      },
      stacks: report.stacks,
      unused_waivers: report.unusedWaivers,
    },
    null,
    2,
  )}\n`;
}
