import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RuleMetadata } from "../scripts/build-policies";
import { COMPILED_POLICY_DIR } from "./policy";
import { GateError } from "./gate-error";

export type { RuleMetadata };

/** Every rule's id, title, description, severity and practice, as compiled from the Rego METADATA. */
export function loadCatalog(dir: string = COMPILED_POLICY_DIR): RuleMetadata[] {
  const file = join(dir, "rules.json");
  if (!existsSync(file)) throw new GateError(`no rule catalog at ${file}: run \`npm run build:policies\``);
  return JSON.parse(readFileSync(file, "utf8")) as RuleMetadata[];
}
