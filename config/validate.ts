import type { z } from "zod";
import { formatPath } from "./format-path";
import { crossFieldIssues, type ConfigIssue } from "./rules";
import { environmentSchema, type Environment } from "./schema";

/** Raised for any invalid environment definition; the message lists every problem found. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly environment: string,
    readonly issues: ConfigIssue[],
    /** What the file defines: an environment, or an account's bootstrap (bootstrap/<name>.ts). */
    readonly kind: "environment" | "bootstrap" = "environment",
  ) {
    super(
      [
        `Invalid ${kind} definition in ${source} (${kind} "${environment}"):`,
        ...issues.map(
          (issue) =>
            `  - ${formatPath(issue.path)}: found ${formatValue(issue.found)}; expected ${issue.expected}`,
        ),
      ].join("\n"),
    );
    this.name = "ConfigError";
  }
}

export { formatPath };

function formatValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      // zod's default text says "Invalid input: expected …"; custom messages already say what is expected.
      return issue.message.startsWith("Invalid input") ? `a value of type ${issue.expected}` : issue.message;
    case "unrecognized_keys":
      return `no field named ${issue.keys.map((k) => `"${k}"`).join(", ")} (check the spelling against config/schema.ts)`;
    default:
      return issue.message;
  }
}

export function toConfigIssue(issue: z.core.$ZodIssue): ConfigIssue {
  if (issue.code === "unrecognized_keys") {
    return { path: issue.path as (string | number)[], found: issue.keys, expected: expectation(issue) };
  }
  return { path: issue.path as (string | number)[], found: issue.input, expected: expectation(issue) };
}

function environmentName(definition: unknown): string {
  if (typeof definition === "object" && definition !== null && "name" in definition) {
    return String((definition as { name: unknown }).name);
  }
  return "(unnamed)";
}

/**
 * Checks one definition and fills in its defaults. `source` names the file in error messages.
 * Shape errors are reported first; cross-field rules only run on well-shaped input, where they can
 * say something precise.
 */
export function validateEnvironment(definition: unknown, source: string): Environment {
  const parsed = environmentSchema.safeParse(definition, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(source, environmentName(definition), parsed.error.issues.map(toConfigIssue));
  }
  const issues = crossFieldIssues(parsed.data);
  if (issues.length > 0) throw new ConfigError(source, parsed.data.name, issues);
  return {
    ...parsed.data,
    keyDeletionWindowDays: parsed.data.keyDeletionWindowDays ?? (parsed.data.tier === "production" ? 30 : 7),
  };
}
