import type { Environment } from "../config/schema";
import { loadCatalog, type RuleMetadata } from "./catalog";
import { contextFor, type ContextOverrides } from "./context";
import type { Finding, Severity, Waiver } from "./findings";
import { SEVERITIES } from "./findings";
import { lineOf, readInputs, type InputFormat } from "./inputs";
import { GuardrailsPolicy } from "./policy";
import { unusedWaivers } from "./waivers";

export interface StackReport {
  stack: string;
  source: string;
  format: InputFormat;
  findings: Finding[];
  /** Line in the source where each finding's resource is declared. */
  lines: Record<string, number>;
}

export interface Report {
  stacks: StackReport[];
  rules: RuleMetadata[];
  /** Waivers that matched nothing in any stack. */
  unusedWaivers: Waiver[];
}

export interface GateOptions {
  inputs: string[];
  waivers: Waiver[];
  environments: ReadonlyMap<string, Environment>;
  overrides?: ContextOverrides;
  policy?: GuardrailsPolicy;
  rules?: RuleMetadata[];
}

/** Reads every input, evaluates each stack with the compiled policy, and collects the findings. */
export async function runGate(options: GateOptions): Promise<Report> {
  const documents = readInputs(options.inputs);
  const policy = options.policy ?? (await GuardrailsPolicy.load());
  const rules = options.rules ?? loadCatalog();
  const stacks = documents.map((doc): StackReport => {
    const findings = policy.evaluate(
      {
        stack: doc.stack,
        document: doc.document,
        context: contextFor(doc.stack, options.environments, options.overrides),
        waivers: options.waivers,
      },
      doc.source,
    );
    const lines = Object.fromEntries(findings.map((f) => [f.address, lineOf(doc, f.address)]));
    return { stack: doc.stack, source: doc.source, format: doc.format, findings, lines };
  });
  return {
    stacks,
    rules,
    unusedWaivers: unusedWaivers(
      options.waivers,
      stacks.flatMap((s) => s.findings),
    ),
  };
}

export interface Summary {
  stacks: number;
  violations: number;
  waived: number;
  bySeverity: Record<Severity, number>;
  passed: boolean;
}

export function summarize(report: Report): Summary {
  const findings = report.stacks.flatMap((stack) => stack.findings);
  const violations = findings.filter((finding) => finding.status === "violation");
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((severity) => [severity, violations.filter((v) => v.severity === severity).length]),
  ) as Record<Severity, number>;
  return {
    stacks: report.stacks.length,
    violations: violations.length,
    waived: findings.length - violations.length,
    bySeverity,
    passed: violations.length === 0,
  };
}
