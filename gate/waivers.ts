import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { en } from "zod/v4/locales";
import * as z from "zod/mini";
import { formatPath } from "../config/format-path";
import { waiverSchema, type Finding, type Waiver } from "./findings";
import { GateError } from "./gate-error";

/** The checked-in waiver file the gate reads unless told otherwise. */
export const DEFAULT_WAIVERS_FILE = join(__dirname, "..", "waivers.json");

// zod/mini ships no messages; its English ones describe what a waiver file got wrong.
z.config(en());

const waiverFileSchema = z.strictObject({
  $comment: z.optional(z.string()),
  waivers: z.array(waiverSchema),
});

/**
 * Reads and validates waivers: each names a rule, an exact resource address, an optional stack, a
 * reason and an expiry date. A missing default file means no waivers; a named file must exist.
 */
export function loadWaivers(file: string = DEFAULT_WAIVERS_FILE, required = false): Waiver[] {
  const shown = relative(process.cwd(), file) || file;
  if (!existsSync(file)) {
    if (required) throw new GateError(`${shown}: waiver file not found`);
    return [];
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new GateError(`${shown}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = waiverFileSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw new GateError(`${shown}: invalid waivers:\n  - ${problems.join("\n  - ")}`);
  }
  return parsed.data.waivers;
}

/** Waivers that matched no finding: stale, and worth deleting. */
export function unusedWaivers(waivers: readonly Waiver[], findings: readonly Finding[]): Waiver[] {
  return waivers.filter(
    (waiver) =>
      !findings.some(
        (finding) =>
          finding.rule === waiver.rule &&
          finding.address === waiver.address &&
          (waiver.stack === undefined || waiver.stack === finding.stack),
      ),
  );
}
