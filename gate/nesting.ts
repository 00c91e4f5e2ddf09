/*
 * Where a document nests too deeply to gate. Serializing the input (JavaScript) and parsing it (the
 * policy's wasm) both recurse once per level, so a value nested some thousands of levels deep runs
 * them out of stack. Terraform and CDKTF write a few dozen levels at most, so such a file came from
 * another tool, and the error should say where, not only that a stack overflowed.
 */

/** Levels beyond which the path is reported: far above what Terraform writes, far below what fails. */
export const REPORTED_DEPTH = 1000;

/** Shown of a path: enough to find the value, short enough for a log line. */
const SHOWN_SEGMENTS = 6;

interface Step {
  value: unknown;
  segment: string;
  depth: number;
  parent?: Step;
}

/**
 * The path (`resource.aws_dynamodb_table.t.tags[0]…`) to the first value nested more than `limit`
 * levels deep, or undefined when none is. Walks with its own stack, so it cannot overflow itself, and
 * keeps each step's parent rather than a copy of its path, so a deep chain costs linear memory.
 */
export function tooDeepPath(document: unknown, limit = REPORTED_DEPTH): string | undefined {
  const pending: Step[] = [{ value: document, segment: "", depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const step = next;
    if (typeof step.value !== "object" || step.value === null) continue;
    if (step.depth > limit) return describe(step);
    const entries: [string, unknown][] = Array.isArray(step.value)
      ? step.value.map((item, index) => [`[${index}]`, item])
      : Object.entries(step.value).map(([key, item]) => [`.${key}`, item]);
    // Pushed last to first, so the walk meets the document in its own order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [segment, value] = entries[i];
      pending.push({ value, segment, depth: step.depth + 1, parent: step });
    }
  }
  return undefined;
}

function describe(deepest: Step): string {
  const segments: string[] = [];
  for (let step: Step | undefined = deepest; step !== undefined; step = step.parent)
    segments.push(step.segment);
  const path = segments.reverse().filter((segment) => segment !== "");
  const shown = path.slice(0, SHOWN_SEGMENTS).join("").replace(/^\./, "");
  return path.length > SHOWN_SEGMENTS ? `${shown}…` : shown;
}
