// The margin updates of the boosting loop (assembly/boost/margins.ts) against plain loops on
// random inputs (fast-check): a leaf value added once per row of its leaf, float32 adds, the
// other rows' and the other output groups' margins untouched.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { f32At } from '../../src/runtime/heap.js';
import { inKernel } from '../helpers/kernel.js';

const f32 = Math.fround;
const marginArb = fc.float({ min: -50, max: 50, noNaN: true });

const caseArb = fc
  .record({ n: fc.integer({ min: 0, max: 40 }), groups: fc.integer({ min: 1, max: 3 }), nodes: fc.integer({ min: 1, max: 6 }) })
  .chain(({ n, groups, nodes }) =>
    fc.record({
      n: fc.constant(n),
      groups: fc.constant(groups),
      cls: fc.integer({ min: 0, max: groups - 1 }),
      margin: fc.array(marginArb, { minLength: n * groups, maxLength: n * groups }),
      values: fc.array(marginArb, { minLength: nodes, maxLength: nodes }),
      // a row's grown node, or −1 (not sampled) / −2 − node (ended there)
      codes: fc.array(fc.integer({ min: -1 - nodes, max: nodes - 1 }), { minLength: n, maxLength: n }),
    }),
  );

describe('boost_add_code_values', () => {
  it('adds the value of the node each row ended in (code −2 − node) to its margin of group cls, float32', () => {
    fc.assert(
      fc.property(caseArb, ({ n, groups, cls, margin, values, codes }) => {
        const want = Float32Array.from(margin);
        codes.forEach((code, r) => {
          if (code <= -2) want[r * groups + cls] = f32(want[r * groups + cls] + f32(values[-2 - code]));
        });
        const got = inKernel((k, heap) => {
          const at = heap.copyIn(Float32Array.from(margin));
          k.boost_add_code_values(heap.copyIn(Int32Array.from(codes)), n, heap.copyIn(Float32Array.from(values)), at, groups, cls);
          return f32At(k, at, n * groups).slice();
        });
        expect(Array.from(got)).toEqual(Array.from(want));
      }),
      { numRuns: 300 },
    );
  });
});

describe('boost_add_leaf_values', () => {
  it('adds leaf j\'s value to the margins of the rows at positions [from, to) of its range', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 2 ** 31 }), ({ n, groups, cls, margin, values }, seed) => {
        // rows in any order, cut into consecutive ranges, one per leaf (some empty, some rows in none)
        const rows = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 2654435761 + seed) >>> 0) % 97 - ((b * 2654435761 + seed) >>> 0) % 97 || a - b);
        const ranges = new Int32Array(2 * values.length);
        let at = 0;
        values.forEach((_, j) => {
          const len = Math.min(n - at, (seed >>> j) % 9);
          ranges.set([at, at + len], 2 * j);
          at += len;
        });
        const want = Float32Array.from(margin);
        values.forEach((v, j) => {
          for (let i = ranges[2 * j]; i < ranges[2 * j + 1]; i++) want[rows[i] * groups + cls] = f32(want[rows[i] * groups + cls] + f32(v));
        });
        const got = inKernel((k, heap) => {
          const m = heap.copyIn(Float32Array.from(margin));
          k.boost_add_leaf_values(heap.copyIn(rows), heap.copyIn(ranges), heap.copyIn(Float32Array.from(values)), values.length, m, groups, cls);
          return f32At(k, m, n * groups).slice();
        });
        expect(Array.from(got)).toEqual(Array.from(want));
      }),
      { numRuns: 300 },
    );
  });
});
