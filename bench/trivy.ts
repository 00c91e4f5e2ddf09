import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../scripts/opa-toolchain";
import { runMeasured, summarize, type Timing } from "./stats";

/*
 * Trivy (`trivy config`, offline) on the same plan file the gate is given: the peer scanner the plan
 * path is measured against. Built by scripts/install-trivy.sh; never part of CI.
 */

export const TRIVY_BIN = join(ROOT, ".tools", "bin", "trivy");

export interface TrivyFigures {
  time: Timing;
  peakMb?: number;
  /** Checks Trivy reports as passed and failed on the plan: proof that it read the plan. */
  successes: number;
  failures: number;
}

interface TrivyReport {
  Results?: { Type?: string; MisconfSummary?: { Successes?: number; Failures?: number } }[];
}

/** Trivy scans a folder; each plan gets its own, holding only that file. */
export function measureTrivy(planFile: string, work: string, runs: number): TrivyFigures {
  if (!existsSync(TRIVY_BIN))
    throw new Error(`no Trivy at ${TRIVY_BIN}: run \`bash scripts/install-trivy.sh\``);
  const folder = join(work, `trivy-${planFile.replace(/[^A-Za-z0-9]/g, "_")}`);
  mkdirSync(folder, { recursive: true });
  copyFileSync(planFile, join(folder, "tfplan.json"));
  const report = join(work, "trivy-report.json");
  const args = [
    "config",
    "--skip-check-update",
    "--quiet",
    "--cache-dir",
    join(work, "trivy-cache"),
    "--format",
    "json",
    "--output",
    report,
    folder,
  ];
  const samples: number[] = [];
  let peakMb: number | undefined;
  for (let i = 0; i < runs; i++) {
    const measured = runMeasured(TRIVY_BIN, args);
    samples.push(measured.ms);
    if (measured.run.status !== 0)
      throw new Error(`trivy config failed (exit ${measured.run.status}):\n${measured.run.stderr}`);
    if (measured.peakMb !== undefined) peakMb = Math.max(peakMb ?? 0, measured.peakMb);
  }
  const parsed = JSON.parse(readFileSync(report, "utf8")) as TrivyReport;
  const planResults = (parsed.Results ?? []).filter((result) => result.Type === "terraformplan");
  if (planResults.length === 0) throw new Error(`trivy config did not read ${planFile} as a Terraform plan`);
  const sum = (field: "Successes" | "Failures") =>
    planResults.reduce((total, result) => total + (result.MisconfSummary?.[field] ?? 0), 0);
  return { time: summarize(samples), peakMb, successes: sum("Successes"), failures: sum("Failures") };
}
