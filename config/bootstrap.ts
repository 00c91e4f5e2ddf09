import { existsSync, readdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { partitionOf } from "../stacks/iam/arns";
import { bootstrapSchema, bootstrapStackName, type Bootstrap } from "./bootstrap-schema";
import type { ConfigIssue } from "./rules";
import type { Environment } from "./schema";
import { ConfigError, toConfigIssue } from "./validate";

/** Where bootstrap definitions live: one `<name>.ts` per AWS account, default-exported. */
export const BOOTSTRAP_DIR = join(__dirname, "..", "bootstrap");

function bootstrapName(definition: unknown): string {
  if (typeof definition === "object" && definition !== null && "name" in definition) {
    return String((definition as { name: unknown }).name);
  }
  return "(unnamed)";
}

/** The alias of the key that encrypts the account's state; environments' backends name it. */
export const STATE_KEY_ALIAS = "terraform-state";

export function stateKeyAliasArn(bootstrap: Bootstrap): string {
  const { id, region } = bootstrap.account;
  return `arn:${partitionOf(region)}:kms:${region}:${id}:alias/${STATE_KEY_ALIAS}`;
}

/** What an environment's backend must say for this account's pipeline roles to reach its state. */
function backendFix(bootstrap: Bootstrap, env: string): string {
  return `set backend: { bucket: "${bootstrap.stateBucket}", region: "${bootstrap.account.region}", kmsKeyId: "${stateKeyAliasArn(bootstrap)}" } in environments/${env}.ts`;
}

/** Each listed environment must exist, deploy to this account, and keep its state in this bucket. */
function environmentIssues(
  bootstrap: Bootstrap,
  environments: ReadonlyMap<string, Environment>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  bootstrap.environments.forEach((name, i) => {
    const path = ["environments", i];
    const env = environments.get(name);
    if (seen.has(name)) {
      issues.push({ path, found: name, expected: "each environment listed once" });
      return;
    }
    seen.add(name);
    if (!env) {
      const known = [...environments.keys()].map((n) => `"${n}"`).join(", ");
      issues.push({ path, found: name, expected: `an environment defined in environments/: ${known}` });
      return;
    }
    if (env.account.id !== bootstrap.account.id) {
      issues.push({
        path,
        found: name,
        expected: `an environment of account ${bootstrap.account.id}; "${name}" deploys to ${env.account.id} (list it in that account's bootstrap)`,
      });
      return;
    }
    if (env.account.organizationId !== bootstrap.account.organizationId) {
      issues.push({
        path,
        found: name,
        expected: `an environment of organization ${bootstrap.account.organizationId}; "${name}" names ${env.account.organizationId}`,
      });
    }
    const clash = bootstrap.environments.find((other) => other !== name && other.startsWith(`${name}-`));
    if (clash !== undefined) {
      issues.push({
        path,
        found: name,
        expected: `a name that is not a prefix of "${clash}" in the same account: the pipeline roles of "${name}" reach resources named "${name}-*", which would include "${clash}"'s`,
      });
    }
    if (!env.backend) {
      issues.push({
        path,
        found: name,
        expected: `an environment with remote state, which the pipeline needs between runs: ${backendFix(bootstrap, name)}`,
      });
    } else if (
      env.backend.bucket !== bootstrap.stateBucket ||
      env.backend.region !== bootstrap.account.region
    ) {
      issues.push({
        path,
        found: name,
        expected: `an environment whose state is in this account's bucket (its backend names "${env.backend.bucket}" in ${env.backend.region}): ${backendFix(bootstrap, name)}`,
      });
    } else if (env.backend.kmsKeyId !== stateKeyAliasArn(bootstrap)) {
      issues.push({
        path,
        found: name,
        expected: `an environment whose state is encrypted with the bucket's key (without kmsKeyId the backend asks S3 for SSE-S3, which the bucket refuses): ${backendFix(bootstrap, name)}`,
      });
    }
  });
  return issues;
}

/** Checks one bootstrap definition against the environments it lists; `source` names the file. */
export function validateBootstrap(
  definition: unknown,
  source: string,
  environments: ReadonlyMap<string, Environment>,
): Bootstrap {
  const parsed = bootstrapSchema.safeParse(definition, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(
      source,
      bootstrapName(definition),
      parsed.error.issues.map(toConfigIssue),
      "bootstrap",
    );
  }
  const issues = environmentIssues(parsed.data, environments);
  if (issues.length > 0) throw new ConfigError(source, parsed.data.name, issues, "bootstrap");
  return parsed.data;
}

/**
 * Loads and validates every bootstrap definition in `dir` (none when the folder does not exist:
 * the gate also runs in checkouts that deploy nothing). One file per account; adding an account is
 * adding a file.
 */
export function loadBootstraps(
  environments: readonly Environment[],
  dir: string = BOOTSTRAP_DIR,
): Bootstrap[] {
  if (!existsSync(dir)) return [];
  const byName = new Map(environments.map((env) => [env.name, env]));
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts"))
    .map((entry) => join(dir, entry.name))
    .sort();
  const bootstraps = files.map((file) => loadBootstrapFile(file, byName));
  checkAcrossBootstraps(bootstraps, files, byName);
  return bootstraps;
}

function loadBootstrapFile(file: string, environments: ReadonlyMap<string, Environment>): Bootstrap {
  const source = relative(process.cwd(), file) || file;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- definitions are discovered at run time
  const loaded: unknown = require(file);
  const definition =
    typeof loaded === "object" && loaded !== null && "default" in loaded ? loaded.default : undefined;
  if (definition === undefined) {
    throw new ConfigError(
      source,
      basename(file, ".ts"),
      [
        {
          path: [],
          found: undefined,
          expected: "a default export: `export default defineBootstrap({ ... })`",
        },
      ],
      "bootstrap",
    );
  }
  const bootstrap = validateBootstrap(definition, source, environments);
  const expectedName = basename(file, ".ts");
  if (bootstrap.name !== expectedName) {
    throw new ConfigError(
      source,
      bootstrap.name,
      [
        {
          path: ["name"],
          found: bootstrap.name,
          expected: `"${expectedName}", the file's name (rename one of them)`,
        },
      ],
      "bootstrap",
    );
  }
  return bootstrap;
}

/** One bootstrap per account, each environment in one of them, and no stack name taken twice. */
function checkAcrossBootstraps(
  bootstraps: Bootstrap[],
  files: string[],
  environments: ReadonlyMap<string, Environment>,
): void {
  const accounts = new Map<string, string>();
  const owners = new Map<string, string>();
  bootstraps.forEach((bootstrap, b) => {
    const fail = (path: (string | number)[], found: unknown, expected: string): never => {
      throw new ConfigError(
        relative(process.cwd(), files[b]),
        bootstrap.name,
        [{ path, found, expected }],
        "bootstrap",
      );
    };
    const stack = bootstrapStackName(bootstrap.name);
    if (environments.has(stack)) {
      fail(
        ["name"],
        bootstrap.name,
        `a name whose stack "${stack}" is not also an environment (rename one of them)`,
      );
    }
    const other = accounts.get(bootstrap.account.id);
    if (other !== undefined) {
      fail(
        ["account", "id"],
        bootstrap.account.id,
        `an account no other bootstrap covers; bootstrap/${other}.ts already does`,
      );
    }
    accounts.set(bootstrap.account.id, bootstrap.name);
    bootstrap.environments.forEach((env, i) => {
      const owner = owners.get(env);
      if (owner !== undefined) {
        fail(["environments", i], env, `an environment no other bootstrap lists; bootstrap/${owner}.ts does`);
      }
      owners.set(env, bootstrap.name);
    });
  });
}

/** The environments a bootstrap lists, validated, in its order. */
export function environmentsOf(bootstrap: Bootstrap, environments: readonly Environment[]): Environment[] {
  return bootstrap.environments.map((name) => {
    const env = environments.find((e) => e.name === name);
    if (!env) throw new Error(`bootstrap ${bootstrap.name} lists unknown environment ${name}`);
    return env;
  });
}
