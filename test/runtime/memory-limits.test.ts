// Kernel memory past 2 GiB and at its 4 GiB end. WebAssembly returns a usize as a signed i32, so
// an address past 2 GiB used to come back negative, and every view made from it threw a
// RangeError (hist on 40M × 4 values failed so); and the allocator's trap when memory cannot
// grow said only "unreachable". Large blocks are reserved, barely touched: pages cost nothing
// until written.
import { describe, expect, it } from 'vitest';
import { GroveKernelError } from '../../src/runtime/errors.js';
import { bytesAt } from '../../src/runtime/heap.js';
import { withKernel } from '../../src/runtime/kernel.js';
import '../helpers/kernel.js';

const BLOCK = 900 << 20; // under the allocator's 1 GiB limit for one block

describe('kernel memory', () => {
  it('hands out addresses past 2 GiB as positive numbers that views accept', () => {
    withKernel((k) => {
      const held: number[] = [];
      try {
        for (let i = 0; i < 3; i++) held.push(k.mem_alloc(BLOCK));
        held.push(k.mem_alloc(64));
        const top = Math.max(...held);
        expect(top).toBeGreaterThan(2 ** 31);
        for (const at of held) expect(at).toBeGreaterThan(0);
        bytesAt(k, top, 64).fill(7);
        expect(bytesAt(k, top, 64)[63]).toBe(7);
      } finally {
        for (const at of held) k.mem_free(at);
      }
    });
  });

  it('says so when memory runs out, and the next call gets a fresh instance', () => {
    const fill = () =>
      withKernel((k) => {
        for (;;) k.mem_alloc(BLOCK);
      });
    expect(fill).toThrow(GroveKernelError);
    expect(fill).toThrow(/out of WebAssembly memory: 943718400 more bytes .* \(at most 4 GiB\)/);
    withKernel((k) => expect(k.mem_alloc(16)).toBeGreaterThan(0));
  });
});
