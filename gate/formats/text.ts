import type { Finding } from "../findings";
import { summarize, type Report, type StackReport } from "../run";

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function stackHeading(stack: StackReport): string {
  const violations = stack.findings.filter((f) => f.status === "violation").length;
  const waived = stack.findings.length - violations;
  const verdict = violations === 0 ? "passed" : plural(violations, "violation");
  const joined = stack.configurationSource ? ` with ${stack.configurationSource}` : "";
  return `${stack.stack} (${stack.source}, ${stack.format}${joined}): ${verdict}${waived > 0 ? `, ${waived} waived` : ""}`;
}

function findingRows(findings: Finding[]): string[] {
  const status = (f: Finding) => (f.status === "waived" ? "waived" : f.severity);
  const widths = {
    status: Math.max(8, ...findings.map((f) => status(f).length)),
    rule: Math.max(4, ...findings.map((f) => f.rule.length)),
  };
  const row = (a: string, b: string, c: string) =>
    `  ${a.padEnd(widths.status)}  ${b.padEnd(widths.rule)}  ${c}`;
  return [
    row("SEVERITY", "RULE", "RESOURCE"),
    ...findings.flatMap((f) => [
      row(status(f), f.rule, f.address || "(stack)"),
      `  ${" ".repeat(widths.status + widths.rule + 4)}${f.message}`,
      ...(f.status === "waived" && f.waiver
        ? [
            `  ${" ".repeat(widths.status + widths.rule + 4)}waived until ${f.waiver.expires}: ${f.waiver.reason}`,
          ]
        : []),
    ]),
  ];
}

/** A readable report grouped by stack, ending in one summary line. */
export function formatText(report: Report): string {
  const lines: string[] = [];
  for (const stack of report.stacks) {
    lines.push(stackHeading(stack));
    if (stack.findings.length > 0) lines.push(...findingRows(stack.findings));
    lines.push("");
  }
  for (const waiver of report.unusedWaivers) {
    lines.push(
      `warning: waiver for ${waiver.rule} on ${waiver.address}${waiver.stack ? ` (${waiver.stack})` : ""} matched no finding; remove it`,
    );
  }
  const summary = summarize(report);
  const severities = Object.entries(summary.bySeverity)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(", ");
  lines.push(
    `${summary.passed ? "PASSED" : "FAILED"}: ${plural(summary.stacks, "stack")} checked against ${plural(report.rules.length, "rule")}, ` +
      `${plural(summary.violations, "violation")}${severities ? ` (${severities})` : ""}, ${summary.waived} waived`,
  );
  return `${lines.join("\n")}\n`;
}
