// Fails when a compiled policy needs builtins from the host. OPA compiles most builtins
// into the wasm module; the rest (sprintf, time.*, crypto.*, ...) are called back into
// the JS SDK, whose implementations differ from OPA's, so the gate and `opa eval`
// could disagree. The module's `builtins` export names exactly those host builtins.
//
// Usage: npx ts-node scripts/check-wasm-builtins.ts [path/to/policy.wasm]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./opa-toolchain";

type Export = (...args: number[]) => number;

// The project compiles without the DOM lib, whose declarations carry the WebAssembly
// API; these are the few parts this check uses.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: WasmInstance }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

function exportedFunction(instance: WasmInstance, name: string): Export {
  const fn = instance.exports[name];
  if (typeof fn !== "function") {
    throw new Error(`policy.wasm does not export ${name}(); is it an OPA wasm module?`);
  }
  return fn as Export;
}

/** The sorted names of the builtins the module imports from its host (empty when none). */
export async function hostBuiltins(wasm: Uint8Array): Promise<string[]> {
  const memory = new wasmApi.Memory({ initial: 5 });
  const fail = (): never => {
    throw new Error("policy.wasm called its host while only being inspected");
  };
  const env = {
    memory,
    opa_abort: fail,
    opa_println: fail,
    opa_builtin0: fail,
    opa_builtin1: fail,
    opa_builtin2: fail,
    opa_builtin3: fail,
    opa_builtin4: fail,
  };
  const { instance } = await wasmApi.instantiate(wasm, { env });
  const builtinsAddr = exportedFunction(instance, "builtins")();
  const textAddr = exportedFunction(instance, "opa_json_dump")(builtinsAddr);
  const bytes = new Uint8Array(memory.buffer);
  const end = bytes.indexOf(0, textAddr);
  const text = new TextDecoder().decode(bytes.subarray(textAddr, end));
  const builtins: unknown = JSON.parse(text);
  if (typeof builtins !== "object" || builtins === null || Array.isArray(builtins)) {
    throw new Error(`policy.wasm builtins() is not an object: ${text}`);
  }
  return Object.keys(builtins).sort();
}

/** Throws, naming every host builtin, unless the module needs none. */
export async function assertNoHostBuiltins(wasm: Uint8Array, label: string): Promise<void> {
  const names = await hostBuiltins(wasm);
  if (names.length > 0) {
    throw new Error(
      `${label} needs builtins that OPA does not compile to wasm: ${names.join(", ")}. ` +
        "The JS SDK's versions differ from OPA's; rewrite the Rego with natively compiled builtins.",
    );
  }
}

async function main(): Promise<void> {
  const path = process.argv[2] ?? join(ROOT, "build", "policies", "policy.wasm");
  await assertNoHostBuiltins(readFileSync(path), path);
  console.log(`check-wasm-builtins: ${path} needs no host builtins`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`check-wasm-builtins: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
