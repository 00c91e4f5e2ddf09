import { readdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import type { Environment } from "./schema";
import { ConfigError, validateEnvironment } from "./validate";

/** Where environment definitions live: one `<name>.ts` per environment, default-exported. */
export const ENVIRONMENTS_DIR = join(__dirname, "..", "environments");

/**
 * Loads and validates every environment definition in `dir`.
 * Adding an environment is adding a file: nothing else registers it.
 */
export function loadEnvironments(dir: string = ENVIRONMENTS_DIR): Environment[] {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts"))
    .map((entry) => join(dir, entry.name))
    .sort();
  if (files.length === 0) {
    throw new Error(
      `No environment definitions found in ${dir}: add one file per environment, e.g. environments/dev.ts`,
    );
  }
  const environments = files.map(loadEnvironmentFile);
  checkAcrossEnvironments(environments, files);
  return environments;
}

export function loadEnvironmentFile(file: string): Environment {
  const source = relative(process.cwd(), file) || file;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- definitions are discovered at run time
  const loaded: unknown = require(file);
  const definition =
    typeof loaded === "object" && loaded !== null && "default" in loaded ? loaded.default : undefined;
  if (definition === undefined) {
    throw new ConfigError(source, basename(file, ".ts"), [
      {
        path: [],
        found: undefined,
        expected: "a default export: `export default defineEnvironment({ ... })`",
      },
    ]);
  }
  const environment = validateEnvironment(definition, source);
  const expectedName = basename(file, ".ts");
  if (environment.name !== expectedName) {
    throw new ConfigError(source, environment.name, [
      {
        path: ["name"],
        found: environment.name,
        expected: `"${expectedName}", the file's name (rename one of them)`,
      },
    ]);
  }
  return environment;
}

/** Environments sharing an account and region would fight over the same table names. */
function checkAcrossEnvironments(environments: Environment[], files: string[]): void {
  const owners = new Map<string, string>();
  environments.forEach((env, e) => {
    env.tables.forEach((table, t) => {
      const key = `${env.account.id}/${env.account.region}/${table.name}`;
      const owner = owners.get(key);
      if (owner !== undefined) {
        throw new ConfigError(relative(process.cwd(), files[e]), env.name, [
          {
            path: ["tables", t, "name"],
            found: table.name,
            expected: `a name not used by environment "${owner}", which deploys to the same account ${env.account.id} and region ${env.account.region}`,
          },
        ]);
      }
      owners.set(key, env.name);
    });
  });
}
