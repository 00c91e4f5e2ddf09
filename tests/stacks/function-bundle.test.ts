import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { bundleFunction } from "../../stacks/function-bundle";
import { ALERT_FUNCTION_ENTRY } from "../support/synth";

describe("function bundle", () => {
  const bundle = bundleFunction(ALERT_FUNCTION_ENTRY, mkdtempSync(join(tmpdir(), "bundle-")));
  const archive = readFileSync(bundle.zipPath);

  it("hashes the archive as Lambda does: base64 of its SHA-256", () => {
    expect(bundle.sourceCodeHash).toBe(createHash("sha256").update(archive).digest("base64"));
  });

  it("holds one self-contained index.js exporting the handler, the AWS SDK included", () => {
    const files = unzipSync(archive);
    expect(Object.keys(files)).toEqual(["index.js"]);
    const code = new TextDecoder().decode(files["index.js"]);
    // Only Node built-ins, and the SDK's optional signers it loads inside try/catch, stay outside the bundle.
    const external = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    const optional = new Set(["@aws-sdk/signature-v4-crt", "@aws-sdk/signature-v4a"]);
    expect(external.filter((name) => !name.startsWith("node:") && !optional.has(name))).toEqual([]);
    const loaded: { exports: { handler?: unknown } } = { exports: {} };
    new Function("module", "exports", "require", code)(loaded, loaded.exports, require);
    expect(typeof loaded.exports.handler).toBe("function");
  });

  it("produces the same bytes from the same source, whenever and wherever it runs", () => {
    // Years later: an archive stamped with the build time would differ.
    jest.useFakeTimers({ now: new Date("2031-06-15T12:00:00Z") });
    const rebuilt = bundleFunction(ALERT_FUNCTION_ENTRY, mkdtempSync(join(tmpdir(), "bundle-")));
    jest.useRealTimers();
    expect(rebuilt.zipPath).not.toBe(bundle.zipPath);
    expect(readFileSync(rebuilt.zipPath).equals(archive)).toBe(true);
    expect(rebuilt.sourceCodeHash).toBe(bundle.sourceCodeHash);
  });
});
