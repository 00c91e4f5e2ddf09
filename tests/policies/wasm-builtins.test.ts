import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENTRYPOINTS, compilePolicies } from "../../scripts/build-policies";
import { hostBuiltins } from "../../scripts/check-wasm-builtins";
import { POLICY_DIR, requirePinnedOpa } from "../../scripts/opa-toolchain";

jest.setTimeout(60_000);

let scratch: string;

beforeAll(() => {
  // Fails with "run `bash scripts/install-opa.sh`" when the pinned OPA is missing.
  requirePinnedOpa();
  scratch = mkdtempSync(join(tmpdir(), "wasm-builtins-"));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Writes the given Rego modules into a fresh policy directory under the scratch dir. */
function policyDir(name: string, modules: Record<string, string>): string {
  const dir = join(scratch, name, "policies");
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(modules)) writeFileSync(join(dir, file), text);
  return dir;
}

describe("policy.wasm host builtins", () => {
  test("the gate's compiled policy needs no host builtins", async () => {
    // Compiled into the scratch dir: test files run in parallel and must not race on build/.
    const { wasm } = await compilePolicies({
      policyDir: POLICY_DIR,
      outDir: join(scratch, "gate"),
      entrypoints: ENTRYPOINTS,
    });
    expect(await hostBuiltins(readFileSync(wasm))).toEqual([]);
  });

  test("every rule and function of policies/lib compiles without host builtins", async () => {
    // main only reaches what its rules use, so the library is compiled through a probe
    // that calls all of it; otherwise an unused helper could hide a non-native builtin.
    const dir = policyDir("lib", {});
    cpSync(POLICY_DIR, dir, { recursive: true });
    cpSync(join(__dirname, "lib-probe.rego"), join(dir, "lib-probe.rego"));
    const { wasm } = await compilePolicies({
      policyDir: dir,
      outDir: join(scratch, "lib", "out"),
      entrypoints: ["probe/result"],
    });
    expect(await hostBuiltins(readFileSync(wasm))).toEqual([]);
  });

  test("the check names a host builtin (sprintf) and fails the build", async () => {
    const dir = policyDir("sprintf", {
      "greeting.rego": 'package greeting\n\nmessage := sprintf("hello %s", [input.name])\n',
    });
    const outDir = join(scratch, "sprintf", "out");
    await expect(
      compilePolicies({ policyDir: dir, outDir, entrypoints: ["greeting/message"] }),
    ).rejects.toThrow(/needs builtins that OPA does not compile to wasm: sprintf\b/);
    expect(await hostBuiltins(readFileSync(join(outDir, "policy.wasm")))).toEqual(["sprintf"]);
  });
});
