// Compiles the gate's CLI (gate/cli.ts and everything it imports, npm packages included) into
// one CommonJS file, dist/cli.js. One file because the CLI's start-up is mostly module loading:
// resolving and compiling hundreds of small files (zod alone is ~100) costs more than the policy.
// Plain JavaScript so that `npm run check` and `npm pack` run it without a TypeScript loader.
//
// Usage: node scripts/build-cli.mjs
import { build } from "esbuild";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist", "cli.js");
const META = join(ROOT, "dist", "cli.meta.json");

/** Current when dist/cli.js is newer than every input of the last build, which esbuild lists. */
function current() {
  if (!existsSync(OUT) || !existsSync(META)) return false;
  const built = statSync(OUT).mtimeMs;
  const inputs = Object.keys(JSON.parse(readFileSync(META, "utf8")).inputs);
  return [join(ROOT, "scripts", "build-cli.mjs"), ...inputs.map((file) => join(ROOT, file))].every(
    (file) => existsSync(file) && statSync(file).mtimeMs <= built,
  );
}

export async function buildCli({ force = false } = {}) {
  if (!force && current()) return { built: false, file: OUT };
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ["gate/cli.ts"],
    outfile: OUT,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // Licences of the bundled packages stay with the code they cover.
    legalComments: "eof",
    sourcemap: false,
    // The SDK's ESM entry lacks loadPolicySync, which its CommonJS entry has; the gate is CommonJS.
    alias: { "@open-policy-agent/opa-wasm": "./node_modules/@open-policy-agent/opa-wasm/src/index.cjs" },
    // Required only for --format junit (gate/formats/junit.ts): a runtime dependency, not bundled.
    external: ["junit-report-builder"],
    metafile: true,
    logLevel: "warning",
  });
  writeFileSync(META, JSON.stringify(result.metafile));
  return { built: true, file: OUT };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { built } = await buildCli({ force: process.argv.includes("--force") });
  console.log(
    built
      ? `build-cli: built dist/cli.js in ${Date.now() - started} ms`
      : "build-cli: dist/cli.js is up to date, skipped",
  );
}
