import type { RuleMetadata } from "../../gate/catalog";
import type { Finding, Severity } from "../../gate/findings";
import { formatMarkdown, MAX_MESSAGE_LENGTH, MAX_ROWS_PER_STACK } from "../../gate/formats/markdown";
import type { Report, StackReport } from "../../gate/run";

const RULES: RuleMetadata[] = [
  {
    id: "GR-ENC-001",
    title: "t",
    description: "d",
    severity: "critical",
    practice: "p",
    inputs: "any",
    file: "f",
  },
  {
    id: "GR-TAG-001",
    title: "t",
    description: "d",
    severity: "low",
    practice: "p",
    inputs: "any",
    file: "f",
  },
];

function finding(stack: string, severity: Severity, address: string, extra: Partial<Finding> = {}): Finding {
  return {
    rule: severity === "critical" ? "GR-ENC-001" : "GR-TAG-001",
    severity,
    title: "t",
    address,
    stack,
    message: `${address}: something is wrong; fix it`,
    status: "violation",
    ...extra,
  };
}

function stack(name: string, findings: Finding[]): StackReport {
  return {
    stack: name,
    source: `cdktf.out/stacks/${name}/cdk.tf.json`,
    format: "cdktf",
    findings,
    lines: {},
  };
}

const report = (stacks: StackReport[], unusedWaivers: Report["unusedWaivers"] = []): Report => ({
  stacks,
  rules: RULES,
  unusedWaivers,
});

/** The markdown table rows (not the header or separator) under a stack's heading. */
function rowsOf(markdown: string, name: string): string[] {
  const section = markdown.split(/^### /m).find((s) => s.startsWith(`${name}:`));
  if (section === undefined) throw new Error(`no section for ${name} in:\n${markdown}`);
  return section.split("\n").filter((line) => line.startsWith("| ") && !/^\| (Severity|---)/.test(line));
}

describe("--format markdown", () => {
  it("opens with the verdict and a summary line", () => {
    const markdown = formatMarkdown(
      report([
        stack("dev", [finding("dev", "critical", "aws_dynamodb_table.a"), finding("dev", "low", "aws_x.b")]),
        stack("prod", []),
      ]),
    );
    const [heading, blank, summary] = markdown.split("\n");
    expect(heading).toBe("## ddb-guardrails: FAILED");
    expect(blank).toBe("");
    expect(summary).toBe("2 stacks checked against 2 rules: 2 violations (1 critical, 1 low), 0 waived.");
    expect(markdown).toContain("Passed with no findings: prod.");
  });

  it("says passed when every finding is waived", () => {
    const waived = finding("dev", "critical", "aws_dynamodb_table.a", {
      status: "waived",
      waiver: { reason: "being migrated to its key", expires: "2026-12-31" },
    });
    const markdown = formatMarkdown(report([stack("dev", [waived])]));
    expect(markdown.split("\n")[0]).toBe("## ddb-guardrails: passed");
    expect(markdown).toContain("### dev: passed, 1 waived");
    expect(rowsOf(markdown, "dev")).toEqual([
      "| waived (critical) | GR-ENC-001 | `aws_dynamodb_table.a` | aws_dynamodb_table.a: something is wrong; fix it (waived until 2026-12-31: being migrated to its key) |",
    ]);
  });

  it("puts the worst stack first and, within a stack, violations worst first before waived findings", () => {
    const markdown = formatMarkdown(
      report([
        stack("alpha", [finding("alpha", "low", "aws_x.a"), finding("alpha", "low", "aws_x.b")]),
        stack("beta", [
          finding("beta", "low", "aws_x.low"),
          finding("beta", "critical", "aws_x.waived", { status: "waived", waiver: {} }),
          finding("beta", "critical", "aws_x.critical"),
        ]),
        stack("gamma", []),
      ]),
    );
    const headings = markdown.split("\n").filter((line) => line.startsWith("### "));
    expect(headings).toEqual(["### beta: 2 violations, 1 waived", "### alpha: 2 violations"]);
    expect(rowsOf(markdown, "beta").map((row) => row.split(" | ")[2])).toEqual([
      "`aws_x.critical`",
      "`aws_x.low`",
      "`aws_x.waived`",
    ]);
    expect(rowsOf(markdown, "beta")[0]).toMatch(/^\| \*\*critical\*\* \| GR-ENC-001 \| /);
  });

  it(`caps each table at ${MAX_ROWS_PER_STACK} rows and says how many more there are`, () => {
    const many = Array.from({ length: MAX_ROWS_PER_STACK + 7 }, (_, i) =>
      finding("dev", "low", `aws_x.r${String(i).padStart(2, "0")}`),
    );
    const markdown = formatMarkdown(report([stack("dev", [...many, finding("dev", "critical", "aws_x.z")])]));
    const rows = rowsOf(markdown, "dev");
    expect(rows).toHaveLength(MAX_ROWS_PER_STACK);
    expect(rows[0]).toContain("`aws_x.z`");
    expect(markdown).toContain(
      "…and 8 more in dev: run `ddb-guardrails check` with `--format text` for every finding.",
    );
    expect(formatMarkdown(report([stack("dev", many.slice(0, MAX_ROWS_PER_STACK))]))).not.toContain(
      "more in dev",
    );
  });

  it("keeps each finding on one table row: pipes escaped, line breaks and HTML neutralised, long text cut", () => {
    const message = `a | b\nc <script>x</script> ${"y".repeat(MAX_MESSAGE_LENGTH)}`;
    const [row] = rowsOf(
      formatMarkdown(report([stack("dev", [finding("dev", "low", "aws_x.a", { message })])])),
      "dev",
    );
    const cells = row.split(" | ");
    expect(cells).toHaveLength(4);
    const text = cells[3].replace(/ \|$/, "");
    expect(text.startsWith("a \\| b c &lt;script&gt;x&lt;/script&gt; yyy")).toBe(true);
    expect(text.endsWith("…")).toBe(true);
    expect(text).not.toContain("\n");
  });

  it("names the stack-wide findings and the waivers that matched nothing", () => {
    const markdown = formatMarkdown(
      report(
        [stack("dev", [finding("dev", "low", "")])],
        [
          {
            rule: "GR-ENC-001",
            address: "aws_dynamodb_table.gone",
            stack: "dev",
            reason: "a reason long enough",
            expires: "2026-12-31",
          },
        ],
      ),
    );
    expect(rowsOf(markdown, "dev")[0]).toContain("| (stack) |");
    expect(markdown).toContain(
      "- Waiver for GR-ENC-001 on `aws_dynamodb_table.gone` (dev) matched no finding: remove it.",
    );
  });
});
