import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { buildPolicies } from "../scripts/build-policies";

/**
 * Compiles the policies and the CLI once before any worker starts, so parallel test files never race
 * to rebuild them. Each is skipped when its sources are unchanged; fails with how to install OPA if needed.
 */
export default async function globalSetup(): Promise<void> {
  await buildPolicies();
  // The CLI build is plain JavaScript (ESM), run as `npm run build:cli` runs it.
  const cli = spawnSync(process.execPath, [join(__dirname, "..", "scripts", "build-cli.mjs")], {
    encoding: "utf8",
  });
  if (cli.status !== 0) throw new Error(`build-cli failed:\n${cli.stderr || cli.stdout}`);
}
