// SIMD helpers against their scalar definitions, on the debug build (assertions on).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeapScope } from '../../src/runtime/heap.js';
import { initSync, withKernel } from '../../src/runtime/kernel.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });

function scalarCommonPrefix(a: Int32Array, b: Int32Array, n: number): number {
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

describe('simd_common_prefix_i32', () => {
  it('equals the scalar prefix length on random, shared-prefix and unaligned inputs', () => {
    const seq = fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 40 });
    fc.assert(
      fc.property(seq, seq, seq, fc.nat(3), (shared, restA, restB, shift) => {
        const a = Int32Array.from([...shared, ...restA]);
        const b = Int32Array.from([...shared, ...restB]);
        const n = Math.min(a.length, b.length);
        const got = withKernel((k) => {
          const heap = new HeapScope(k);
          try {
            // a 4-byte shift leaves the v128 loads unaligned
            const pa = heap.alloc(a.byteLength + 16) + shift * 4;
            const pb = heap.alloc(b.byteLength + 16);
            new Int32Array(k.memory.buffer, pa, a.length).set(a);
            new Int32Array(k.memory.buffer, pb, b.length).set(b);
            return k.simd_common_prefix_i32(pa, pb, n);
          } finally {
            heap.dispose();
          }
        });
        expect(got).toBe(scalarCommonPrefix(a, b, n));
      }),
      { numRuns: 500 },
    );
  });

  it('handles n = 0 and identical sequences longer than one vector', () => {
    const a = Int32Array.from({ length: 37 }, (_, i) => i * 7);
    const got = withKernel((k) => {
      const heap = new HeapScope(k);
      try {
        const pa = heap.copyIn(a);
        const pb = heap.copyIn(a);
        return [k.simd_common_prefix_i32(pa, pb, 0), k.simd_common_prefix_i32(pa, pb, 37)];
      } finally {
        heap.dispose();
      }
    });
    expect(got).toEqual([0, 37]);
  });
});
