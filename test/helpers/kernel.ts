/** The debug kernel for kernel tests, and a heap scope per call. */
import { readFileSync } from 'node:fs';
import { HeapScope } from '../../src/runtime/heap.js';
import { initSync, withKernel, type KernelExports } from '../../src/runtime/kernel.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });

/** Runs `fn` with a heap scope freed afterwards. */
export function inKernel<T>(fn: (k: KernelExports, heap: HeapScope) => T): T {
  return withKernel((k) => {
    const heap = new HeapScope(k);
    try {
      return fn(k, heap);
    } finally {
      heap.dispose();
    }
  });
}
