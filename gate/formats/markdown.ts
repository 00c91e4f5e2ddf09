import { compareFindings, SEVERITIES, type Finding, type Severity } from "../findings";
import { summarize, type Report, type StackReport } from "../run";

/** Rows shown per stack: a pull-request comment or run summary is read, not searched. */
export const MAX_ROWS_PER_STACK = 10;
/** A finding's message is cut after this many characters; the full text is in the other formats. */
export const MAX_MESSAGE_LENGTH = 280;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Text safe inside a table cell: no pipes or line breaks to end it, no HTML to render. */
function cell(text: string, limit = Number.POSITIVE_INFINITY): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const cut = flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
  return cut.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|");
}

function code(text: string): string {
  return text === "" ? "(stack)" : `\`${text.replace(/`/g, "'")}\``;
}

const violationsOf = (stack: StackReport) => stack.findings.filter((f) => f.status === "violation");

/** The rank of a stack's worst violation (0 = critical); passing stacks rank last. */
function worst(stack: StackReport): number {
  const ranks = violationsOf(stack).map((f) => SEVERITIES.indexOf(f.severity));
  return ranks.length === 0 ? SEVERITIES.length : Math.min(...ranks);
}

/** Worst stack first: by its worst violation, then by how many it has, then by name. */
function compareStacks(a: StackReport, b: StackReport): number {
  return (
    worst(a) - worst(b) || violationsOf(b).length - violationsOf(a).length || a.stack.localeCompare(b.stack)
  );
}

/** Violations before waived findings, each most severe first. */
function compareRows(a: Finding, b: Finding): number {
  return Number(a.status === "waived") - Number(b.status === "waived") || compareFindings(a, b);
}

function stackTable(stack: StackReport): string[] {
  const violations = violationsOf(stack).length;
  const waived = stack.findings.length - violations;
  const verdict = violations === 0 ? "passed" : plural(violations, "violation");
  const lines = [
    `### ${cell(stack.stack)}: ${verdict}${waived > 0 ? `, ${waived} waived` : ""}`,
    "",
    `From \`${stack.source}\` (${stack.format}${stack.configurationSource ? `, with \`${stack.configurationSource}\`` : ""}).`,
    "",
    "| Severity | Rule | Resource | Finding |",
    "| --- | --- | --- | --- |",
  ];
  const rows = [...stack.findings].sort(compareRows);
  for (const finding of rows.slice(0, MAX_ROWS_PER_STACK)) {
    const status = finding.status === "waived" ? `waived (${finding.severity})` : `**${finding.severity}**`;
    const message =
      finding.status === "waived" && finding.waiver
        ? `${finding.message} (waived until ${finding.waiver.expires ?? "?"}: ${finding.waiver.reason ?? ""})`
        : finding.message;
    lines.push(
      `| ${status} | ${finding.rule} | ${code(finding.address)} | ${cell(message, MAX_MESSAGE_LENGTH)} |`,
    );
  }
  const hidden = rows.length - MAX_ROWS_PER_STACK;
  if (hidden > 0) {
    lines.push(
      "",
      `…and ${hidden} more in ${cell(stack.stack)}: run \`ddb-guardrails check\` with \`--format text\` for every finding.`,
    );
  }
  lines.push("");
  return lines;
}

/**
 * A report for a pull request or a run summary: the verdict and a summary line first, then a table per
 * stack with findings, worst stack and worst finding first, each table capped at MAX_ROWS_PER_STACK rows;
 * stacks without findings share one line.
 */
export function formatMarkdown(report: Report): string {
  const summary = summarize(report);
  const severities = (Object.entries(summary.bySeverity) as [Severity, number][])
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(", ");
  const lines = [
    `## ddb-guardrails: ${summary.passed ? "passed" : "FAILED"}`,
    "",
    `${plural(summary.stacks, "stack")} checked against ${plural(report.rules.length, "rule")}: ` +
      `${plural(summary.violations, "violation")}${severities ? ` (${severities})` : ""}, ${summary.waived} waived.`,
    "",
  ];
  const stacks = [...report.stacks].sort(compareStacks);
  for (const stack of stacks.filter((s) => s.findings.length > 0)) lines.push(...stackTable(stack));
  const clean = stacks.filter((s) => s.findings.length === 0).map((s) => cell(s.stack));
  if (clean.length > 0) lines.push(`Passed with no findings: ${clean.join(", ")}.`, "");
  for (const waiver of report.unusedWaivers) {
    lines.push(
      `- Waiver for ${waiver.rule} on ${code(waiver.address)}${waiver.stack ? ` (${cell(waiver.stack)})` : ""} matched no finding: remove it.`,
    );
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
