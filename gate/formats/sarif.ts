import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { ArtifactLocation, Location, Log, ReportingDescriptor, Result } from "sarif";
import type { RuleMetadata } from "../catalog";
import type { Finding, Severity } from "../findings";
import type { Report, StackReport } from "../run";

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

// Code scanning resolves relative paths against the repository root, named by this base id.
const SRCROOT = "%SRCROOT%";

/**
 * A file as SARIF names it: relative to the repository root (with the root's base id) when it is
 * inside the repository, else an absolute file URI, never a path climbing out with `../`.
 */
function artifact(file: string, root: string): ArtifactLocation {
  const path = relative(root, resolve(file));
  if (path === "" || path === ".." || path.startsWith(`..${sep}`) || isAbsolute(path)) {
    return { uri: pathToFileURL(resolve(file)).href };
  }
  return { uri: path.split(sep).join("/"), uriBaseId: SRCROOT };
}

/**
 * A finding's locations: for a stack defined here, the environment's definition at the entry the
 * finding concerns, with the generated JSON (not in the repository) as a related location;
 * otherwise the JSON it was read from.
 */
function locations(
  finding: Finding,
  stack: StackReport,
  root: string,
): Pick<Result, "locations" | "relatedLocations"> {
  const logicalLocations = [
    { fullyQualifiedName: `${finding.stack}/${finding.address || "(stack)"}`, kind: "resource" },
  ];
  const source = artifact(stack.source, root);
  const generated: Location["physicalLocation"] = {
    artifactLocation: source,
    region: { startLine: stack.lines[finding.address] ?? 1 },
  };
  if (stack.definition === undefined) {
    return { locations: [{ physicalLocation: generated, logicalLocations }] };
  }
  return {
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact(stack.definition.file, root),
          region: { startLine: stack.definition.lines[finding.address] ?? 1 },
        },
        logicalLocations,
      },
    ],
    relatedLocations: [
      {
        id: 1,
        physicalLocation: generated,
        message: {
          text: `${finding.address || "The stack"} as ${stack.format === "plan" ? "planned" : "synthesized"} (${source.uriBaseId === undefined ? resolve(stack.source) : source.uri})`,
        },
      },
    ],
  };
}

function result(finding: Finding, stack: StackReport, root: string, ruleIndex: number): Result {
  const sarifResult: Result = {
    ruleId: finding.rule,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    ...locations(finding, stack, root),
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
  const root = resolve(report.root ?? process.cwd());
  const log: Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "ddb-guardrails", informationUri: "https://github.com/", rules } },
        // A base URI ends in "/": without it the root's last folder would be dropped when resolving.
        originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(root).href.replace(/\/?$/, "/")}` } },
        results: report.stacks.flatMap((stack) =>
          stack.findings.map((f) => result(f, stack, root, index.get(f.rule) ?? -1)),
        ),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
