/**
 * A validation issue's path as a reader writes it: `teams[0].grants[1].table`. Its own module, so
 * the gate's CLI bundle can use it without pulling in the environment schema.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(the whole definition)";
  return path
    .map((segment, i) =>
      typeof segment === "number" ? `[${segment}]` : `${i === 0 ? "" : "."}${String(segment)}`,
    )
    .join("");
}
