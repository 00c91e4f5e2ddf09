import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";

/*
 * OPA's wasm allocator grows its heap with memory.grow a few pages at a time, and on a large
 * input those thousands of small grows, not the policy, dominated the first evaluation (10,000
 * resources: 35 s for the first evaluation, 3 s for the next on the same instance). Reserving the
 * heap in one allocation before evaluating makes every evaluation cost what the second one did.
 */

interface HeapExports {
  opa_malloc(size: number): number;
  opa_heap_ptr_get(): number;
  opa_heap_ptr_set(pointer: number): void;
}

function heapExports(policy: LoadedPolicy): HeapExports {
  const instance = "instance" in policy.wasmInstance ? policy.wasmInstance.instance : policy.wasmInstance;
  const { opa_malloc, opa_heap_ptr_get, opa_heap_ptr_set } = instance.exports;
  if (
    typeof opa_malloc !== "function" ||
    typeof opa_heap_ptr_get !== "function" ||
    typeof opa_heap_ptr_set !== "function"
  ) {
    throw new Error(
      "the compiled policy does not export OPA's heap functions (opa_malloc, opa_heap_ptr_get/set)",
    );
  }
  return {
    opa_malloc: opa_malloc as HeapExports["opa_malloc"],
    opa_heap_ptr_get: opa_heap_ptr_get as HeapExports["opa_heap_ptr_get"],
    opa_heap_ptr_set: opa_heap_ptr_set as HeapExports["opa_heap_ptr_set"],
  };
}

/** wasm32 addresses 4 GiB (65,536 pages of 64 KiB): OPA's heap can never grow past it. */
export const WASM_MEMORY_LIMIT = 4 * 1024 ** 3;

/** Stay below the limit so a reservation leaves room for what the estimate missed. */
const MAX_RESERVATION = 3 * 1024 ** 3;

/**
 * What the policy's own JSON parser takes per input byte before any rule runs (measured: 3.6 on
 * cdk.tf.json and on plans). Only an input whose parse alone cannot fit is refused before evaluating;
 * how much more the rules take depends on what the input holds (4.7 heap bytes per byte on a plan of
 * unrelated instances, about 19 on a stack of tables, keys and IAM policies), so anything else is tried.
 */
const PARSE_BYTES_PER_INPUT_BYTE = 4;

/** What OPA's allocator throws (through the SDK's opa_abort) when memory.grow is refused. */
const OUT_OF_MEMORY = "opa_malloc: failed";

/** An input whose evaluation needs more heap than the policy's memory can address. */
export class HeapLimitError extends Error {
  static beforeEvaluating(inputBytes: number, neededBytes: number, limitBytes: number): HeapLimitError {
    return new HeapLimitError(
      `needs at least ${mb(neededBytes)} of policy heap (${mb(inputBytes)} of input), more than the ${mb(limitBytes)} a wasm policy can address`,
    );
  }

  static whileEvaluating(inputBytes: number, limitBytes: number): HeapLimitError {
    return new HeapLimitError(
      `ran out of policy heap while evaluating ${mb(inputBytes)} of input: it needs more than the ${mb(limitBytes)} a wasm policy can address`,
    );
  }
}

const mb = (bytes: number) =>
  `${(bytes / 1024 ** 2).toFixed(bytes < 1024 ** 2 ? 2 : bytes < 100 * 1024 ** 2 ? 1 : 0)} MB`;

export interface HeapOptions {
  /** The policy memory's maximum (the SDK's memory descriptor), when lower than wasm32's 4 GiB. */
  limitBytes?: number;
  /** Heap bytes per input byte to reserve before anything was measured. */
  initialBytesPerInputByte?: number;
}

/**
 * Keeps an evaluation's heap reserved ahead of time, sized from what earlier evaluations used per
 * input byte (starting from the ratio measured on the shipped and benchmark stacks).
 */
export class HeapReservation {
  private readonly heap: HeapExports;
  private readonly limitBytes: number;
  private reserved = 0;
  private bytesPerInputByte: number;
  private lastUsedBytes = 0;

  constructor(
    private readonly policy: LoadedPolicy,
    // Measured on pruned input at 10,000 resources of the benchmark's tables, keys and IAM policies:
    // about 19 heap bytes per input byte on cdk.tf.json and on its plan, 17 on its first plan. Reserving
    // more costs no memory (pages the policy never writes are never resident); the margin covers
    // stacks that differ.
    { limitBytes = WASM_MEMORY_LIMIT, initialBytesPerInputByte = 70 }: HeapOptions = {},
  ) {
    this.heap = heapExports(policy);
    this.limitBytes = limitBytes;
    this.bytesPerInputByte = initialBytesPerInputByte;
  }

  /** Heap bytes the last evaluation used, beyond the compiled data. */
  get lastUsed(): number {
    return this.lastUsedBytes;
  }

  /**
   * Runs evaluate (of an input of inputBytes bytes) with its heap reserved, and learns what it used.
   * Refuses before evaluating an input whose parse alone cannot fit; an input that runs out of heap
   * while evaluating is refused too (the reservation makes that seconds, not the minutes thousands of
   * small grows took), never a crash.
   */
  around<T>(inputBytes: number, evaluate: () => T): T {
    const base = this.policy.dataHeapPtr as number;
    const floor = base + inputBytes * PARSE_BYTES_PER_INPUT_BYTE;
    if (floor > this.limitBytes) throw HeapLimitError.beforeEvaluating(inputBytes, floor, this.limitBytes);
    // Sized from what earlier evaluations used per input byte, capped by what the memory can hold.
    this.reserve(
      Math.min(MAX_RESERVATION, this.limitBytes - base, Math.ceil(inputBytes * this.bytesPerInputByte)),
    );
    let result: T;
    try {
      result = evaluate();
    } catch (error) {
      if (error === OUT_OF_MEMORY) throw HeapLimitError.whileEvaluating(inputBytes, this.limitBytes);
      throw error;
    }
    const used = this.heap.opa_heap_ptr_get() - base;
    this.lastUsedBytes = used;
    if (inputBytes > 0 && used > 0) {
      this.bytesPerInputByte = Math.max(this.bytesPerInputByte, (used / inputBytes) * 1.1);
    }
    return result;
  }

  /** A reservation the memory cannot grant is skipped: the evaluation may still fit in less. */
  private reserve(bytes: number): void {
    if (bytes <= this.reserved) return;
    const pointer = this.heap.opa_heap_ptr_get();
    this.heap.opa_heap_ptr_set(this.policy.dataHeapPtr as number);
    try {
      this.heap.opa_malloc(bytes);
      this.reserved = bytes;
    } catch (error) {
      if (error !== OUT_OF_MEMORY) throw error;
    } finally {
      this.heap.opa_heap_ptr_set(pointer);
    }
  }
}
