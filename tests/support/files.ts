import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FACTS_KEY } from "../../gate/facts";
import { shippedFacts, type TerraformJson } from "./gate";

/**
 * A cdktf.out-shaped folder: manifest.json plus stacks/<name>/cdk.tf.json, each shipped stack
 * carrying its facts as `cdktf synth` writes them (Testing.synth leaves out "//").
 */
export function synthFolder(stacks: Record<string, TerraformJson>): string {
  const dir = mkdtempSync(join(tmpdir(), "cdktf-out-"));
  const manifest: Record<string, unknown> = {};
  for (const [name, stack] of Object.entries(stacks)) {
    const facts = shippedFacts.get(name);
    const document = facts === undefined ? stack : { "//": { [FACTS_KEY]: facts }, ...stack };
    mkdirSync(join(dir, "stacks", name), { recursive: true });
    writeFileSync(join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify(document, null, 2));
    manifest[name] = {
      name,
      synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
      workingDirectory: `stacks/${name}`,
    };
  }
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: manifest }));
  return dir;
}

/** A file of that name in a fresh temporary folder. */
export function file(name: string, content: string | Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), "gate-input-")), name);
  writeFileSync(path, content);
  return path;
}
