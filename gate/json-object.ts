/** A JSON object: not null, not an array. What every reader of a stack or plan tests before indexing. */
export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);
