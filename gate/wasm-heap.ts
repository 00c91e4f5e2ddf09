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

/** Stay below the limit so a reservation can never itself fail. */
const MAX_RESERVATION = 3 * 1024 ** 3;

/** An input whose evaluation would need more heap than wasm32 can address. */
export class HeapLimitError extends Error {
  constructor(
    readonly inputBytes: number,
    readonly neededBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `needs about ${mb(neededBytes)} of policy heap (${mb(inputBytes)} of input), more than the ${mb(limitBytes)} a wasm policy can address`,
    );
  }
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(bytes < 1024 ** 2 ? 2 : 0)} MB`;

/**
 * Keeps an evaluation's heap reserved ahead of time, sized from what earlier evaluations used per
 * input byte (starting from the ratio measured on the shipped and benchmark stacks).
 */
export class HeapReservation {
  private readonly heap: HeapExports;
  private reserved = 0;
  private bytesPerInputByte: number;

  constructor(
    private readonly policy: LoadedPolicy,
    // Measured on pruned input: 55 heap bytes per input byte at 1,000 and at 10,000 resources; the
    // margin covers plans. It decides the largest stack gated (about 58 MB of pruned input).
    initialBytesPerInputByte = 70,
  ) {
    this.heap = heapExports(policy);
    this.bytesPerInputByte = initialBytesPerInputByte;
  }

  /** Heap an input of inputBytes bytes is expected to need, from what earlier evaluations used. */
  estimate(inputBytes: number): number {
    return (this.policy.dataHeapPtr as number) + Math.ceil(inputBytes * this.bytesPerInputByte);
  }

  /**
   * Runs evaluate (of an input of inputBytes bytes) with its heap reserved, and learns what it used.
   * Refuses before evaluating an input the heap cannot hold: failing a memory.grow deep inside an
   * evaluation of that size would take minutes and gigabytes first.
   */
  around<T>(inputBytes: number, evaluate: () => T): T {
    const needed = this.estimate(inputBytes);
    if (needed > WASM_MEMORY_LIMIT) throw new HeapLimitError(inputBytes, needed, WASM_MEMORY_LIMIT);
    this.reserve(Math.min(MAX_RESERVATION, Math.ceil(inputBytes * this.bytesPerInputByte)));
    const result = evaluate();
    const used = this.heap.opa_heap_ptr_get() - (this.policy.dataHeapPtr as number);
    if (inputBytes > 0 && used > 0) {
      this.bytesPerInputByte = Math.max(this.bytesPerInputByte, (used / inputBytes) * 1.1);
    }
    return result;
  }

  private reserve(bytes: number): void {
    if (bytes <= this.reserved) return;
    const pointer = this.heap.opa_heap_ptr_get();
    this.heap.opa_heap_ptr_set(this.policy.dataHeapPtr as number);
    this.heap.opa_malloc(bytes);
    this.heap.opa_heap_ptr_set(pointer);
    this.reserved = bytes;
  }
}
