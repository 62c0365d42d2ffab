/**
 * Typed arrays that stay in kernel memory between calls: a fitted model's state, copied in once
 * instead of on every call. The JS arrays remain the source of truth, so when the instance was
 * re-created (after a trap) or replaced (`initSync`), the next use copies them in again.
 * `dispose()` frees the blocks now; a model that is dropped without it has them freed when it
 * is garbage-collected.
 */
import { currentKernel, type KernelExports } from './kernel.js';

type IntArray = Int32Array | Uint32Array | Float32Array;

const registry = new FinalizationRegistry<Resident<string>>((resident) => resident.dispose());

export class Resident<K extends string> {
  private owner?: KernelExports;
  private ptrs?: Record<K, number>;

  /** `owner` is the object whose lifetime bounds the blocks (the model). */
  constructor(private readonly arrays: Readonly<Record<K, IntArray>>, owner?: object) {
    if (owner) registry.register(owner, this as Resident<string>, this);
  }

  /** The arrays' addresses in `kern`'s memory. */
  in(kern: KernelExports): Readonly<Record<K, number>> {
    if (this.owner === kern && this.ptrs) return this.ptrs;
    const ptrs = {} as Record<K, number>;
    for (const key of Object.keys(this.arrays) as K[]) {
      const data = this.arrays[key];
      const ptr = kern.mem_alloc(Math.max(data.byteLength, 16));
      new Uint8Array(kern.memory.buffer, ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      ptrs[key] = ptr;
    }
    this.owner = kern;
    this.ptrs = ptrs;
    return ptrs;
  }

  /** Frees the kernel copies (a no-op when there are none or their instance is gone). */
  dispose(): void {
    const kern = this.owner;
    if (kern && this.ptrs && kern === currentKernel()) for (const ptr of Object.values<number>(this.ptrs)) kern.mem_free(ptr);
    this.owner = undefined;
    this.ptrs = undefined;
    registry.unregister(this);
  }
}
