import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * The root of the git checkout holding `start` (the nearest folder with a `.git` entry, which is a
 * file in worktrees), else `start` itself. Code scanning resolves a report's paths against the
 * repository root, wherever in the checkout the gate ran.
 */
export function repositoryRoot(start: string = process.cwd()): string {
  const from = resolve(start);
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return from;
  }
}
