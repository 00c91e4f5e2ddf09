// The files a release attaches, in release/: the npm package (what action.yml installs by default,
// `ddb-guardrails-<version>.tgz`) and the policy bundle for OPA and conftest users
// (`ddb-guardrails-policy-bundle-<version>.tar.gz`). With --tag, refuses a tag that is not
// v<package.json version>: the action finds its gate by that version, so the two must agree.
//
// Usage: node -r ./scripts/register.js scripts/release-assets.ts [--tag v0.1.0]
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { buildBundle } from "./build-bundle";
import { ROOT, ToolchainError } from "./opa-toolchain";

export const RELEASE_DIR = join(ROOT, "release");

export function releaseVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/** The release's file names for a version: what action.yml and the README expect to download. */
export function releaseAssetNames(version: string): string[] {
  return [`ddb-guardrails-${version}.tgz`, `ddb-guardrails-policy-bundle-${version}.tar.gz`];
}

export function checkTag(tag: string | undefined, version: string): void {
  if (tag !== undefined && tag !== `v${version}`) {
    throw new ToolchainError(
      `--tag ${tag}: package.json says version ${version}, so the release tag must be v${version}; bump the version or tag again`,
    );
  }
}

export async function releaseAssets(outDir: string = RELEASE_DIR): Promise<string[]> {
  const version = releaseVersion();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // npm pack runs prepack (the policy and dist/cli.js), exactly as a user's `npm pack` does.
  const pack = spawnSync("npm", ["pack", "--pack-destination", outDir, "--silent"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (pack.status !== 0) throw new ToolchainError(`npm pack failed:\n${pack.stderr || pack.stdout}`);
  const [tarball, bundle] = releaseAssetNames(version);
  copyFileSync(await buildBundle(), join(outDir, bundle));
  const written = readdirSync(outDir).sort();
  if (written.join() !== [tarball, bundle].sort().join()) {
    throw new ToolchainError(
      `expected ${tarball} and ${bundle} in ${relative(ROOT, outDir)}, found ${written.join(", ")}`,
    );
  }
  return written.map((name) => join(outDir, name));
}

if (require.main === module) {
  const tagIndex = process.argv.indexOf("--tag");
  const tag = tagIndex >= 0 ? process.argv[tagIndex + 1] : undefined;
  Promise.resolve()
    .then(() => checkTag(tag, releaseVersion()))
    .then(() => releaseAssets())
    .then((files) => {
      for (const file of files) console.log(`release-assets: wrote ${relative(ROOT, file)}`);
    })
    .catch((error: unknown) => {
      console.error(`release-assets: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
