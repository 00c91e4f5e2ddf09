import type junitBuilder from "junit-report-builder";
import type { Report } from "../run";

/**
 * Loaded when a JUnit report is asked for, not at start-up: the library and its dependencies are
 * larger than the rest of the CLI. (The package's CommonJS export is the builder itself.)
 */
function junitReportBuilder(): typeof junitBuilder {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  return require("junit-report-builder") as typeof junitBuilder;
}

/**
 * JUnit XML for CI test reporters: one suite per stack, one test case per rule, failing with every
 * violation of that rule in that stack. Waived findings pass and are listed in the case's output.
 */
export function formatJunit(report: Report): string {
  const builder = junitReportBuilder().newBuilder();
  for (const stack of report.stacks) {
    const suite = builder.testSuite().name(`ddb-guardrails.${stack.stack}`).property("source", stack.source);
    for (const rule of report.rules) {
      const findings = stack.findings.filter((f) => f.rule === rule.id);
      const violations = findings.filter((f) => f.status === "violation");
      const waived = findings.filter((f) => f.status === "waived");
      const testCase = suite
        .testCase()
        .className(`ddb-guardrails.${stack.stack}`)
        .name(`${rule.id} ${rule.title}`)
        .file(stack.source);
      if (violations.length > 0) {
        testCase.failure(violations.map((v) => `${v.severity}: ${v.message}`).join("\n"), rule.id);
      }
      if (waived.length > 0) {
        testCase.standardOutput(
          waived
            .map((w) => `waived until ${w.waiver?.expires}: ${w.message} (${w.waiver?.reason})`)
            .join("\n"),
        );
      }
    }
  }
  return builder.build();
}
