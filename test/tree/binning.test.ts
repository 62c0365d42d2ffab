// quantileCuts and hessianCuts (src/tree/binning.ts): XGBoost 1.7.4's own cut points on columns
// whose cuts it was made to reveal, at most maxBin bins, one bin per distinct value when there
// are few, near-equal counts when there are many, the byte cap for features with missing values,
// constant and all-NaN columns, the histogram layout, and `x < cuts[b]` ⇔ code ≤ b (what makes
// binned training and raw prediction agree).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroveArgumentError } from '../../src/runtime/errors.js';
import { HeapScope } from '../../src/runtime/heap.js';
import { initSync, withKernel } from '../../src/runtime/kernel.js';
import { blockHessianCuts, hessianCuts, quantileCuts, type Cuts } from '../../src/tree/binning.js';

// cuts come from the sketch kernel
initSync({ module: readFileSync(process.env.GROVE_WASM ?? new URL('../../build/debug.wasm', import.meta.url)) });

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
        let off = 0;
        for (let f = 0; f < m; f++) {
          const cuts = cutsOf(c, f);
          const col = Array.from({ length: n }, (_, r) => X[r * m + f]);
          const finite = col.filter((x) => !Number.isNaN(x));
          // codes are bytes: a feature with a missing value has 255 regular bins at most
          const cap = Math.min(maxBin, finite.length < n ? 255 : 256);
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

  it('spreads the bins over the ranks above a heavy minimum', () => {
    // 90% zeros, then 100 distinct values: XGBoost's queries span [rmax of 0, rmin of 999], so
    // the zeros share bin 0 with the next 4 values (rank 904.95 is answered by 904) and the
    // other 19 bins split the remaining 96 values
    const X = Float32Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : i));
    const c = quantileCuts(X, 1000, 1, 20);
    expect(c.nBins[0]).toBe(20);
    expect(c.values[0]).toBe(904);
    const counts = new Array<number>(20).fill(0);
    for (const x of X) counts[code(x, c.values)]++;
    expect(counts[0]).toBe(904);
    for (const k of counts.slice(1)) expect(k).toBeLessThanOrEqual(6);
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
    // feature by feature: a column without missing values next to one with keeps 256
    const both = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 ? withNaN[i >> 1] : without[i >> 1]));
    expect(Array.from(quantileCuts(both, n, 2, 256).nBins)).toEqual([256, 255]);
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

/** `approx` cuts of row-major `X` (n × m) with per-row weights, through kernel memory as a trainer calls them. */
function approxCuts(X: Float32Array, n: number, m: number, w: Float32Array, maxBin: number): Cuts {
  return withKernel((k) => {
    const heap = new HeapScope(k);
    try {
      return hessianCuts(k, heap, heap.copyIn(X), m, 0, n, heap.copyIn(w), 1, maxBin);
    } finally {
      heap.dispose();
    }
  });
}

// XGBoost 1.7.4's cut sets, revealed by training (/usr/bin/python3, xgboost 1.7.4, nthread 1):
// every split condition of 300–600 trees on random labels (hist: reg:squarederror, eta 1;
// approx: binary:logistic with eta 0, so every tree is sketched with hessian 0.25), max_depth 6,
// lambda 0, min_child_weight 0. With this few cuts each one is some node's best split sooner or
// later; the lists are all the conditions found but XGBoost's split above the maximum
// (max + |max| + 1e-5, the missing-vs-present split). approx weighs a row by hessian × sample
// weight, and its hessian already carries the sample weight: 0.25·w².
describe('XGBoost 1.7.4 cut points', () => {
  const quarterW2 = (w: Float32Array) => Float32Array.from(w, (x) => 0.25 * x * x);

  it('1 … 10 into 4 bins (hand-checkable)', () => {
    const X = Float32Array.from({ length: 10 }, (_, i) => i + 1);
    // hist prunes the exact summary to 5 entries by queries 2·(k·8/4 + 1) = 6, 10, 14 over
    // rmin + rmax = 2i + 1 at value i + 1: ties go up, so 4, 6, 8 (and the ends 1, 10); the
    // maximum is no cut
    expect(Array.from(quantileCuts(X, 10, 1, 4).values)).toEqual([4, 6, 8]);
    // approx keeps a value when the weight up to it reaches k·W/4 = 2.5, 5, 7.5: 1, 3, 5, 8, then 10
    expect(Array.from(approxCuts(X, 10, 1, new Float32Array(10).fill(0.25), 4).values)).toEqual([3, 5, 8]);
  });

  it('1 … 8 weighted 4, 1, 1, 1, 1, 1, 1, 6 into 3 bins (hand-checkable)', () => {
    const X = Float32Array.from({ length: 8 }, (_, i) => i + 1);
    const w = Float32Array.of(4, 1, 1, 1, 1, 1, 1, 6);
    // hist: queries 2·(k·6/3 + 4) = 12, 16 between rmax₀ = 4 and rmin_last = 10 pick 4 and 6
    expect(Array.from(quantileCuts(X, 8, 1, 3, w).values)).toEqual([4, 6]);
    // approx, weights 4, 0.25 ×6, 9 (W = 14.5): goals 0, 4.83, 9.67 keep 1 and 5, then the maximum 8
    expect(Array.from(approxCuts(X, 8, 1, quarterW2(w), 3).values)).toEqual([5, 8]);
  });

  it('a streamed column: 3000 rows with repeats and NaN through several full queues (16 bins)', () => {
    // 2969 values, eps 1/128: 3 levels of limit 385 and queues of 770 runs
    const n = 3000;
    const X = Float32Array.from({ length: n }, (_, i) => (i % 97 === 5 ? NaN : ((i * i * 7 + i * 13) % 2003) / 16));
    const w = Float32Array.from({ length: n }, (_, i) => 1 + (i % 7) / 4);
    expect(Array.from(quantileCuts(X, n, 1, 16).values)).toEqual([
      7.8125, 15.5625, 23.1875, 29.8125, 37.3125, 45.75, 53.0625, 61.125, 67.8125, 75.375, 84.1875, 91.4375, 99.0625, 107.25, 116.625,
    ]);
    expect(Array.from(quantileCuts(X, n, 1, 16, w).values)).toEqual([
      7.375, 15.3125, 22.5625, 28.5, 36.6875, 44.875, 52.625, 59.5, 68, 75.125, 83.75, 91.3125, 98.6875, 106.875, 116.6875,
    ]);
    expect(Array.from(approxCuts(X, n, 1, quarterW2(w), 16).values)).toEqual([
      6.875, 15.0625, 21.9375, 28.125, 35.75, 44.25, 51.9375, 59.5, 67.125, 75.25, 83.9375, 91.4375, 99.0625, 106.8125, 116.625,
    ]);
  });

  it('sums tied weights in the order std::sort leaves them (7000 weighted values, 256 bins)', () => {
    // values k/1000 − 2 (4001 of them, many tied) and weights in [0.05, 3] from xorshift32(40);
    // a stable sort would sum one tie group's weights in another order, round W·k/n differently
    // and cut at −0.542 instead of XGBoost's −0.54. XGBoost's 255 cuts all appeared as split
    // conditions (max_depth 10, 320 trees); their sum in ascending order is 5.1939998955931515
    let s = 40;
    const next = () => {
      s = (s ^ (s << 13)) >>> 0;
      s = (s ^ (s >>> 17)) >>> 0;
      s = (s ^ (s << 5)) >>> 0;
      return s;
    };
    const X = new Float32Array(7000);
    const w = new Float32Array(7000);
    for (let i = 0; i < 7000; i++) {
      X[i] = (next() % 4001) / 1000 - 2;
      w[i] = 0.05 + ((next() % 10000) / 10000) * 2.95;
    }
    const cuts = quantileCuts(X, 7000, 1, 256, w).values;
    expect(cuts.length).toBe(255);
    expect(Array.from(cuts.subarray(89, 92))).toEqual([f32(-0.558), f32(-0.54), f32(-0.523)]);
    expect(cuts.reduce((a, b) => a + b, 0)).toBe(5.1939998955931515);
  });
});

describe('hessianCuts', () => {
  it('caps a column with missing values among the rows at 255 bins, feature by feature', () => {
    const n = 700;
    const X = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 && (i >> 1) % 10 === 0 ? NaN : i >> 1));
    expect(Array.from(approxCuts(X, n, 2, new Float32Array(n).fill(0.25), 256).nBins)).toEqual([256, 255]);
  });

  it('reads row ids into a resident matrix and hessians interleaved with gradients', () => {
    const nRows = 3000;
    const m = 3;
    const X = Float32Array.from({ length: nRows * m }, (_, i) => (i % 11 === 3 ? NaN : ((i * 7919) % 1000) / 10));
    const rows = Int32Array.from({ length: 1000 }, (_, i) => (i * 37) % nRows);
    const gh = Float32Array.from({ length: 2 * rows.length }, (_, i) => (i % 2 ? ((i * 13) % 11) / 10 : -5));
    const got = withKernel((k) => {
      const heap = new HeapScope(k);
      try {
        return hessianCuts(k, heap, heap.copyIn(X), m, heap.copyIn(rows), rows.length, heap.copyIn(gh) + 4, 2, 64);
      } finally {
        heap.dispose();
      }
    });
    const gathered = Float32Array.from({ length: rows.length * m }, (_, i) => X[rows[Math.floor(i / m)] * m + (i % m)]);
    const hess = Float32Array.from(rows, (_, i) => gh[2 * i + 1]);
    expect(got).toEqual(approxCuts(gathered, rows.length, m, hess, 64));
    expect(got.values.length).toBeGreaterThan(0);
  });

  it('from columns sorted once (approx, global): the cuts of the tree\'s rows and every row\'s codes, as sketching and binning those rows does', () => {
    fc.assert(
      fc.property(
        fc.array(columnArb.map((c) => c.map((v) => (v === 0 && c.length % 2 ? -0 : v))), { minLength: 1, maxLength: 3 }),
        fc.array(fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 40 }).map((v) => v / 8) }, { weight: 1, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(-1) }), { maxLength: 600 }),
        fc.integer({ min: 2, max: 64 }),
        (columns, weights, maxBin) => {
          const { X, n, m } = matrix(columns);
          // the tree's rows: those given a weight ≥ 0, ascending; −1 leaves a row out
          const rows = Int32Array.from({ length: n }, (_, r) => r).filter((r) => (weights[r] ?? 1) >= 0);
          const gh = Float32Array.from({ length: 2 * rows.length }, (_, i) => (i % 2 ? (weights[rows[i >> 1]] ?? 1) : -3));
          const [fromBlocks, fromRows] = withKernel((k) => {
            const heap = new HeapScope(k);
            try {
              const x = heap.copyIn(X);
              const at = { vals: heap.alloc(4 * n * m), rows: heap.alloc(4 * n * m), colPtr: heap.alloc(4 * (m + 1)), missPtr: heap.alloc(4 * (m + 1)), wById: heap.alloc(4 * n) };
              k.tree_column_blocks(x, n, m, heap.alloc(8 * n), at.vals, at.rows, at.colPtr, at.missPtr);
              const ids = heap.copyIn(rows);
              const pairs = heap.copyIn(gh);
              expect(k.tree_sketch_row_weights(ids, rows.length, pairs + 4, 2, 0, n, at.wById)).toBe(0);
              // the same weights read by row id (rows left out hold a weight that must not show)
              const byRow = heap.copyIn(Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 ? ((weights[i >> 1] ?? 1) >= 0 ? (weights[i >> 1] ?? 1) : 7) : -3)));
              const fromIds = heap.alloc(4 * n);
              expect(k.tree_sketch_row_weights(ids, rows.length, byRow + 4, 2, 1, n, fromIds)).toBe(0);
              expect(new Float32Array(k.memory.buffer, fromIds, n).slice()).toEqual(new Float32Array(k.memory.buffer, at.wById, n).slice());
              const colPtr = new Int32Array(k.memory.buffer, at.colPtr, m + 1).slice();
              const cuts = blockHessianCuts(k, heap, { vals: at.vals, rows: at.rows, colPtr }, at.wById, rows.length, maxBin);
              const bins = heap.alloc(n * m);
              k.tree_bin_blocks(at.vals, at.rows, at.colPtr, at.missPtr, n * m, m, heap.copyIn(cuts.values), heap.copyIn(cuts.ptr), bins);
              const blockCodes = new Uint8Array(k.memory.buffer, bins, n * m).slice();
              const reference = hessianCuts(k, heap, x, m, ids, rows.length, pairs + 4, 2, maxBin);
              const rowCodes = heap.alloc(n * m);
              k.tree_bin_rows(x, m, 0, 0, n, heap.copyIn(reference.values), heap.copyIn(reference.ptr), rowCodes);
              return [{ cuts, codes: blockCodes }, { cuts: reference, codes: new Uint8Array(k.memory.buffer, rowCodes, n * m).slice() }];
            } finally {
              heap.dispose();
            }
          });
          expect(fromBlocks).toEqual(fromRows);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects a negative hessian and a maxBin outside [2, 256]', () => {
    const X = Float32Array.of(1, 2, 3);
    expect(() => approxCuts(X, 3, 1, Float32Array.of(1, -1, 1), 16)).toThrow(/invalid weights/);
    expect(() => approxCuts(X, 3, 1, Float32Array.of(1, 1, 1), 257)).toThrow(GroveArgumentError);
  });
});
