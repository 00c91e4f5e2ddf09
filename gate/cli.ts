import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { TRUSTED_KEY, TRUSTED_KEY_EXPECTED } from "../config/trusted-keys";
import { loadCatalog } from "./catalog";
import { factsInSynthOutput, type EnvironmentFacts } from "./facts";
import { FORMATS, isFormatName } from "./formats";
import { GateError } from "./gate-error";
import { runGate, summarize } from "./run";
import { DEFAULT_WAIVERS_FILE, loadWaivers } from "./waivers";

export const EXIT = { clean: 0, violations: 1, error: 2 } as const;

const USAGE = `Usage: ddb-guardrails check <path>... [options]
       ddb-guardrails rules

Gates synthesized CDKTF stacks or Terraform plans with the ddb-guardrails policies.

<path> is a cdktf.out folder (every stack in its manifest), a cdk.tf.json, or the JSON of a plan
(\`terraform show -json plan.tfplan > prod.plan.json\`; the stack is named after the file).

Options:
  --config PATH                    a cdktf.out folder or cdk.tf.json to join each plan with (repeatable):
                                   the plan is paired with the stack of its name, and what the plan
                                   leaves unknown until apply is read from the synthesized configuration
  --format text|json|sarif|junit|markdown
                                   report format (default: text); markdown is a short table per
                                   stack for a pull request or a CI run summary
  --output FILE                    write the report to FILE instead of standard output
  --waivers FILE                   waiver file (default: waivers.json at the project root; an installed
                                   package has none, so elsewhere name yours)
  --organization-id o-...          AWS Organizations id, for stacks that do not carry their environment's
                                   facts (plans, stacks synthesized elsewhere); flags win over carried facts
  --account-id 123456789012        AWS account id, likewise
  --tier development|staging|production
  --key-arn ARN                    a customer-managed KMS key the stack uses but does not declare (repeatable)
  --backup-retention-days N        days a production stack's locked backup vault must keep recovery points (default: 35)
  --trusted-key KEY                a customer-managed KMS key kept outside the stack (key ARN, alias ARN or
                                   alias/<name>; repeatable), added to the environment's trustedKeys;
                                   other keys the stack names but does not declare are "cannot verify"
  --today YYYY-MM-DD               the date waivers are checked against (default: today, UTC)
  -h, --help                       show this help

Exit status: 0 no violations, 1 violations, 2 the gate could not decide (bad input, policy error).`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: "string", multiple: true },
      format: { type: "string", default: "text" },
      output: { type: "string" },
      waivers: { type: "string" },
      "organization-id": { type: "string" },
      "account-id": { type: "string" },
      tier: { type: "string" },
      "key-arn": { type: "string", multiple: true },
      "backup-retention-days": { type: "string" },
      "trusted-key": { type: "string", multiple: true },
      today: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

async function check(
  paths: string[],
  values: ReturnType<typeof parse>["values"],
  io: CliIo,
  environments: () => ReadonlyMap<string, EnvironmentFacts>,
): Promise<number> {
  const format = values.format ?? "text";
  if (!isFormatName(format))
    throw new GateError(`--format ${format}: expected one of ${Object.keys(FORMATS).join(", ")}`);
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) {
    throw new GateError(`--today ${values.today}: expected a date as YYYY-MM-DD`);
  }
  const retention = values["backup-retention-days"];
  if (retention !== undefined && !/^[1-9]\d{0,4}$/.test(retention)) {
    throw new GateError(`--backup-retention-days ${retention}: expected a positive whole number of days`);
  }
  for (const key of values["trusted-key"] ?? []) {
    if (!TRUSTED_KEY.test(key)) throw new GateError(`--trusted-key ${key}: expected ${TRUSTED_KEY_EXPECTED}`);
  }
  const report = await runGate({
    inputs: paths,
    configurations: values.config,
    waivers: loadWaivers(values.waivers ?? DEFAULT_WAIVERS_FILE, values.waivers !== undefined),
    environments,
    overrides: {
      organizationId: values["organization-id"],
      accountId: values["account-id"],
      tier: values.tier,
      keyArns: values["key-arn"],
      backupMinRetentionDays: retention === undefined ? undefined : Number(retention),
      trustedKeys: values["trusted-key"],
      today: values.today,
    },
  });
  const rendered = FORMATS[format](report);
  const summary = summarize(report);
  if (values.output !== undefined) {
    writeFileSync(values.output, rendered);
    io.stderr(
      `ddb-guardrails: ${summary.passed ? "passed" : "FAILED"}: ${summary.violations} violation(s), ${summary.waived} waived in ${summary.stacks} stack(s); ${format} report written to ${values.output}\n`,
    );
  } else {
    io.stdout(rendered);
  }
  return summary.passed ? EXIT.clean : EXIT.violations;
}

/**
 * Runs the CLI and returns its exit status; every failure to decide is exit 2 with a message.
 * Synthesized stacks carry their environment's facts; `environments` gives them for stacks that do
 * not (plans), by default from the synth output in the working directory (gate/facts.ts).
 */
export async function main(
  argv: string[],
  io: CliIo = processIo,
  environments: () => ReadonlyMap<string, EnvironmentFacts> = () => factsInSynthOutput(),
): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    const [command, ...paths] = positionals;
    if (values.help || command === undefined) {
      (values.help ? io.stdout : io.stderr)(`${USAGE}\n`);
      return values.help ? EXIT.clean : EXIT.error;
    }
    if (command === "rules") {
      for (const rule of loadCatalog()) {
        const only = rule.inputs === "plan" ? " (plans only)" : "";
        io.stdout(`${rule.id}  ${rule.severity.padEnd(8)}  ${rule.title}${only}\n`);
      }
      return EXIT.clean;
    }
    if (command !== "check") throw new GateError(`unknown command "${command}"; run ddb-guardrails --help`);
    return await check(paths, values, io, environments);
  } catch (error) {
    if (error instanceof GateError) {
      io.stderr(`ddb-guardrails: ${error.message}\n`);
    } else if (
      error instanceof TypeError &&
      "code" in error &&
      String(error.code).startsWith("ERR_PARSE_ARGS")
    ) {
      io.stderr(`ddb-guardrails: ${error.message}\n${USAGE}\n`);
    } else {
      io.stderr(
        `ddb-guardrails: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    return EXIT.error;
  }
}
