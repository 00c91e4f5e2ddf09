// `npm run check`: synthesize every environment, build the policies if their inputs changed, and
// gate cdktf.out, all in one Node process. Each extra process (npm run, the cdktf CLI, ts-node) cost
// more than the work itself: the three steps take about a second together once started.
//
// Usage: node -r esbuild-register scripts/check.ts [--timings]
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ConfigError } from "../config/validate";
import { main as gate } from "../gate/cli";
import { synthesizeEnvironments } from "../main";
import { reportBuild } from "./build-policies";
import { ROOT, ToolchainError } from "./opa-toolchain";

interface CdktfJson {
  output?: string;
  context?: Record<string, unknown>;
}

/**
 * What `cdktf synth` hands the app (see @cdktf/cli-core synth-stack.ts), so the app synthesizes the
 * same stacks here: the output folder, cdktf.json's context, and error annotations reported by the
 * gate rather than thrown halfway through synthesis.
 */
function cdktfEnvironment(): { outdir: string } {
  const config = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as CdktfJson;
  const outdir = join(ROOT, config.output ?? "cdktf.out");
  const inherited = process.env.CDKTF_CONTEXT_JSON;
  process.env.CDKTF_OUTDIR = outdir;
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
  process.env.CDKTF_CONTEXT_JSON = JSON.stringify({
    ...(config.context ?? {}),
    ...(inherited ? (JSON.parse(inherited) as Record<string, unknown>) : {}),
    cdktfRelativeModules: [],
  });
  return { outdir };
}

/** Like `cdktf synth`, drops stack folders left by environments that no longer exist. */
function removeOrphanedStacks(outdir: string): void {
  const stacksDir = join(outdir, "stacks");
  if (!existsSync(stacksDir)) return;
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { name: string }>;
  };
  const current = new Set(Object.values(manifest.stacks).map((stack) => stack.name));
  for (const entry of readdirSync(stacksDir, { withFileTypes: true })) {
    if (entry.isDirectory() && !current.has(entry.name)) {
      rmSync(join(stacksDir, entry.name), { recursive: true });
    }
  }
}

async function main(): Promise<number> {
  const timings: [string, number][] = [];
  const step = async <T>(name: string, run: () => T | Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run();
    timings.push([name, performance.now() - started]);
    return result;
  };
  const { outdir } = cdktfEnvironment();
  await step("synth", () => {
    synthesizeEnvironments();
    removeOrphanedStacks(outdir);
  });
  await step("build:policies", () => reportBuild());
  // The gate here is the TypeScript below; `npx ddb-guardrails` and the workflows run the compiled
  // one (bin/ddb-guardrails.js -> dist/cli.js), which must not be left behind the sources.
  await step("build:cli", () => {
    execFileSync(process.execPath, [join(ROOT, "scripts", "build-cli.mjs")], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  });
  const code = await step("gate", () => gate(["check", outdir]));
  if (process.argv.includes("--timings")) {
    const total = timings.reduce((sum, [, ms]) => sum + ms, 0);
    const parts = timings.map(([name, ms]) => `${name} ${Math.round(ms)} ms`).join(", ");
    process.stderr.write(`check: ${parts} (${Math.round(total)} ms after start-up)\n`);
  }
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // As the separate commands did: a config mistake (`cdktf synth`) or a missing or wrong OPA
    // (`build:policies`) is its message, without a stack trace, and exit 1; anything else is a bug.
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else if (error instanceof ToolchainError) {
      process.stderr.write(`build-policies: ${error.message}\n`);
    } else {
      process.stderr.write(
        `check: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exitCode = error instanceof ConfigError || error instanceof ToolchainError ? 1 : 2;
  },
);
