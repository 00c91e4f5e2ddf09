import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../scripts/opa-toolchain";
import { formatTiming, ratio, summarize, timeProcess, type Timing } from "./stats";

/*
 * CLI start-up as a pipeline in another repository pays it: the gate installed from `npm pack`'s
 * tarball, run on one shipped stack, against `node -e 0` (the floor no Node CLI can beat). Samples
 * alternate between the two so a busy machine slows both alike. Target: within 3× of the floor.
 *
 * Also runnable alone: `npm run bench:startup [-- --runs N]` (gates the shipped prod stack).
 */

export interface StartupFigures {
  node: Timing;
  cli: Timing;
  /** cli median ÷ node median */
  ratio: number;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Packs the repository and installs the tarball into an empty folder; returns the installed bin. */
export function installPackage(work: string): string {
  const name =
    run("npm", ["pack", "--silent", "--pack-destination", work], ROOT).trim().split("\n").at(-1) ?? "";
  const project = join(work, "installed");
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "bench-startup", private: true }));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(work, name)], project);
  return join(project, "node_modules", "ddb-guardrails", "bin", "ddb-guardrails.js");
}

/** Start-up of the installed CLI on one stack (which must pass) against `node -e 0`. */
export function measureStartup(bin: string, stackFile: string, runs = 15): StartupFigures {
  const node: number[] = [];
  const cli: number[] = [];
  const args = [bin, "check", stackFile, "--format", "json"];
  // One unmeasured run of each warms the file cache.
  timeProcess(process.execPath, ["-e", "0"], [0]);
  timeProcess(process.execPath, args, [0]);
  for (let i = 0; i < runs; i++) {
    node.push(timeProcess(process.execPath, ["-e", "0"], [0]));
    cli.push(timeProcess(process.execPath, args, [0]));
  }
  const figures = { node: summarize(node), cli: summarize(cli) };
  return { ...figures, ratio: figures.cli.median / figures.node.median };
}

export function describeStartup(figures: StartupFigures): string {
  return (
    `start-up: installed CLI on one shipped stack ${formatTiming(figures.cli)}; node -e 0 ${formatTiming(figures.node)}; ` +
    `ratio ${ratio(figures.cli.median, figures.node.median)}`
  );
}

function main(): void {
  const runsFlag = process.argv.indexOf("--runs");
  const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;
  const work = mkdtempSync(join(tmpdir(), "ddb-guardrails-startup-"));
  try {
    // The shipped prod stack as `cdktf synth` writes it (with its facts), synthesized here.
    const synth = spawnSync(
      join(ROOT, "node_modules", ".bin", "cdktf"),
      ["synth", "--output", join(work, "out")],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      },
    );
    if (synth.status !== 0) throw new Error(`cdktf synth failed:\n${synth.stderr}`);
    const figures = measureStartup(
      installPackage(work),
      join(work, "out", "stacks", "prod", "cdk.tf.json"),
      runs,
    );
    console.log(describeStartup(figures));
    console.log(
      `  start-up ≤ 3× node -e 0: ${figures.ratio.toFixed(2)}× ${figures.ratio <= 3 ? "met" : "MISSED"}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) main();
