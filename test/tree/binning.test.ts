// quantileCuts (src/tree/binning.ts): at most maxBin bins, one bin per distinct value when there
// are few, near-equal counts when there are many (within the sketch's bound), the byte cap with missing values, constant
// and all-NaN columns, the histogram layout, and `x < cuts[b]` ⇔ code ≤ b (what makes binned
// training and raw prediction agree).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroveArgumentError } from '../../src/runtime/errors.js';
import { initSync } from '../../src/runtime/kernel.js';
import { quantileCuts, type Cuts } from '../../src/tree/binning.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) }); // cuts come from the sketch kernel

const f32 = Math.fround;

const cutsOf = (c: Cuts, f: number) => c.values.subarray(c.ptr[f], c.ptr[f + 1]);
/** Bin code as the kernel assigns it: the number of cuts ≤ x. */
const code = (x: number, cuts: Float32Array) => cuts.filter((c) => c <= x).length;

/** A column of float32 values: few distinct, many distinct, with or without NaN. */
const columnArb = fc.oneof(
  fc.array(fc.oneof(fc.integer({ min: -4, max: 4 }), fc.constant(NaN)), { maxLength: 60 }),
  fc.array(fc.float({ min: -1e4, max: 1e4, noNaN: true }), { maxLength: 300 }),
  fc.array(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: -500, max: 500 }) }, { weight: 1, arbitrary: fc.constant(NaN) }), { maxLength: 600 }),
);

/** Row-major n × m from columns of equal length (shorter ones padded with NaN). */
function matrix(columns: number[][]): { X: Float32Array; n: number; m: number } {
  const m = columns.length;
  const n = Math.max(0, ...columns.map((c) => c.length));
  const X = new Float32Array(n * m).fill(NaN);
  columns.forEach((c, f) => c.forEach((v, r) => (X[r * m + f] = v)));
  return { X, n, m };
}

describe('quantileCuts', () => {
  it('keeps every contract clause on random columns', () => {
    fc.assert(
      fc.property(fc.array(columnArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 2, max: 256 }), (columns, maxBin) => {
        const { X, n, m } = matrix(columns);
        const c = quantileCuts(X, n, m, maxBin);
        expect(c.ptr.length).toBe(m + 1);
        // codes are bytes: with a missing value anywhere, 255 regular bins at most
        const cap = Math.min(maxBin, X.some((x) => Number.isNaN(x)) ? 255 : 256);
        let off = 0;
        for (let f = 0; f < m; f++) {
          const cuts = cutsOf(c, f);
          const col = Array.from({ length: n }, (_, r) => X[r * m + f]);
          const finite = col.filter((x) => !Number.isNaN(x));
          const distinct = [...new Set(finite)].sort((a, b) => a - b);
          // layout
          expect(c.nBins[f]).toBe(cuts.length + 1);
          expect(c.histOff[f]).toBe(off);
          off += c.nBins[f] + 1;
          expect(c.nBins[f]).toBeLessThanOrEqual(cap);
          // cuts: ascending data values above the minimum
          for (let i = 0; i < cuts.length; i++) {
            expect(distinct).toContain(cuts[i]);
            expect(cuts[i]).toBeGreaterThan(distinct[0]);
            if (i > 0) expect(cuts[i]).toBeGreaterThan(cuts[i - 1]);
          }
          // few distinct values: one bin each
          if (distinct.length <= cap) expect(Array.from(cuts)).toEqual(distinct.slice(1));
          // no bin is empty of data, and x < cuts[b] ⇔ code(x) ≤ b for every value and b
          const counts = new Array<number>(c.nBins[f]).fill(0);
          for (const x of finite) {
            const k = code(x, cuts);
            counts[k]++;
            for (let b = 0; b < cuts.length; b++) expect(x < cuts[b]).toBe(k <= b);
          }
          if (finite.length > 0) expect(counts.every((k) => k > 0)).toBe(true);
        }
        expect(c.histPairs).toBe(off);
      }),
      { numRuns: 150 },
    );
  });

  it('gives each distinct value its own bin when there are at most maxBin', () => {
    const X = Float32Array.of(3, 1, 2, 2, 1, 3, 3, 0.5);
    const c = quantileCuts(X, 8, 1, 4);
    expect(Array.from(c.values)).toEqual([1, 2, 3]);
    expect(Array.from(X, (x) => code(x, c.values))).toEqual([3, 1, 2, 2, 1, 3, 3, 0]);
    // one value fewer bins than distinct values: quantile cuts instead (fewer than 4 bins)
    expect(quantileCuts(X, 8, 1, 3).nBins[0]).toBeLessThanOrEqual(3);
  });

  it('cuts many distinct values into near-equal-count bins', () => {
    const n = 1000;
    const X = Float32Array.from({ length: n }, (_, i) => f32(Math.sin(i) * 100)); // distinct, unordered
    for (const maxBin of [2, 16, 255, 256]) {
      const c = quantileCuts(X, n, 1, maxBin);
      // the sketch (eps = 1/maxBin) bounds each bin by (1/maxBin + eps)·n rows
      expect(c.nBins[0]).toBeLessThanOrEqual(maxBin);
      expect(c.nBins[0]).toBeGreaterThanOrEqual(maxBin / 2);
      const counts = new Array<number>(c.nBins[0]).fill(0);
      for (const x of X) counts[code(x, c.values)]++;
      for (const k of counts) {
        expect(k).toBeGreaterThan(0);
        expect(k).toBeLessThanOrEqual(Math.floor((2 / maxBin) * n));
      }
    }
  });

  it('merges repeated values at quantiles (duplicate-heavy columns get fewer bins)', () => {
    // 90% zeros, then 100 distinct values: quantiles at 0 are dropped, cuts stay ascending
    const X = Float32Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : i));
    const c = quantileCuts(X, 1000, 1, 20);
    expect(c.nBins[0]).toBeLessThan(20);
    expect(c.values[0]).toBeGreaterThan(0);
    expect(X.filter((x) => code(x, c.values) === 0).length).toBe(900);
  });

  it('caps a feature with missing values at 255 regular bins (its missing code is 255)', () => {
    const n = 700;
    const withNaN = Float32Array.from({ length: n }, (_, i) => (i % 10 === 0 ? NaN : i));
    const without = Float32Array.from({ length: n }, (_, i) => i);
    expect(quantileCuts(withNaN, n, 1, 256).nBins[0]).toBe(255);
    expect(quantileCuts(without, n, 1, 256).nBins[0]).toBe(256);
    // 256 distinct values and a NaN: one bin must merge two values
    const few = Float32Array.from({ length: 257 }, (_, i) => (i === 256 ? NaN : i));
    expect(quantileCuts(few, 257, 1, 256).nBins[0]).toBe(255);
  });

  it('gives constant and all-NaN columns one regular bin and no cut', () => {
    const X = Float32Array.of(5, NaN, 1, 5, NaN, 2, 5, NaN, 3); // 3 × 3: constant, all NaN, distinct
    const c = quantileCuts(X, 3, 3, 256);
    expect(Array.from(c.nBins)).toEqual([1, 1, 3]);
    expect(Array.from(c.ptr)).toEqual([0, 0, 0, 2]);
    expect(Array.from(c.values)).toEqual([2, 3]);
    expect(Array.from(c.histOff)).toEqual([0, 2, 4]);
    expect(c.histPairs).toBe(8);
  });

  it('handles 0 rows, one row and −0 = 0', () => {
    expect(quantileCuts(new Float32Array(0), 0, 2, 256)).toMatchObject({ nBins: Int32Array.of(1, 1), histPairs: 4 });
    expect(quantileCuts(Float32Array.of(7), 1, 1, 256).values.length).toBe(0);
    expect(Array.from(quantileCuts(Float32Array.of(-0, 0, 1), 3, 1, 256).values)).toEqual([1]);
  });

  it('rejects a maxBin outside [2, 256] or not an integer, naming it', () => {
    for (const bad of [1, 257, 2.5, NaN]) {
      expect(() => quantileCuts(Float32Array.of(1, 2), 2, 1, bad)).toThrow(GroveArgumentError);
      expect(() => quantileCuts(Float32Array.of(1, 2), 2, 1, bad)).toThrow(/maxBin must be an integer in \[2, 256\]/);
    }
  });
});
