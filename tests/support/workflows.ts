import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseShell, type ParseEntry } from "shell-quote";
import { parse as parseYaml } from "yaml";

/*
 * The GitHub workflows as data, for tests that hold them to the project's rules: the parsed YAML
 * (GitHub's own schema is checked by actionlint in .ci/run), each step's shell command as words with
 * the job's variables filled in, and the pinned action releases of .github/action-pins.md.
 */

export const ROOT = join(__dirname, "..", "..");
export const WORKFLOWS_DIR = join(ROOT, ".github", "workflows");

export interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  "continue-on-error"?: unknown;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  "runs-on"?: string;
  "timeout-minutes"?: number;
  permissions?: Record<string, string> | string;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean } | string;
  strategy?: { matrix?: Record<string, unknown> | string; "fail-fast"?: boolean };
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps?: Step[];
  uses?: string;
  with?: Record<string, string>;
}

export interface Workflow {
  file: string;
  text: string;
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  env?: Record<string, string>;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

export function loadWorkflows(): Workflow[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(join(WORKFLOWS_DIR, file), "utf8");
      const parsed = parseYaml(text, { uniqueKeys: true, strict: true }) as Omit<Workflow, "file" | "text">;
      return { ...parsed, file, text };
    });
}

export function workflow(workflows: Workflow[], file: string): Workflow {
  const found = workflows.find((w) => w.file === file);
  if (found === undefined) throw new Error(`no workflow ${file} in .github/workflows`);
  return found;
}

export const needsOf = (job: Job): string[] =>
  job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];

export const steps = (job: Job): Step[] => job.steps ?? [];

/** `actions/checkout@<sha>` -> "actions/checkout"; `github/codeql-action/upload-sarif@…` keeps its path. */
export const actionOf = (uses: string): string => uses.split("@")[0];

export function stepUsing(job: Job, action: string): Step[] {
  return steps(job).filter((step) => step.uses !== undefined && actionOf(step.uses) === action);
}

/** One pinned release: owner/repo, its tag and the tag's commit. */
export interface Pin {
  repository: string;
  tag: string;
  commit: string;
}

export function loadPins(): Pin[] {
  const text = readFileSync(join(ROOT, ".github", "action-pins.md"), "utf8");
  return [...text.matchAll(/^\| ([\w.-]+\/[\w.-]+) \| (v[\d.]+) \| ([0-9a-f]{40}) \|/gm)].map((m) => ({
    repository: m[1],
    tag: m[2],
    commit: m[3],
  }));
}

/** Every `uses:` line of a workflow's text: the reference and the comment after it. */
export function usesLines(text: string): { line: number; reference: string; comment?: string }[] {
  return text.split("\n").flatMap((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(.*))?$/.exec(line);
    return match ? [{ line: index + 1, reference: match[1], comment: match[2]?.trim() }] : [];
  });
}

/** `${{ matrix.environment }}`-style expressions replaced from a context; anything else is kept. */
export function substitute(value: string, context: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (expression, key: string) => context[key] ?? expression);
}

export type Word = string | { op: string };

/** The variables a step's shell sees: workflow, job and step `env`, with `${{ … }}` filled from context. */
export function stepEnvironment(
  wf: Workflow,
  job: Job,
  step: Step,
  context: Record<string, string>,
): Record<string, string> {
  const merged = { ...wf.env, ...job.env, ...step.env };
  return Object.fromEntries(
    Object.entries(merged).map(([key, value]) => [key, substitute(String(value), context)]),
  );
}

/** The files GitHub provides through these variables, as tests name them. */
export const GITHUB_FILES: Record<string, string> = {
  GITHUB_OUTPUT: "<GITHUB_OUTPUT>",
  GITHUB_STEP_SUMMARY: "<GITHUB_STEP_SUMMARY>",
  // The tag or branch that triggered the run, which the runner sets.
  GITHUB_REF_NAME: "v0.1.0",
};

/**
 * A step's command as words and operators, variables expanded the way bash would. Refuses scripts of
 * more than one command and variables the step does not define, so every step stays one command a
 * test can run.
 */
export function commandOf(step: Step, env: Record<string, string>): Word[] {
  const lines = (step.run ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (lines.length !== 1)
    throw new Error(`step "${step.name ?? step.run}" runs ${lines.length} commands, not 1`);
  const words = parseShell(lines[0], (key: string) => {
    const value = env[key] ?? GITHUB_FILES[key];
    if (value === undefined)
      throw new Error(`step "${step.name ?? step.run}" uses $${key}, which it does not set`);
    return value;
  });
  return words.map((word: ParseEntry): Word => {
    if (typeof word === "string") return word;
    // A glob stays the pattern the shell would expand; the test of the step says what it must be.
    if ("op" in word && word.op === "glob") return word.pattern;
    if ("op" in word) return { op: word.op };
    throw new Error(`step "${step.name ?? step.run}": unsupported shell syntax ${JSON.stringify(word)}`);
  });
}

/** The words before the first operator, and where the output goes (`>` or `>>` FILE), if anywhere. */
export function splitRedirect(words: Word[]): { argv: string[]; redirect?: { op: string; file: string } } {
  const at = words.findIndex((word) => typeof word !== "string");
  if (at < 0) return { argv: words as string[] };
  const op = words[at] as { op: string };
  const file = words[at + 1];
  if (!(op.op === ">" || op.op === ">>") || typeof file !== "string" || words.length !== at + 2) {
    throw new Error(
      `only one trailing > or >> redirect is allowed, found ${JSON.stringify(words.slice(at))}`,
    );
  }
  return { argv: words.slice(0, at) as string[], redirect: { op: op.op, file } };
}
