import type { Log, ReportingDescriptor, Result } from "sarif";
import type { RuleMetadata } from "../catalog";
import type { Finding, Severity } from "../findings";
import type { Report } from "../run";

const LEVEL: Record<Severity, Result.level> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
};
// GitHub code scanning ranks security results by this property (0-10).
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "2.0",
};

function descriptor(rule: RuleMetadata): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.title,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description || rule.title },
    help: { text: `${rule.description}\n\nPractice: ${rule.practice}` },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ["security", "dynamodb"],
      "security-severity": SECURITY_SEVERITY[rule.severity],
      practice: rule.practice,
    },
  };
}

function result(finding: Finding, source: string, line: number, ruleIndex: number): Result {
  const sarifResult: Result = {
    ruleId: finding.rule,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: source.split("\\").join("/"), uriBaseId: "%SRCROOT%" },
          region: { startLine: line },
        },
        logicalLocations: [
          { fullyQualifiedName: `${finding.stack}/${finding.address || "(stack)"}`, kind: "resource" },
        ],
      },
    ],
    partialFingerprints: { "ddbGuardrailsFinding/v1": `${finding.stack}|${finding.rule}|${finding.address}` },
    properties: { stack: finding.stack, severity: finding.severity },
  };
  if (ruleIndex >= 0) sarifResult.ruleIndex = ruleIndex;
  if (finding.status === "waived") {
    sarifResult.suppressions = [
      {
        kind: "external",
        status: "accepted",
        justification: `${finding.waiver?.reason ?? "waived"} (until ${finding.waiver?.expires ?? "?"})`,
      },
    ];
  }
  return sarifResult;
}

/** SARIF 2.1.0 for code-scanning UIs: every rule in the catalog, one result per finding. */
export function formatSarif(report: Report): string {
  const rules = report.rules.map(descriptor);
  const index = new Map(report.rules.map((rule, i) => [rule.id, i]));
  const log: Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "ddb-guardrails", informationUri: "https://github.com/", rules } },
        results: report.stacks.flatMap((stack) =>
          stack.findings.map((f) =>
            result(f, stack.source, stack.lines[f.address] ?? 1, index.get(f.rule) ?? -1),
          ),
        ),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
