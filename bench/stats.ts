import { spawnSync, type SpawnSyncOptions, type SpawnSyncReturns } from "node:child_process";
import { existsSync } from "node:fs";

/** Median, min and max of repeated timings, in milliseconds. */
export interface Timing {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(samples: readonly number[]): Timing {
  if (samples.length === 0) throw new Error("no samples to summarize");
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** Runs fn `runs` times after `warmup` unmeasured runs; each sample is one call's wall time. */
export function time(fn: () => void, runs: number, warmup = 1): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return summarize(samples);
}

/**
 * Wall time of a whole process, start to exit. Fails loudly on an unexpected exit status so a
 * broken command can never be reported as a fast one.
 */
export function timeProcess(
  command: string,
  args: readonly string[],
  expectStatus: readonly number[],
  options: SpawnSyncOptions = {},
): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 30, ...options });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.error) throw run.error;
  if (!expectStatus.includes(run.status ?? -1)) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${run.status}:\n${String(run.stderr).slice(0, 2000)}${String(run.stdout).slice(0, 2000)}`,
    );
  }
  return elapsed;
}

export function timeProcessRuns(
  command: string,
  args: readonly string[],
  expectStatus: readonly number[],
  runs: number,
  options: SpawnSyncOptions = {},
): Timing {
  return summarize(Array.from({ length: runs }, () => timeProcess(command, args, expectStatus, options)));
}

/** "12.3 ms" / "1.23 s": enough digits to compare, few enough to read. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatTiming(t: Timing): string {
  return `${formatMs(t.median)} (${formatMs(t.min)}–${formatMs(t.max)})`;
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}

/** Columns padded to their widest cell, under a header and a rule. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
}

/**
 * One run of a process with its wall time and, when the machine has GNU time, its peak resident
 * memory in MB (GNU time's own line is taken off the run's stderr).
 */
export function runMeasured(
  command: string,
  args: readonly string[],
  options: { cwd?: string } = {},
): { run: SpawnSyncReturns<string>; ms: number; peakMb?: number } {
  const gnuTime = existsSync("/usr/bin/time");
  const started = process.hrtime.bigint();
  const run = gnuTime
    ? spawnSync("/usr/bin/time", ["-f", "%M", command, ...args], {
        encoding: "utf8",
        maxBuffer: 1 << 28,
        ...options,
      })
    : spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 28, ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!gnuTime) return { run, ms };
  const lines = String(run.stderr).trimEnd().split("\n");
  const kb = Number(lines.at(-1));
  return {
    run: { ...run, stderr: lines.slice(0, -1).join("\n") },
    ms,
    peakMb: Number.isFinite(kb) ? kb / 1024 : undefined,
  };
}
