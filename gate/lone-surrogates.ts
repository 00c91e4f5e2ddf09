/*
 * A string cut in the middle of a character that needs two UTF-16 units (an emoji truncated with
 * `slice`, say) keeps half of it: a lone surrogate. JSON.stringify writes it as an escape such as
 * `\ud83d`, and OPA's JSON parser refuses the whole input ("illegal string escape character"), while
 * Terraform, whose JSON decoder is Go's, reads it as U+FFFD and applies the stack. The gate reads it
 * as Terraform does, so a stack Terraform accepts is never refused for it.
 */

// JSON.stringify escapes a surrogate only when it is lone (well-formed JSON.stringify, ES2019), and
// lowercase. The escape's backslash must not itself be escaped: `\\ud83d` is a backslash and text.
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/** JSON text from JSON.stringify with each lone surrogate replaced by U+FFFD, as Go's decoder reads it. */
export function withLoneSurrogatesReplaced(json: string): string {
  // Most inputs have none, and the test is one scan with no allocation.
  if (!json.includes("\\ud")) return json;
  return json.replace(LONE_SURROGATE_ESCAPE, "$1\\ufffd");
}
