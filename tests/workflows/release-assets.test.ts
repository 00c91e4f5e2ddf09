import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkTag, releaseAssetNames, releaseVersion } from "../../scripts/release-assets";

const ROOT = join(__dirname, "..", "..");

describe("release assets", () => {
  it("refuse a tag that is not v<package.json version>, which the action looks its gate up by", () => {
    const version = releaseVersion();
    expect(() => checkTag(`v${version}`, version)).not.toThrow();
    expect(() => checkTag(undefined, version)).not.toThrow();
    expect(() => checkTag("v9.9.9", version)).toThrow(
      `--tag v9.9.9: package.json says version ${version}, so the release tag must be v${version}`,
    );
    expect(() => checkTag(version, version)).toThrow(/must be v/);
  });

  it("are named as action.yml downloads the package and the README names the bundle", () => {
    const [tarball, bundle] = releaseAssetNames("1.2.3");
    expect(tarball).toBe("ddb-guardrails-1.2.3.tgz");
    expect(bundle).toBe("ddb-guardrails-policy-bundle-1.2.3.tar.gz");
    // scripts/action-gate.sh builds the default package URL from the same version and file name.
    expect(readFileSync(join(ROOT, "scripts", "action-gate.sh"), "utf8")).toContain(
      "releases/download/v${version}/ddb-guardrails-${version}.tgz",
    );
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain(
      "release/ddb-guardrails-policy-bundle-<version>.tar.gz",
    );
  });
});
