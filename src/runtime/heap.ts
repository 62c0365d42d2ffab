/**
 * The only place typed arrays cross into WebAssembly memory. A `HeapScope` allocates blocks on
 * the kernel heap and frees all of them in `dispose()` (call it in `finally`). Views into
 * `memory.buffer` are re-taken on every access because any kernel call may grow memory, which
 * detaches the old ArrayBuffer.
 */
import type { KernelExports } from './kernel.js';

type IntArray = Uint8Array | Int32Array | Uint32Array | Float32Array | Float64Array;

export class HeapScope {
  private readonly blocks: number[] = [];
  constructor(readonly k: KernelExports) {}

  /** `bytes` uninitialised bytes, 16-byte aligned; freed with the scope. */
  alloc(bytes: number): number {
    const ptr = this.k.mem_alloc(Math.max(bytes, 16));
    this.blocks.push(ptr);
    return ptr;
  }

  /** Copies `data` in and returns its address. */
  copyIn(data: IntArray): number {
    const ptr = this.alloc(data.byteLength);
    new Uint8Array(this.k.memory.buffer, ptr, data.byteLength).set(
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
    return ptr;
  }

  dispose(): void {
    for (const ptr of this.blocks) this.k.mem_free(ptr);
    this.blocks.length = 0;
  }
}

/** A fresh byte view of `[ptr, ptr + bytes)`; valid until the next kernel call. */
export function bytesAt(k: KernelExports, ptr: number, bytes: number): Uint8Array {
  return new Uint8Array(k.memory.buffer, ptr, bytes);
}

/** A fresh u32 view of `count` elements at `ptr` (4-byte aligned). */
export function u32At(k: KernelExports, ptr: number, count: number): Uint32Array {
  return new Uint32Array(k.memory.buffer, ptr, count);
}

/** A fresh f32 view of `count` elements at `ptr` (4-byte aligned). */
export function f32At(k: KernelExports, ptr: number, count: number): Float32Array {
  return new Float32Array(k.memory.buffer, ptr, count);
}
