import { loadCatalog, type RuleMetadata } from "./catalog";
import { contextFor, type ContextOverrides } from "./context";
import { definitionOf } from "./definition-lines";
import type { EnvironmentFacts } from "./facts";
import type { Finding, Severity, Waiver } from "./findings";
import { SEVERITIES } from "./findings";
import { linesOf, readInputs, type InputFormat, type StackDocument } from "./inputs";
import { readConfigurations, withConfigurations } from "./plan-configuration";
import { GuardrailsPolicy } from "./policy";
import { repositoryRoot } from "./repository-root";
import { unusedWaivers } from "./waivers";

export interface StackReport {
  stack: string;
  source: string;
  format: InputFormat;
  /** The synthesized stack a plan was joined with (--config). */
  configurationSource?: string;
  findings: Finding[];
  /** Line in the source where each finding's resource is declared. */
  lines: Record<string, number>;
  /**
   * For a stack defined here: its definition (`environments/<stack>.ts`, absolute path) and, per
   * finding's address, the line of the definition entry (table, team, network…) it concerns.
   */
  definition?: { file: string; lines: Record<string, number> };
}

export interface Report {
  stacks: StackReport[];
  rules: RuleMetadata[];
  /** Waivers that matched nothing in any stack. */
  unusedWaivers: Waiver[];
  /** The repository root (absolute) that reports name files relative to; the working directory's by default. */
  root?: string;
}

export interface GateOptions {
  inputs: string[];
  /** cdktf.out folders or cdk.tf.json files to join each plan with, by stack name. */
  configurations?: string[];
  waivers: Waiver[];
  /**
   * The environments of stacks that do not carry their facts (plans), by stack name; a function is
   * called only when such a stack is gated, so gating synthesized stacks never pays for it.
   */
  environments: ReadonlyMap<string, EnvironmentFacts> | (() => ReadonlyMap<string, EnvironmentFacts>);
  overrides?: ContextOverrides;
  policy?: GuardrailsPolicy;
  rules?: RuleMetadata[];
}

/** Reads every input, evaluates each stack with the compiled policy, and collects the findings. */
export async function runGate(options: GateOptions): Promise<Report> {
  const read = readInputs(options.inputs);
  const documents =
    options.configurations !== undefined && options.configurations.length > 0
      ? withConfigurations(read, readConfigurations(options.configurations))
      : read;
  const policy = options.policy ?? (await GuardrailsPolicy.load());
  const rules = options.rules ?? loadCatalog();
  let environments: ReadonlyMap<string, EnvironmentFacts> | undefined;
  const environmentsFor = (doc: StackDocument) =>
    doc.facts !== undefined
      ? new Map<string, EnvironmentFacts>()
      : (environments ??=
          typeof options.environments === "function" ? options.environments() : options.environments);
  const stacks = documents.map((doc): StackReport => {
    const known = environmentsFor(doc);
    const findings = policy.evaluate(
      {
        stack: doc.stack,
        document: doc.document,
        ...(doc.configuration ? { configuration: doc.configuration.document } : {}),
        context: contextFor(doc.stack, known, options.overrides, doc.facts),
        waivers: options.waivers,
      },
      doc.source,
    );
    const lines = linesOf(
      doc,
      findings.map((f) => f.address),
    );
    const report: StackReport = {
      stack: doc.stack,
      source: doc.source,
      format: doc.format,
      ...(doc.configuration ? { configurationSource: doc.configuration.source } : {}),
      findings,
      lines,
    };
    const definition = definitionOf(doc, doc.facts ?? known.get(doc.stack), findings);
    if (definition !== undefined) report.definition = definition;
    return report;
  });
  return {
    stacks,
    rules,
    unusedWaivers: unusedWaivers(
      options.waivers,
      stacks.flatMap((s) => s.findings),
    ),
    root: repositoryRoot(),
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
