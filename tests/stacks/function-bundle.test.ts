import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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

describe("function bundle cache", () => {
  // A fresh module instance stands for a new process: the in-process memo is empty, the files remain.
  const freshBundleFunction = (): typeof bundleFunction => {
    let fresh: typeof bundleFunction | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module instance is the point
      fresh = (require("../../stacks/function-bundle") as { bundleFunction: typeof bundleFunction })
        .bundleFunction;
    });
    if (fresh === undefined) throw new Error("could not load stacks/function-bundle");
    return fresh;
  };

  it("reuses the zip when no input changed, and rebuilds when one did", () => {
    const dir = mkdtempSync(join(tmpdir(), "bundle-"));
    const first = bundleFunction(ALERT_FUNCTION_ENTRY, dir);
    const stampPath = `${first.zipPath}.stamp.json`;
    const stamp = JSON.parse(readFileSync(stampPath, "utf8")) as { inputs: Record<string, string> };
    expect(Object.keys(stamp.inputs)).toContain("functions/deletion-alert/handler.ts");

    // Same inputs: the zip on disk is taken as is (a marker byte proves it was not rewritten).
    const marked = Buffer.concat([readFileSync(first.zipPath), Buffer.from([0])]);
    writeFileSync(first.zipPath, marked);
    const reused = freshBundleFunction()(ALERT_FUNCTION_ENTRY, dir);
    expect(readFileSync(reused.zipPath).equals(marked)).toBe(true);

    // An input that no longer matches its recorded hash: bundled again, same bytes as the first build.
    stamp.inputs["functions/deletion-alert/handler.ts"] = "0".repeat(64);
    writeFileSync(stampPath, JSON.stringify(stamp));
    const rebuilt = freshBundleFunction()(ALERT_FUNCTION_ENTRY, dir);
    expect(rebuilt.sourceCodeHash).toBe(first.sourceCodeHash);
    expect(readFileSync(rebuilt.zipPath).equals(marked)).toBe(false);
  });
});
