/**
 * Named blocks of kernel memory that live across several kernel calls (a training run's buffers),
 * tied to the instance that holds them: using them from another instance (after a trap
 * re-created it) is an error, and `free()` releases them only where they still exist.
 */
import { GroveError } from './errors.js';
import { currentKernel, withKernel, type KernelExports } from './kernel.js';

export class KernelBlocks<K extends string> {
  readonly ptr = {} as Record<K, number>;
  private owner?: KernelExports;

  /** Allocates `sizes[name]` bytes (at least 16) per name in `kern`. */
  constructor(kern: KernelExports, sizes: Record<K, number>) {
    this.owner = kern;
    try {
      for (const name of Object.keys(sizes) as K[]) this.ptr[name] = kern.mem_alloc(Math.max(16, sizes[name]));
    } catch (err) {
      this.free();
      throw err;
    }
  }

  /** Runs `fn` in a kernel call on the instance that holds the blocks. */
  within<T>(fn: (kern: KernelExports) => T): T {
    return withKernel((kern) => {
      if (kern !== this.owner) throw new GroveError('the WebAssembly instance was re-created while its buffers were in use');
      return fn(kern);
    });
  }

  /** Copies `data` into block `name` (at byte `offset`). */
  set(kern: KernelExports, name: K, data: ArrayBufferView, offset = 0): void {
    new Uint8Array(kern.memory.buffer, this.ptr[name] + offset, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  /** Frees the blocks, after `before` (freeing what else the owner holds) if the instance still lives. */
  free(before?: (kern: KernelExports) => void): void {
    const kern = this.owner;
    if (kern && kern === currentKernel()) {
      before?.(kern);
      for (const p of Object.values<number>(this.ptr)) if (p) kern.mem_free(p);
    }
    this.owner = undefined;
  }
}
