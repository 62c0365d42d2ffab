// Weighted quantile sketch against a brute-force weighted rank: exact summaries, the ε bound after
// streaming, merges and prunes (fast-check), the thresholds' bin-weight bound, the edge inputs
// of the contract, the kernel-resident paths a trainer uses, and bad input. (That the thresholds
// are XGBoost's own is checked against XGBoost's figures in binning.test.ts.)
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroveArgumentError, GroveDataError } from '../../src/runtime/errors.js';
import { HeapScope } from '../../src/runtime/heap.js';
import { initSync, withKernel } from '../../src/runtime/kernel.js';
import {
  ColumnSketches, featureCuts, mergeSketches, pruneSketch, quantileSketch, sketchCuts, sketchQuery, sortedCuts, type QuantileSummary,
} from '../../src/tree/sketch.js';

initSync({ module: readFileSync(process.env.GROVE_WASM ?? new URL('../../build/debug.wasm', import.meta.url)) });

/** The summarised data, rounded to float32 as the kernel stores it, NaN values dropped. */
interface Data {
  x: number[];
  w: number[];
}

function dataOf(values: ArrayLike<number>, weights?: ArrayLike<number>): Data {
  const x: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = Math.fround(values[i]);
    if (Number.isNaN(v)) continue;
    x.push(v === 0 ? 0 : v);
    w.push(weights ? Math.fround(weights[i]) : 1);
  }
  return { x, w };
}

const union = (a: Data, b: Data): Data => ({ x: [...a.x, ...b.x], w: [...a.w, ...b.w] });

/** The data a streamed summary holds: XGBoost's queue drops zero weights (an exact summary keeps them). */
const weighted = (d: Data): Data => ({ x: d.x.filter((_, i) => d.w[i] > 0), w: d.w.filter((w) => w > 0) });

/** Distinct values ascending with the weight below, at and up to each (f64 sums). */
function exactRanks(d: Data) {
  const order = d.x.map((_, i) => i).sort((i, j) => d.x[i] - d.x[j]);
  const values: number[] = [];
  const at: number[] = [];
  for (const i of order) {
    if (values.length && values[values.length - 1] === d.x[i]) at[at.length - 1] += d.w[i];
    else {
      values.push(d.x[i]);
      at.push(d.w[i]);
    }
  }
  const below: number[] = [];
  let r = 0;
  for (const a of at) {
    below.push(r);
    r += a;
  }
  return { values, at, below, total: r };
}

/**
 * Rounding slack of the summary's float32 rank sums (XGBoost's rank type) over n items: the
 * sums' rounding errors, 2⁻²⁴ of the running total each, add up like a random walk.
 */
const slack = (W: number, n: number) => 16 * Math.sqrt(n + 1) * 2 ** -24 * W + 1e-30;

/**
 * Checks every clause of the contract for `s` against the data: the entries' bounds, the bounds
 * implied for every value not stored, and the ε-approximation with ε = `eps`. Returns the
 * certified ε (the largest gap found, / W).
 */
function checkSummary(s: QuantileSummary, d: Data, eps: number): number {
  const ex = exactRanks(d);
  const W = ex.total;
  const tol = slack(W, d.x.length);
  const n = s.values.length;
  expect(Math.abs(s.totalWeight - W)).toBeLessThanOrEqual(tol);
  if (ex.values.length === 0) {
    expect(n).toBe(0);
    return 0;
  }
  expect(s.values[0]).toBe(ex.values[0]);
  expect(s.values[n - 1]).toBe(ex.values[ex.values.length - 1]);
  let worst = 0;
  let j = 0; // index into the distinct data values
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      expect(s.values[i]).toBeGreaterThan(s.values[i - 1]);
      worst = Math.max(worst, s.rmax[i] - s.wmin[i] - (s.rmin[i - 1] + s.wmin[i - 1]));
    }
    worst = Math.max(worst, s.rmax[i] - s.rmin[i] - s.wmin[i]);
    // data values strictly between entries i − 1 and i: their ranks within the gap's bounds
    while (ex.values[j] < s.values[i]) {
      const lo = i > 0 ? s.rmin[i - 1] + s.wmin[i - 1] : 0;
      const hi = s.rmax[i] - s.wmin[i];
      expect(lo).toBeLessThanOrEqual(ex.below[j] + tol);
      expect(hi).toBeGreaterThanOrEqual(ex.below[j] + ex.at[j] - tol);
      j++;
    }
    expect(ex.values[j]).toBe(s.values[i]); // a stored value is a data value
    expect(s.rmin[i]).toBeLessThanOrEqual(ex.below[j] + tol);
    expect(s.rmax[i]).toBeGreaterThanOrEqual(ex.below[j] + ex.at[j] - tol);
    expect(s.wmin[i]).toBeGreaterThanOrEqual(0);
    expect(s.wmin[i]).toBeLessThanOrEqual(ex.at[j] + tol);
    j++;
  }
  expect(j).toBe(ex.values.length);
  expect(worst).toBeLessThanOrEqual(eps * W + tol);
  return W > 0 ? worst / W : 0;
}

/** Bins (−∞, t₁), [t₁, t₂), …: each one's weight apart from its lowest data value. */
function binExcess(cuts: Float32Array, d: Data): number[] {
  const ex = exactRanks(d);
  const excess = new Array<number>(cuts.length + 1).fill(0);
  let b = 0;
  let first = true;
  for (let j = 0; j < ex.values.length; j++) {
    while (b < cuts.length && ex.values[j] >= cuts[b]) {
      b++;
      first = true;
    }
    if (!first) excess[b] += ex.at[j];
    first = false;
  }
  return excess;
}

/**
 * The thresholds' contract: ascending data values above the minimum, at most maxBin − 1; each
 * bin within (eps + 1/maxBin + 1/(8·maxBin))·W apart from its lowest value, the last one also
 * holding the maximum when that is no threshold.
 */
function checkCuts(cuts: Float32Array, d: Data, maxBin: number, eps: number): void {
  const ex = exactRanks(d);
  const top = ex.values.length - 1;
  expect(cuts.length).toBeLessThanOrEqual(Math.max(maxBin - 1, 0));
  for (let i = 0; i < cuts.length; i++) {
    expect(ex.values).toContain(cuts[i]);
    expect(cuts[i]).toBeGreaterThan(ex.values[0]);
    if (i > 0) expect(cuts[i]).toBeGreaterThan(cuts[i - 1]);
  }
  const bound = (eps + 1 / maxBin + 1 / (8 * maxBin)) * ex.total + slack(ex.total, d.x.length);
  const excess = binExcess(cuts, d);
  if (top > 0 && cuts[cuts.length - 1] !== ex.values[top]) excess[cuts.length] -= ex.at[top];
  for (const e of excess) expect(e).toBeLessThanOrEqual(bound);
}

// ---- generators: duplicate-heavy values, NaN, zeros, integer or widely spread weights ----
const valueArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -20, max: 20 }) },
  { weight: 3, arbitrary: fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, 0, -0) },
);
const weightArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 8 }) },
  { weight: 2, arbitrary: fc.double({ min: -6, max: 6, noNaN: true }).map((e) => 10 ** e) },
);
const dataArb = (maxLength: number) =>
  fc.array(fc.tuple(valueArb, weightArb), { maxLength }).map((pairs) => ({
    values: Float64Array.from(pairs, (p) => p[0]),
    weights: Float64Array.from(pairs, (p) => p[1]),
  }));

describe('exact summary', () => {
  it('answers every rank exactly (integer weights: float32 sums are exact below 2^24)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(valueArb, fc.integer({ min: 0, max: 8 })), { maxLength: 300 }), (pairs) => {
        const values = Float32Array.from(pairs, (p) => p[0]);
        const weights = Float32Array.from(pairs, (p) => p[1]);
        const s = quantileSketch(values, weights);
        const ex = exactRanks(dataOf(values, weights));
        expect(s.eps).toBe(0);
        expect(Array.from(s.values)).toEqual(ex.values);
        expect(Array.from(s.rmin)).toEqual(ex.below);
        expect(Array.from(s.wmin)).toEqual(ex.at);
        expect(Array.from(s.rmax)).toEqual(ex.below.map((b, i) => b + ex.at[i]));
        expect(s.totalWeight).toBe(ex.total);
      }),
      { numRuns: 300 },
    );
  });

  it('is a worked example: duplicates combined, NaN skipped, −0 = 0, unit weights by default', () => {
    const s = quantileSketch(Float64Array.of(3, NaN, 1, 3, -0, 0, 3));
    expect(Array.from(s.values)).toEqual([0, 1, 3]);
    expect(Array.from(s.rmin)).toEqual([0, 2, 3]);
    expect(Array.from(s.rmax)).toEqual([2, 3, 6]);
    expect(Array.from(s.wmin)).toEqual([2, 1, 3]);
    expect(s.totalWeight).toBe(6);
    // ranks 0–2 lie in 0's span, 2–3 in 1's, 3–6 in 3's
    expect([0.5, 1.9, 2.4, 4, 6].map((r) => sketchQuery(s, r))).toEqual([0, 0, 1, 3, 3]);
    expect(Array.from(sketchCuts(s, 256))).toEqual([1, 3]);
    // three values, two bins: XGBoost keeps the maximum out of the thresholds, bins {0}, {1, 3}
    expect(Array.from(sketchCuts(s, 2))).toEqual([1]);
  });
});

describe('streamed, merged and pruned summaries keep their ε bound', () => {
  it('streaming: eps ≤ the one asked and the certificate within it (several levels)', () => {
    fc.assert(
      fc.property(dataArb(3000), fc.double({ min: 0.01, max: 0.6, noNaN: true }), ({ values, weights }, eps) => {
        const s = quantileSketch(values, weights, { eps });
        expect(s.eps).toBeLessThanOrEqual(eps);
        checkSummary(s, weighted(dataOf(values, weights)), s.eps);
      }),
      { numRuns: 150 },
    );
  });

  it('one queue: a stream that never fills its queue is its exact summary, pruned once', () => {
    // quantileSketch sizes its state for eps/2 (XGBoost's LimitSizeLevel: the fewest levels L
    // whose 2^L summaries of limit = min(n, ⌈L/eps⌉ + 1) entries cover n); at most 2·limit values
    // never fill the queue, and the summary is the exact one pruned to limit entries
    const limitFor = (n: number, eps: number) => {
      for (let L = 1; ; L++) {
        const limit = Math.min(n, Math.ceil(L / eps) + 1);
        if (2 ** L * limit >= n) return limit;
      }
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(valueArb, fc.integer({ min: 1, max: 8 })), { minLength: 2, maxLength: 16 }), (pairs) => {
        const values = Float64Array.from(pairs, (p) => p[0]);
        const weights = Float64Array.from(pairs, (p) => p[1]);
        const streamed = quantileSketch(values, weights, { eps: 0.5 });
        const pruned = pruneSketch(quantileSketch(values, weights), limitFor(values.length, 0.25) - 1);
        expect(Array.from(streamed.values)).toEqual(Array.from(pruned.values));
        expect(Array.from(streamed.rmin)).toEqual(Array.from(pruned.rmin));
        expect(Array.from(streamed.rmax)).toEqual(Array.from(pruned.rmax));
      }),
      { numRuns: 500 },
    );
  });

  it('random merges and prunes: the accumulated ε holds (merge: weighted mean, prune: + 1/b)', () => {
    const part = fc.record({
      data: dataArb(400),
      eps: fc.option(fc.double({ min: 0.02, max: 0.5, noNaN: true }), { nil: undefined }),
    });
    const op = fc.record({ merge: fc.boolean(), b: fc.integer({ min: 1, max: 40 }) });
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), fc.array(op, { maxLength: 12 }), (parts, ops) => {
        const items = parts.map(({ data, eps }) => {
          const s = quantileSketch(data.values, data.weights, eps === undefined ? {} : { eps });
          const d = dataOf(data.values, data.weights);
          return { s, d: eps === undefined ? d : weighted(d), eps: s.eps };
        });
        for (const { merge, b } of ops) {
          const at = b % items.length;
          const it = items[at];
          if (merge && items.length > 1) {
            const other = items.splice((at + 1) % items.length, 1)[0];
            const W1 = it.s.totalWeight;
            const W2 = other.s.totalWeight;
            const eps = W1 + W2 > 0 ? (it.eps * W1 + other.eps * W2) / (W1 + W2) : Math.max(it.eps, other.eps);
            items[items.indexOf(it)] = { s: mergeSketches(it.s, other.s), d: union(it.d, other.d), eps };
          } else {
            const pruned = pruneSketch(it.s, b);
            expect(pruned.values.length).toBeLessThanOrEqual(b + 1);
            items[at] = { s: pruned, d: it.d, eps: it.eps + (it.s.values.length > b + 1 ? 1 / b : 0) };
          }
        }
        for (const { s, d, eps } of items) {
          expect(s.eps).toBeCloseTo(eps, 12);
          checkSummary(s, d, eps);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('query: the answer’s rank is within eps·W/2 of the asked rank', () => {
    fc.assert(
      fc.property(dataArb(800), fc.integer({ min: 2, max: 30 }), fc.double({ min: 0, max: 1, noNaN: true }), ({ values, weights }, b, q) => {
        const s = pruneSketch(quantileSketch(values, weights), b);
        const ex = exactRanks(dataOf(values, weights));
        const W = ex.total;
        const half = (s.eps * W) / 2;
        if (ex.values.length === 0 || W === 0) return;
        // ranks asked within the summary's own (float32) total
        const d = Math.min(half + q * (W - 2 * half), s.totalWeight);
        const j = ex.values.indexOf(sketchQuery(s, d));
        expect(j).toBeGreaterThanOrEqual(0);
        expect(ex.below[j]).toBeLessThanOrEqual(d + half + slack(W, values.length));
        expect(ex.below[j] + ex.at[j]).toBeGreaterThanOrEqual(d - half - slack(W, values.length));
      }),
      { numRuns: 300 },
    );
  });
});

describe('sketchCuts', () => {
  it('bins hold at most (eps + 1/maxBin + 1/(8·maxBin))·W beyond their lowest value', () => {
    fc.assert(
      fc.property(
        dataArb(2000),
        fc.integer({ min: 1, max: 64 }),
        fc.option(fc.double({ min: 0.005, max: 0.3, noNaN: true }), { nil: undefined }),
        ({ values, weights }, maxBin, eps) => {
          const s = quantileSketch(values, weights, eps === undefined ? {} : { eps });
          const d = dataOf(values, weights);
          checkCuts(sketchCuts(s, maxBin), eps === undefined ? d : weighted(d), maxBin, s.eps);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a summary of at most maxBin values gives every value a bin', () => {
    const values = Float32Array.of(5, 1, 4, 1, 2, 9);
    const weights = Float32Array.of(1, 100, 0.5, 1, 0, 3);
    expect(Array.from(sketchCuts(quantileSketch(values, weights), 5))).toEqual([2, 4, 5, 9]);
    expect(sketchCuts(quantileSketch(values, weights), 4).length).toBeLessThanOrEqual(3);
  });
});

describe('edge inputs', () => {
  it('empty, all NaN, one value, all equal, zero weights', () => {
    for (const v of [new Float64Array(0), Float64Array.of(NaN, NaN)]) {
      for (const eps of [undefined, 0.1]) {
        const s = quantileSketch(v, undefined, { eps });
        expect([s.values.length, s.totalWeight]).toEqual([0, 0]);
        expect(sketchCuts(s, 256).length).toBe(0);
        expect(sketchQuery(s, 0)).toBeNaN();
      }
    }
    const one = quantileSketch(Float32Array.of(NaN, 2.5), Float32Array.of(7, 3), { eps: 0.05 });
    expect([Array.from(one.values), one.totalWeight, sketchCuts(one, 16).length]).toEqual([[2.5], 3, 0]);
    const equal = quantileSketch(new Float64Array(10_000).fill(-1), undefined, { eps: 0.01 });
    expect([Array.from(equal.values), Array.from(equal.rmin), Array.from(equal.rmax)]).toEqual([[-1], [0], [10_000]]);
    expect(sketchCuts(equal, 256).length).toBe(0);
    // zero weights are not streamed (XGBoost's queue drops them): all zero, nothing to cut
    const values = Float64Array.from({ length: 5000 }, (_, i) => i % 97);
    expect(quantileSketch(values, new Float64Array(5000), { eps: 0.02 }).values.length).toBe(0);
    const weights = Float64Array.from(values, (v) => (v < 50 ? 0 : 1));
    const s = quantileSketch(values, weights, { eps: 0.02 });
    expect(s.values[0]).toBe(50);
    checkSummary(s, weighted(dataOf(values, weights)), s.eps);
    checkCuts(sketchCuts(s, 32), weighted(dataOf(values, weights)), 32, s.eps);
  });

  it('NaN-heavy, duplicate-heavy and weights from 1e-6 to 1e6', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const n = 50_000;
    const cases = [
      { values: Float64Array.from({ length: n }, () => (rand() < 0.9 ? NaN : rand())), weights: undefined },
      { values: Float64Array.from({ length: n }, () => Math.floor(rand() * 5)), weights: Float64Array.from({ length: n }, () => rand()) },
      { values: Float64Array.from({ length: n }, () => rand() * 2 - 1), weights: Float64Array.from({ length: n }, () => 10 ** (12 * rand() - 6)) },
    ];
    for (const { values, weights } of cases) {
      const s = quantileSketch(values, weights, { eps: 1 / 64 });
      const d = weighted(dataOf(values, weights));
      checkSummary(s, d, s.eps);
      checkCuts(sketchCuts(s, 64), d, 64, s.eps);
    }
  });

  it('1e6 values stream through within eps 1/256', () => {
    const n = 1_000_000;
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = Float32Array.from({ length: n }, () => (rand() < 0.05 ? NaN : (rand() - 0.5) * 100));
    const weights = Float32Array.from({ length: n }, () => rand() * 0.25);
    const s = quantileSketch(values, weights, { eps: 1 / 256 });
    expect(s.eps).toBeLessThanOrEqual(1 / 256);
    expect(s.values.length).toBeLessThan(10_000); // O(log(n)/eps), not O(n)
    const d = weighted(dataOf(values, weights));
    checkSummary(s, d, s.eps);
    checkCuts(sketchCuts(s, 256), d, 256, s.eps);
  });
});

describe('featureCuts and the kernel-resident paths', () => {
  it('each column cut alone as in the matrix; bins within the bound', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(valueArb, weightArb), { maxLength: 1500 }),
        fc.integer({ min: 2, max: 40 }),
        (nCols, pairs, maxBin) => {
          const nRows = Math.floor(pairs.length / nCols);
          const X = Float64Array.from({ length: nRows * nCols }, (_, i) => pairs[i][0]);
          const weights = Float64Array.from({ length: nRows }, (_, r) => pairs[r][1]);
          const got = featureCuts(X, nRows, nCols, weights, { maxBin });
          expect(got.ptr.length).toBe(nCols + 1);
          for (let c = 0; c < nCols; c++) {
            const col = Float64Array.from({ length: nRows }, (_, r) => X[r * nCols + c]);
            const own = featureCuts(col, nRows, 1, weights, { maxBin });
            const cuts = got.values.subarray(got.ptr[c], got.ptr[c + 1]);
            expect(Array.from(cuts)).toEqual(Array.from(own.values));
            expect(got.eps).toBeGreaterThanOrEqual(own.eps);
            checkCuts(cuts, weighted(dataOf(col, weights)), maxBin, got.eps);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a matrix wider than one pass of sketch states gives every column its own cuts', () => {
    // 1M rows: about 2.8 MB of state per column, so 12 columns take two passes over X
    const nRows = 1_000_000;
    const nCols = 12;
    const X = new Float32Array(nRows * nCols);
    let seed = 3;
    for (let i = 0; i < X.length; i++) X[i] = (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 100_003;
    const got = featureCuts(X, nRows, nCols);
    for (const c of [0, 7, 11]) {
      const col = Float32Array.from({ length: nRows }, (_, r) => X[r * nCols + c]);
      expect(Array.from(got.values.subarray(got.ptr[c], got.ptr[c + 1]))).toEqual(Array.from(featureCuts(col, nRows, 1).values));
    }
  });

  it('streams: row ids into a resident matrix, hessians interleaved with gradients, pushed in parts', () => {
    const nRows = 3000;
    const nCols = 3;
    const X = Float32Array.from({ length: nRows * nCols }, (_, i) => ((i * 7919) % 1000) / 10);
    const rows = Int32Array.from({ length: 1000 }, (_, i) => (i * 37) % nRows);
    const gh = Float32Array.from({ length: 2 * rows.length }, (_, i) => (i % 2 ? ((i * 13) % 11) / 10 : -5));
    const hess = Float32Array.from(rows, (_, i) => gh[2 * i + 1]);
    const sketch = (cols: Float32Array[], parts: boolean) =>
      withKernel((k) => {
        const heap = new HeapScope(k);
        try {
          const sketches = new ColumnSketches(k, heap, cols.length, rows.length, 0.02);
          if (parts) {
            const x = heap.copyIn(X);
            const r = heap.copyIn(rows);
            const w = heap.copyIn(gh) + 4;
            sketches.push(x, r, 400, w, 2);
            sketches.push(x, r + 4 * 400, rows.length - 400, w + 8 * 400, 2);
          } else {
            const x = new Float32Array(rows.length * cols.length);
            cols.forEach((col, c) => col.forEach((v, i) => (x[i * cols.length + c] = v)));
            sketches.push(heap.copyIn(x), 0, rows.length, heap.copyIn(hess), 1);
          }
          return cols.map((_, c) => sketches.summary(c));
        } finally {
          heap.dispose();
        }
      });
    const cols = [0, 1, 2].map((c) => Float32Array.from(rows, (r) => X[r * nCols + c]));
    const gathered = sketch(cols, false);
    sketch(cols, true).forEach((s, c) => {
      expect(s).toEqual(gathered[c]);
      checkSummary(s, weighted(dataOf(cols[c], hess)), s.eps);
    });
  });

  it('sortedCuts: the values where the cumulative weight first reaches k·W/maxBin, and the maximum', () => {
    // a brute-force SortedQuantile: walk the distinct values keeping one when the weight up to it
    // reaches the next goal k·W/maxBin (k counting those kept), then the maximum; so few entries
    // (≤ maxBin + 1) that no prune applies when there are enough values (> 2·maxBin + 2)
    const expected = (x: Float32Array, w: Float32Array, maxBin: number) => {
      const ex = exactRanks(dataOf(x, w));
      const kept: number[] = [];
      let goal = 0;
      for (let j = 0; j < ex.values.length - 1; j++) {
        if (ex.below[j] + ex.at[j] >= goal && kept.length < maxBin) {
          kept.push(ex.values[j]);
          goal = kept.length === maxBin ? Infinity : Math.fround((kept.length * ex.total) / maxBin);
        }
      }
      kept.push(ex.values[ex.values.length - 1]);
      return kept.slice(1, Math.min(kept.length, maxBin));
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(valueArb, fc.integer({ min: 0, max: 8 })), { minLength: 300, maxLength: 800 }), fc.integer({ min: 2, max: 64 }), (pairs, maxBin) => {
        const x = Float32Array.from(pairs, (p) => (Number.isNaN(p[0]) ? 1 : p[0]));
        const w = Float32Array.from(pairs, (p) => p[1]);
        const cuts = withKernel((k) => {
          const heap = new HeapScope(k);
          try {
            return sortedCuts(k, heap, heap.copyIn(x), 1, 0, x.length, heap.copyIn(w), 1, maxBin, maxBin).values;
          } finally {
            heap.dispose();
          }
        });
        expect(Array.from(cuts)).toEqual(expected(x, w, maxBin));
      }),
      { numRuns: 200 },
    );
  });
});

describe('bad input', () => {
  const v = Float64Array.of(1, 2, 3);
  const cases: [string, () => unknown][] = [
    ['negative weight', () => quantileSketch(v, Float64Array.of(1, -1, 1))],
    ['NaN weight', () => quantileSketch(v, Float64Array.of(1, NaN, 1), { eps: 0.1 })],
    ['infinite weight', () => quantileSketch(v, Float64Array.of(1, Infinity, 1))],
    ['weights length', () => quantileSketch(v, Float64Array.of(1, 1))],
    ['values type', () => quantileSketch([1, 2] as unknown as Float64Array)],
    ['eps 0', () => quantileSketch(v, undefined, { eps: 0 })],
    ['eps 1', () => quantileSketch(v, undefined, { eps: 1 })],
    ['eps NaN', () => quantileSketch(v, undefined, { eps: NaN })],
    ['eps string', () => quantileSketch(v, undefined, { eps: '0.1' as unknown as number })],
    ['unknown option', () => quantileSketch(v, undefined, { epsilon: 0.1 } as never)],
    ['prune b 0', () => pruneSketch(quantileSketch(v), 0)],
    ['prune b 1.5', () => pruneSketch(quantileSketch(v), 1.5)],
    ['maxBin 0', () => sketchCuts(quantileSketch(v), 0)],
    ['query rank > W', () => sketchQuery(quantileSketch(v), 3.5)],
    ['not a summary', () => mergeSketches(quantileSketch(v), { values: [1] } as unknown as QuantileSummary)],
    ['X length', () => featureCuts(v, 2, 2)],
    ['nCols 0', () => featureCuts(v, 3, 0)],
    ['featureCuts weights', () => featureCuts(v, 3, 1, Float64Array.of(1, 1, -2))],
    ['featureCuts maxBin', () => featureCuts(v, 3, 1, undefined, { maxBin: 2.5 })],
    ['a state over 1 GiB', () => withKernel((k) => new ColumnSketches(k, new HeapScope(k), 1, 2 ** 31 - 1, 1e-9))],
  ];
  it.each(cases)('%s → GroveArgumentError', (_, call) => {
    expect(call).toThrow(GroveArgumentError);
  });

  it('the kernel refuses bad hessians and rows past nMax (the trainer path skips the facade checks)', () => {
    const run = (weights: Float32Array, n: number) =>
      withKernel((k) => {
        const heap = new HeapScope(k);
        try {
          const sketches = new ColumnSketches(k, heap, 1, 3, 0.1);
          sketches.push(heap.copyIn(Float32Array.of(1, 2, 3, 4)), 0, n, heap.copyIn(weights), 1);
        } finally {
          heap.dispose();
        }
      });
    expect(() => run(Float32Array.of(1, -2, 1, 1), 3)).toThrow(GroveDataError);
    expect(() => run(Float32Array.of(1, 1, 1, 1), 4)).toThrow(GroveArgumentError);
  });
});
