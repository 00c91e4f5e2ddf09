// What the GitHub workflows know about the environments, read from environments/ (the only list
// there is), so adding `environments/<name>.ts` adds it to the pull-request plans with no workflow edit.
//
// Usage: ts-node scripts/pipeline-environments.ts matrix
//          `matrix=<JSON>` for $GITHUB_OUTPUT, the JSON being a `strategy.matrix`:
//          {"include":[{"environment","tier","account","region","plan_role_variable"}, …]}
//        ts-node scripts/pipeline-environments.ts show <name> [--deployable]
//          the same facts of one environment as `key=value` lines for $GITHUB_OUTPUT; with --deployable,
//          exit 1 unless the environment keeps remote state, since a runner's local state is lost
//          after every deploy and the next one would try to create everything again.
import { parseArgs } from "node:util";
import { loadEnvironments } from "../config/load";
import { ConfigError } from "../config/validate";
import { TIERS, type Environment } from "../config/schema";

export interface MatrixEntry {
  environment: string;
  tier: Environment["tier"];
  account: string;
  region: string;
  /** The repository variable holding the environment's read-only plan role ARN, e.g. AWS_PLAN_ROLE_ARN_DEV. */
  plan_role_variable: string;
}

export class PipelineError extends Error {}

function entry(env: Environment): MatrixEntry {
  return {
    environment: env.name,
    tier: env.tier,
    account: env.account.id,
    region: env.account.region,
    // Variable names allow only letters, digits and '_'; environment names may hold '-'.
    plan_role_variable: `AWS_PLAN_ROLE_ARN_${env.name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`,
  };
}

/** Every environment, development tiers first, in the order a change is promoted. */
export function environmentMatrix(environments: readonly Environment[]): { include: MatrixEntry[] } {
  const rank = (env: Environment) => TIERS.indexOf(env.tier);
  const ordered = [...environments].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  return { include: ordered.map(entry) };
}

/** One environment's facts as `key=value` lines; refuses an unknown name and, if asked, local state. */
export function describeEnvironment(
  environments: readonly Environment[],
  name: string,
  options: { deployable?: boolean } = {},
): string {
  const env = environments.find((candidate) => candidate.name === name);
  if (env === undefined) {
    const known = environments.map((candidate) => candidate.name).join(", ");
    throw new PipelineError(
      `no environment "${name}" in environments/ (found: ${known}); add environments/${name}.ts or fix the workflow's environment name`,
    );
  }
  if (options.deployable && env.backend === undefined) {
    throw new PipelineError(
      `environments/${name}.ts has no backend: the pipeline cannot deploy an environment whose state would stay on a throw-away runner; set backend: { bucket, region } to the account's state bucket`,
    );
  }
  return `${Object.entries(entry(env))
    .map(([key, value]) => `${key}=${value}`)
    .join("\n")}\n`;
}

const USAGE = "usage: pipeline-environments matrix | show <name> [--deployable]";

export function main(argv: string[], environments: () => Environment[] = loadEnvironments): string {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { deployable: { type: "boolean", default: false } },
  });
  const [command, name, ...rest] = positionals;
  if (command === "matrix" && name === undefined && !values.deployable) {
    return `matrix=${JSON.stringify(environmentMatrix(environments()))}\n`;
  }
  if (command === "show" && name !== undefined && rest.length === 0) {
    return describeEnvironment(environments(), name, { deployable: values.deployable });
  }
  throw new PipelineError(USAGE);
}

if (require.main === module) {
  try {
    process.stdout.write(main(process.argv.slice(2)));
  } catch (error) {
    const known = error instanceof PipelineError || error instanceof ConfigError;
    const isArgError = error instanceof TypeError && "code" in error;
    if (!known && !isArgError) throw error;
    process.stderr.write(`pipeline-environments: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
