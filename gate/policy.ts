import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { loadPolicySync, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import * as z from "zod/mini";
import { compareFindings, findingSchema, type Finding, type PolicyInput } from "./findings";
import { GateError } from "./gate-error";
import { withLoneSurrogatesReplaced } from "./lone-surrogates";
import { REPORTED_DEPTH, tooDeepPath } from "./nesting";
import { pruneDocument, pruneJoinedConfiguration } from "./prune-input";
import { HeapLimitError, HeapReservation, type HeapOptions } from "./wasm-heap";

/** Where `npm run build:policies` writes the compiled policy. */
export const COMPILED_POLICY_DIR = join(__dirname, "..", "build", "policies");

const resultSchema = z.array(z.object({ result: z.array(findingSchema) })).check(z.length(1));

/** data.json stays bytes: the policy parses it itself, so parsing it in JavaScript would be wasted. */
function readCompiled(dir: string): { wasm: Buffer; data: ArrayBuffer } {
  const wasmFile = join(dir, "policy.wasm");
  const dataFile = join(dir, "data.json");
  if (!existsSync(wasmFile) || !existsSync(dataFile)) {
    throw new GateError(
      `no compiled policy in ${relative(process.cwd(), dir) || dir}: run \`npm run build:policies\``,
    );
  }
  const data = readFileSync(dataFile);
  return {
    wasm: readFileSync(wasmFile),
    data: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
  };
}

/**
 * The bytes the policy is given for an input: pruned of what no rule reads, then serialized here
 * rather than by opa-wasm, so the heap can be sized from their length. TextEncoder always returns a
 * view over a fresh buffer of exactly the encoded length, so `.buffer` is the input and nothing else.
 */
export function encodePolicyInput(input: PolicyInput): Uint8Array {
  const json = JSON.stringify({
    ...input,
    document: pruneDocument(input.document),
    ...(input.configuration !== undefined
      ? { configuration: pruneJoinedConfiguration(input.configuration, input.document) }
      : {}),
  });
  return new TextEncoder().encode(withLoneSurrogatesReplaced(json));
}

/** Where the input nests too deeply: in the plan or stack itself, or in the stack joined to a plan. */
function tooDeepIn(input: PolicyInput): string | undefined {
  const inDocument = tooDeepPath(input.document);
  if (inDocument !== undefined) return inDocument;
  const inConfiguration = input.configuration === undefined ? undefined : tooDeepPath(input.configuration);
  return inConfiguration === undefined ? undefined : `the joined stack's ${inConfiguration}`;
}

/**
 * The compiled guardrails: loaded once, then evaluated per stack. Anything but a well-formed list
 * of findings is an error, so a broken policy can never read as "no violations".
 */
export class GuardrailsPolicy {
  private readonly heap: HeapReservation;

  private constructor(
    private readonly policy: LoadedPolicy,
    heap?: HeapOptions,
  ) {
    this.heap = new HeapReservation(policy, heap);
  }

  /**
   * Compiles synchronously: the SDK's asynchronous loader tests its argument against the global
   * `Response`, whose first use makes Node load its whole fetch implementation (about 40 ms of a
   * CLI run), and compiling this module takes milliseconds either way.
   */
  static async load(dir: string = COMPILED_POLICY_DIR): Promise<GuardrailsPolicy> {
    return GuardrailsPolicy.loadSync(dir);
  }

  /**
   * For callers that cannot await, such as construct validations during `cdktf synth`.
   * heap lowers the policy memory's limit or changes the starting heap estimate (tests of the limit).
   */
  static loadSync(dir: string = COMPILED_POLICY_DIR, heap?: HeapOptions): GuardrailsPolicy {
    const { wasm, data } = readCompiled(dir);
    const policy = loadPolicySync(
      wasm,
      heap?.limitBytes === undefined ? {} : { initial: 5, maximum: Math.floor(heap.limitBytes / 65536) },
    );
    try {
      policy.setData(data);
    } catch (error) {
      // The SDK throws a bare string when OPA's JSON parser rejects the data.
      throw new GateError(
        `${relative(process.cwd(), join(dir, "data.json")) || dir}: the compiled policy data is not valid JSON (${String(error)}); run \`npm run build:policies\``,
      );
    }
    return new GuardrailsPolicy(policy, heap);
  }

  /**
   * The policy heap the last evaluation took beyond the compiled data: deterministic for a given
   * input, so tests can hold the policy's memory to linear growth without timing anything.
   */
  get lastEvaluationHeapBytes(): number {
    return this.heap.lastUsed;
  }

  /** source names the file the stack came from, for errors about this input. */
  evaluate(input: PolicyInput, source?: string): Finding[] {
    let raw: unknown;
    let inputBytes = 0;
    const which = `stack ${input.stack}${source === undefined ? "" : ` (${source})`}`;
    try {
      const bytes = encodePolicyInput(input);
      inputBytes = bytes.byteLength;
      raw = this.heap.around(inputBytes, () => this.policy.evaluate(bytes.buffer));
    } catch (error) {
      if (error instanceof HeapLimitError) {
        throw new GateError(
          `${which} is too large to gate: it ${error.message}; split it into smaller stacks`,
        );
      }
      const tooDeep =
        error instanceof RangeError && /call stack/i.test(error.message) ? tooDeepIn(input) : undefined;
      if (tooDeep !== undefined) {
        throw new GateError(
          `${which} nests values too deeply to gate: ${tooDeep} is more than ${REPORTED_DEPTH.toLocaleString("en-US")} ` +
            "levels deep, where Terraform and CDKTF write a few dozen; fix the tool that wrote the file",
        );
      }
      // A memory.grow the engine refuses surfaces as a RangeError or a wasm trap (OPA aborts when its
      // allocator fails): still this input's size, never a crash of the gate.
      const size = inputBytes > 0 ? `, ${(inputBytes / 1024 ** 2).toFixed(1)} MB of input` : "";
      throw new GateError(
        `policy evaluation failed for ${which}${size}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const parsed = resultSchema.safeParse(raw);
    if (!parsed.success) {
      throw new GateError(
        `policy returned an unexpected result for stack ${input.stack}: ${parsed.error.issues[0]?.message ?? "unknown shape"}`,
      );
    }
    return [...parsed.data[0].result].sort(compareFindings);
  }
}
