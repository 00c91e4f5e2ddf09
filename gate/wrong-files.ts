import { basename } from "node:path";
import { isJsonObject as isObject } from "./json-object";

/*
 * The files pipelines hand the gate by mistake, each with what to run instead: Terraform's and the
 * shells' other outputs look enough like the right one that "not valid JSON" alone leaves a platform
 * team guessing.
 */

const SHOW_JSON = "give the gate `terraform show -json plan.tfplan` of a saved plan";

/*
 * hashicorp/setup-terraform installs a wrapper (terraform_wrapper, on by default) that writes
 * "[command]…terraform-bin show -json …" before the command's output and "::debug::" lines after it,
 * so `terraform show -json plan > plan.json` is not JSON (cds-snc/terraform-plan#28 is one of many).
 */
const WRAPPER_OUTPUT = /^\[command\]|^::debug::/m;

/** A saved plan (`terraform plan -out`) is a zip archive only Terraform reads. */
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Terraform's native syntax, as `cdktf synth --hcl` writes it (cdk.tf) or as a module holds it. */
const HCL_BLOCK = /^\s*(terraform|provider|resource|data|module|variable|locals|output)\b[^\n{]*\{/m;

const isLogMessage = (entry: unknown): boolean => isObject(entry) && "@level" in entry && "@message" in entry;

/** `terraform plan -json` streams its log as JSON lines ({"@level", "@message", "type", ...}), not the plan. */
function isPlanLog(text: string): boolean {
  const end = text.indexOf("\n");
  try {
    return isLogMessage(JSON.parse(end === -1 ? text : text.slice(0, end)));
  } catch {
    return false;
  }
}

/** What to give the gate instead of a saved plan file (bytes start as a zip archive); else undefined. */
export function savedPlanHint(file: string, bytes: Buffer): string | undefined {
  if (!bytes.subarray(0, ZIP_SIGNATURE.length).equals(ZIP_SIGNATURE)) return undefined;
  return `it is a saved plan, a zip archive only Terraform reads; give the gate its JSON: \`terraform show -json ${basename(file)} > <stack>.plan.json\``;
}

/** What a text file that is not JSON probably is, and what to give the gate instead; undefined if unsure. */
export function notJsonHint(file: string, text: string): string | undefined {
  if (WRAPPER_OUTPUT.test(text)) {
    return (
      "it holds the output of hashicorp/setup-terraform's wrapper around the plan ([command] and ::debug:: lines); " +
      "set `terraform_wrapper: false` on that step, or run terraform-bin, and write the plan again"
    );
  }
  if (isPlanLog(text)) {
    return `it is the log \`terraform plan -json\` streams, one JSON message a line, not the plan; save the plan with \`terraform plan -out=plan.tfplan\` and ${SHOW_JSON}`;
  }
  if ((file.endsWith(".tf") || HCL_BLOCK.test(text)) && !text.trimStart().startsWith("{")) {
    return (
      "it is HCL, Terraform's native syntax (`cdktf synth --hcl` writes cdk.tf): synthesize JSON with `cdktf synth` (no --hcl), or " +
      SHOW_JSON
    );
  }
  return undefined;
}

/** What a JSON document of no shape the gate reads probably is; undefined if unsure. */
export function unknownShapeHint(document: unknown): string | undefined {
  if (isObject(document) && typeof document.format_version === "string" && "values" in document) {
    return `it has format_version and values but no planned_values, so it is the JSON of a state (\`terraform show -json\` with no plan file); ${SHOW_JSON}`;
  }
  if (isLogMessage(document)) {
    return `it is a message of the log \`terraform plan -json\` streams, not the plan; ${SHOW_JSON}`;
  }
  return undefined;
}
