/**
 * Weighted quantile sketch as XGBoost 1.7 builds its histogram cut points (Chen & Guestrin 2016,
 * appendix A; kernels in assembly/tree/sketch.ts), so that `hist` and `approx` split on the
 * thresholds XGBoost splits on.
 *
 * Contract. A summary of the pairs (x, w) of one feature (NaN x = missing, skipped; w finite ≥ 0;
 * values and weights rounded to float32, ranks kept in float32 and summed in XGBoost's order)
 * has strictly ascending `values`, the first the minimum and the last the maximum, and for each:
 *   rmin[i] ≤ Σ w over x < values[i],  rmax[i] ≥ Σ w over x ≤ values[i],
 *   0 ≤ wmin[i] ≤ Σ w over x = values[i]
 * (up to float32 rounding of the sums: a relative 2⁻²⁴ per addition); and it is `eps`-approximate
 * with W = `totalWeight`: rmax[i] − rmin[i] − wmin[i] ≤ eps·W for every entry, and
 * (rmax[i+1] − wmin[i+1]) − (rmin[i] + wmin[i]) ≤ eps·W between neighbours, so the weighted rank
 * of any value, stored or not, is known to within eps·W.
 * - `quantileSketch` without `eps` is exact (eps 0); with `eps` it streams the data through
 *   XGBoost's sketch (a queue, then a binary counter of pruned summaries), sized so that the
 *   bound it certifies is at most the `eps` asked. Streaming drops zero weights, as XGBoost's
 *   queue does (the exact summary keeps their values).
 * - `mergeSketches(a, b)` summarises the union: eps = (a.eps·Wa + b.eps·Wb)/(Wa + Wb) ≤ max.
 * - `pruneSketch(s, b)` keeps at most b + 1 entries: eps grows by 1/b (by 0 when s is that small).
 * - `sketchQuery(s, d)` returns a value v with Σ w over x < v ≤ d + eps·W/2 and
 *   Σ w over x ≤ v ≥ d − eps·W/2 (for eps·W/2 ≤ d ≤ W − eps·W/2).
 * - `sketchCuts(s, maxBin)` returns XGBoost's `hist` thresholds t (split: x < t goes left): s
 *   pruned to 8·maxBin entries, then to maxBin + 1, and the entries 1 … min(size, maxBin) − 1 —
 *   at most maxBin − 1 summarised values above the minimum, bounding at most maxBin bins
 *   (−∞, t₁), [t₁, t₂), …, [t_m, ∞). A summary of at most maxBin values gives each its own bin.
 *   Otherwise each bin holds at most (eps + 1/maxBin + 1/(8·maxBin))·W apart from its lowest
 *   value, and the last bin also the maximum (XGBoost keeps it out of the thresholds).
 * `featureCuts` does this for every column of a row-major matrix as XGBoost's `hist` does
 * (HostSketchContainer: rows streamed in order, eps = 1/(8·min(maxBin, count)) per column);
 * `sortedCuts` is XGBoost's `approx` proposal (SortedSketchContainer) over data already in kernel
 * memory; `ColumnSketches` streams columns held in kernel memory.
 */
import { GroveArgumentError, checkStatus } from '../runtime/errors.js';
import { HeapScope, f32At, u32At } from '../runtime/heap.js';
import { withKernel, type KernelExports } from '../runtime/kernel.js';

export interface QuantileSummary {
  /** Distinct values, ascending. */
  readonly values: Float32Array;
  /** Lower bounds of the weight below each value. */
  readonly rmin: Float32Array;
  /** Upper bounds of the weight at or below each value. */
  readonly rmax: Float32Array;
  /** Lower bounds of the weight at each value. */
  readonly wmin: Float32Array;
  /** W, the weight summarised (0 when empty). */
  readonly totalWeight: number;
  /** The rank error bound, as a fraction of W. */
  readonly eps: number;
}

export interface SketchOptions {
  /** Rank error bound in (0, 1); omitted: an exact summary (memory grows with the data). */
  eps?: number;
}

export interface FeatureCutsOptions {
  /** Bins per feature (at most maxBin − 1 thresholds). Default 256. */
  maxBin?: number;
  /** Sketch error bound in (0, 1). Default XGBoost's, 1/(8·min(maxBin, count)) per column. */
  eps?: number;
}

/** Thresholds of every feature: feature f's are `values[ptr[f] .. ptr[f+1])`, ascending. */
export interface FeatureCuts {
  values: Float32Array;
  ptr: Int32Array;
  /** The largest error bound of the columns' summaries (for the bin bound of sketchCuts). */
  eps: number;
}

type Floats = Float32Array | Float64Array;

/** Bytes per summary entry in kernel memory: f32 rmin, rmax, wmin, value. */
const ENTRY = 16;
/** Items copied into kernel memory per call, so memory stays flat whatever n is. */
const CHUNK = 1 << 16;
/** Bytes of the row block featureCuts copies in at a time. */
const CHUNK_BYTES = 1 << 20;
/**
 * Kernel memory for the sketch states featureCuts keeps at once; wider matrices take several
 * passes over X, a group of columns each (a 1M-row column's state is about 2.8 MB).
 */
const STATE_BUDGET = 1 << 25;
const PUSH_ARGS = ['state', 'x', 'xStride', 'rows', 'n', 'weights', 'wStride'];
const OPEN_ARGS = ['state', 'nMax', 'eps'];

/** Scratch bytes tree_sketch_cuts needs for maxBin. */
const cutScratch = (maxBin: number) => ENTRY * (9 * maxBin + 1);

/** Summarises `values` weighted by `weights` (default 1 each); see the contract above. */
export function quantileSketch(values: Floats, weights?: Floats, options: SketchOptions = {}): QuantileSummary {
  const fn = 'quantileSketch';
  checkFloats(fn, 'values', values);
  if (weights !== undefined) checkWeights(fn, weights, values.length);
  checkOptions(fn, options, ['eps']);
  const eps = options.eps;
  if (eps !== undefined) checkEps(fn, eps);
  const n = values.length;
  return withKernel((k) => {
    const heap = new HeapScope(k);
    try {
      if (eps === undefined) {
        if (n * ENTRY >= 2 ** 30) throw new GroveArgumentError(`${fn}: ${n} values are too many for an exact summary; pass eps`);
        const x = heap.alloc(4 * n);
        const w = weights ? heap.alloc(4 * n) : 0;
        f32At(k, x, n).set(values);
        if (weights) f32At(k, w, n).set(weights);
        const out = heap.alloc(ENTRY * n);
        const count = k.tree_sketch_exact(x, 1, 0, n, w, 1, heap.alloc(16 * n), out);
        if (count < 0) checkStatus(count, k, fn, ['x', 'xStride', 'rows', 'n', 'weights']);
        return summaryOut(k, out, count, 0);
      }
      // the certified bound is at most (levels + 1)/levels times the one the state is sized for
      const sketches = new ColumnSketches(k, heap, 1, n, eps / 2);
      const len = Math.min(n, CHUNK);
      const x = heap.alloc(4 * len);
      const w = weights ? heap.alloc(4 * len) : 0;
      for (let from = 0; from < n; from += CHUNK) {
        const to = Math.min(n, from + CHUNK);
        f32At(k, x, to - from).set(values.subarray(from, to));
        if (weights) f32At(k, w, to - from).set(weights.subarray(from, to));
        sketches.push(x, 0, to - from, w, 1);
      }
      return sketches.summary(0);
    } finally {
      heap.dispose();
    }
  });
}

/** The summary of the union of the data behind `a` and `b`. */
export function mergeSketches(a: QuantileSummary, b: QuantileSummary): QuantileSummary {
  checkSummary('mergeSketches', 'a', a);
  checkSummary('mergeSketches', 'b', b);
  return withKernel((k) => {
    const heap = new HeapScope(k);
    try {
      const na = a.values.length;
      const nb = b.values.length;
      const out = heap.alloc(ENTRY * (na + nb));
      const count = k.tree_sketch_merge(summaryIn(heap, a), na, summaryIn(heap, b), nb, out);
      const wa = a.totalWeight;
      const wb = b.totalWeight;
      return summaryOut(k, out, count, wa + wb > 0 ? (a.eps * wa + b.eps * wb) / (wa + wb) : Math.max(a.eps, b.eps));
    } finally {
      heap.dispose();
    }
  });
}

/** `s` reduced to at most b + 1 entries (b an integer ≥ 1); its eps grows by 1/b. */
export function pruneSketch(s: QuantileSummary, b: number): QuantileSummary {
  checkSummary('pruneSketch', 's', s);
  if (!Number.isInteger(b) || b < 1) throw new GroveArgumentError(`pruneSketch: b must be an integer ≥ 1. Got ${String(b)}`);
  if (s.values.length <= b + 1) return s;
  return withKernel((k) => {
    const heap = new HeapScope(k);
    try {
      const out = heap.alloc(ENTRY * (b + 1));
      const count = k.tree_sketch_prune(summaryIn(heap, s), s.values.length, b, out);
      return summaryOut(k, out, count, s.eps + 1 / b);
    } finally {
      heap.dispose();
    }
  });
}

/** A summarised value whose weighted rank is within eps·W/2 of `rank` (NaN when `s` is empty). */
export function sketchQuery(s: QuantileSummary, rank: number): number {
  checkSummary('sketchQuery', 's', s);
  if (typeof rank !== 'number' || !(rank >= 0 && rank <= s.totalWeight)) {
    throw new GroveArgumentError(`sketchQuery: rank must be a number within [0, totalWeight = ${s.totalWeight}]. Got ${String(rank)}`);
  }
  if (s.values.length === 0) return NaN;
  return withKernel((k) => {
    const heap = new HeapScope(k);
    try {
      return s.values[k.tree_sketch_query(summaryIn(heap, s), s.values.length, rank)];
    } finally {
      heap.dispose();
    }
  });
}

/** XGBoost's `hist` thresholds of `s` for at most maxBin bins (maxBin an integer ≥ 1). */
export function sketchCuts(s: QuantileSummary, maxBin: number): Float32Array {
  checkSummary('sketchCuts', 's', s);
  checkMaxBin('sketchCuts', maxBin);
  return withKernel((k) => {
    const heap = new HeapScope(k);
    try {
      const out = heap.alloc(cutScratch(maxBin));
      const count = k.tree_sketch_cuts(summaryIn(heap, s), s.values.length, maxBin, out);
      return f32At(k, out, count).slice();
    } finally {
      heap.dispose();
    }
  });
}

/**
 * Thresholds for every column of row-major `X` (nRows × nCols, NaN = missing) as XGBoost's `hist`
 * makes them: each column streamed in row order through a sketch of its own count of values,
 * weighted by `weights` (one per row, e.g. sample weights; default 1).
 */
export function featureCuts(X: Floats, nRows: number, nCols: number, weights?: Floats, options: FeatureCutsOptions = {}): FeatureCuts {
  const fn = 'featureCuts';
  checkFloats(fn, 'X', X);
  if (!Number.isInteger(nRows) || nRows < 0) throw new GroveArgumentError(`${fn}: nRows must be an integer ≥ 0. Got ${String(nRows)}`);
  if (!Number.isInteger(nCols) || nCols < 1) throw new GroveArgumentError(`${fn}: nCols must be an integer ≥ 1. Got ${String(nCols)}`);
  if (X.length !== nRows * nCols) throw new GroveArgumentError(`${fn}: X has ${X.length} values, expected nRows × nCols = ${nRows * nCols}`);
  if (weights !== undefined) checkWeights(fn, weights, nRows);
  checkOptions(fn, options, ['maxBin', 'eps']);
  const maxBin = options.maxBin ?? 256;
  checkMaxBin(fn, maxBin);
  if (options.eps !== undefined) checkEps(fn, options.eps);
  return histogramCuts(X, nRows, nCols, weights, maxBin, maxBin, options.eps);
}

/**
 * featureCuts without the checks, with `maxBinMissing` bins for a column that has missing
 * values (binning.ts keeps those at 255 so that the missing bin's code fits a byte).
 */
export function histogramCuts(X: Floats, nRows: number, nCols: number, weights: Floats | undefined, maxBin: number, maxBinMissing: number, eps?: number): FeatureCuts {
  return withKernel((k) => {
    const heap = new HeapScope(k);
    try {
      const rows = Math.max(1, Math.min(nRows, Math.floor(CHUNK_BYTES / (4 * nCols))));
      const x = heap.alloc(4 * rows * nCols);
      const w = weights ? heap.alloc(4 * rows) : 0;
      /** Calls `fn` on each block of rows [from, to) copied in at x (and its weights at w). */
      const blocks = (fn: (from: number, to: number) => void) => {
        for (let from = 0; from < nRows; from += rows) {
          const to = Math.min(nRows, from + rows);
          f32At(k, x, (to - from) * nCols).set(X.subarray(from * nCols, to * nCols));
          if (weights) f32At(k, w, to - from).set(weights.subarray(from, to));
          fn(from, to);
        }
      };
      const counted = heap.alloc(4 * nCols);
      u32At(k, counted, nCols).fill(0);
      blocks((from, to) => k.tree_sketch_count(x, to - from, nCols, counted));
      const count = Int32Array.from(u32At(k, counted, nCols));
      const bins = Int32Array.from(count, (n) => (n < nRows ? maxBinMissing : maxBin));
      // XGBoost's HostSketchContainer: eps = 1/(8·min(maxBin, count)) for each column
      const epsOf = Float64Array.from(count, (n, c) => eps ?? 1 / (8 * Math.max(1, Math.min(bins[c], n))));
      const parts: Float32Array[] = [];
      let bound = 0;
      for (let c0 = 0; c0 < nCols; ) {
        // the columns whose states fit the budget together (at least one)
        let c1 = c0;
        for (let bytes = 0; c1 < nCols && (c1 === c0 || bytes + stateBytes(k, count[c1], epsOf[c1]) <= STATE_BUDGET); c1++) bytes += stateBytes(k, count[c1], epsOf[c1]);
        const states = new HeapScope(k);
        try {
          const sketches = new ColumnSketches(k, states, c1 - c0, count.subarray(c0, c1), epsOf.subarray(c0, c1));
          blocks((from, to) => sketches.push(x + 4 * c0, 0, to - from, w, 1, nCols));
          const cuts = sketches.cuts(bins.subarray(c0, c1));
          bound = Math.max(bound, cuts.eps);
          for (let c = c0; c < c1; c++) parts.push(cuts.values.subarray(cuts.ptr[c - c0], cuts.ptr[c - c0 + 1]));
        } finally {
          states.dispose();
        }
        c0 = c1;
      }
      return joinCuts(parts, bound);
    } finally {
      heap.dispose();
    }
  });
}

/**
 * XGBoost's `approx` thresholds (SortedSketchContainer) for the nCols columns of a row-major
 * matrix in kernel memory at `x`, over n items: row `rows ? rows[i] : i` (i32 ids at `rows`),
 * weighted by the f32 at `w + 4·i·wStride` (`w` 0: weight 1), e.g. a tree's hessians. Each
 * column's values sorted, the values where the cumulative weight first reaches k·W/maxBin kept,
 * then cut as sketchCuts does; `maxBinMissing` bins for a column with a missing value among the
 * items. To match XGBoost, pass every training row (an unsampled one with weight 0), weighted by
 * hessian × sample weight. Throws GroveDataError for a negative or non-finite weight.
 */
export function sortedCuts(
  k: KernelExports, heap: HeapScope, x: number, nCols: number, rows: number, n: number, w: number, wStride: number, maxBin: number, maxBinMissing: number,
): FeatureCuts {
  const keys = heap.alloc(16 * n);
  const out = heap.alloc(ENTRY * (11 * Math.max(maxBin, maxBinMissing) + 3));
  const parts: Float32Array[] = [];
  for (let c = 0; c < nCols; c++) {
    const count = k.tree_sketch_sorted_cuts(x + 4 * c, nCols, rows, n, w, wStride, maxBin, maxBinMissing, keys, out);
    if (count < 0) checkStatus(count, k, 'sketch', ['x', 'xStride', 'rows', 'n', 'weights', 'wStride', 'maxBin', 'maxBinMissing']);
    parts.push(f32At(k, out, count).slice());
  }
  return joinCuts(parts, 0);
}

/** Columns sorted once (tree_column_blocks): values and row ids in kernel memory, and where each column starts. */
export interface ColumnBlocks {
  vals: number;
  rows: number;
  colPtr: Int32Array;
}

/**
 * sortedCuts of a tree's rows read from column blocks sorted once, no sort per tree: the rows
 * with a weight in `wById` (f32 by row id, −1 for a row outside the tree; see
 * tree_sketch_row_weights), `ns` of them. The same cuts bit for bit as sortedCuts over those
 * rows in ascending id order.
 */
export function blockCuts(k: KernelExports, heap: HeapScope, blocks: ColumnBlocks, wById: number, ns: number, maxBin: number, maxBinMissing: number): FeatureCuts {
  const nCols = blocks.colPtr.length - 1;
  const most = Math.max(0, ...Array.from({ length: nCols }, (_, c) => blocks.colPtr[c + 1] - blocks.colPtr[c]));
  const keys = heap.alloc(8 * most);
  const out = heap.alloc(ENTRY * (11 * Math.max(maxBin, maxBinMissing) + 3));
  const parts: Float32Array[] = [];
  for (let c = 0; c < nCols; c++) {
    const count = k.tree_sketch_block_cuts(blocks.vals, blocks.rows, blocks.colPtr[c], blocks.colPtr[c + 1], wById, ns, maxBin, maxBinMissing, keys, out);
    if (count < 0) checkStatus(count, k, 'sketch', ['vals', 'rows', 'from', 'to', 'wById', 'ns', 'maxBin', 'maxBinMissing']);
    parts.push(f32At(k, out, count).slice());
  }
  return joinCuts(parts, 0);
}

/**
 * Streaming sketches (XGBoost's WQuantileSketch) of columns held in kernel memory, for callers
 * inside `withKernel` with a heap scope; their states are blocks of `heap`: per column about
 * 16·(limit·(levels + 5)) bytes, limit ≈ levels/eps — 2.8 MB for nMax = 1M at eps 1/2048.
 * Push row blocks, then read each column's summary or every column's thresholds.
 */
export class ColumnSketches {
  private readonly states: number[] = [];
  private readonly out: number;
  private bound = 0;

  /** nMax: the most rows that will be pushed; eps in (0, 1); either one for all columns or one per column. */
  constructor(private readonly k: KernelExports, private readonly heap: HeapScope, readonly nCols: number, nMax: number | ArrayLike<number>, eps: number | ArrayLike<number>) {
    let capacity = 0;
    for (let c = 0; c < nCols; c++) {
      const n = typeof nMax === 'number' ? nMax : nMax[c];
      const e = typeof eps === 'number' ? eps : eps[c];
      const bytes = k.tree_sketch_state_bytes(n, e);
      if (bytes < 0) throw new GroveArgumentError(`sketch: eps = ${e} for ${n} rows needs more than 1 GiB per column; use a larger eps`);
      const state = heap.alloc(bytes);
      const limit = k.tree_sketch_open(state, n, e);
      if (limit < 0) checkStatus(limit, k, 'sketch', OPEN_ARGS);
      capacity = Math.max(capacity, limit);
      this.states.push(state);
    }
    this.out = heap.alloc(ENTRY * capacity);
  }

  /**
   * Adds n rows: column c of row i is the f32 at `x + 4·(r·xStride + c)` with
   * `r = rows ? rows[i] : i` (`rows` the address of i32 row ids, or 0; xStride default nCols),
   * weighted by the f32 at `w + 4·i·wStride` (`w` 0: weight 1). Throws GroveDataError for a
   * negative or non-finite weight, GroveArgumentError past nMax rows.
   */
  push(x: number, rows: number, n: number, w: number, wStride: number, xStride = this.nCols): void {
    for (let c = 0; c < this.nCols; c++) {
      const status = this.k.tree_sketch_push(this.states[c], x + 4 * c, xStride, rows, n, w, wStride);
      checkStatus(status, this.k, 'sketch', PUSH_ARGS);
    }
  }

  /** Column c's summary of the rows pushed (once per column, after the last push). */
  summary(c: number): QuantileSummary {
    const count = this.finish(c);
    return summaryOut(this.k, this.out, count, this.bound);
  }

  /** Every column's `hist` thresholds for at most maxBin bins (one for all, or one per column). */
  cuts(maxBin: number | ArrayLike<number>): FeatureCuts {
    const most = typeof maxBin === 'number' ? maxBin : Math.max(1, ...Array.from(maxBin));
    const buf = this.heap.alloc(cutScratch(most));
    const parts: Float32Array[] = [];
    let eps = 0;
    for (let c = 0; c < this.nCols; c++) {
      const count = this.finish(c);
      eps = Math.max(eps, this.bound);
      const m = this.k.tree_sketch_cuts(this.out, count, typeof maxBin === 'number' ? maxBin : maxBin[c], buf);
      parts.push(f32At(this.k, buf, m).slice());
    }
    return joinCuts(parts, eps);
  }

  private finish(c: number): number {
    const count = this.k.tree_sketch_finish(this.states[c], this.out);
    if (count < 0) checkStatus(count, this.k, 'sketch', ['state', 'out']);
    this.bound = this.k.tree_sketch_bound(this.states[c]);
    return count;
  }
}

function stateBytes(k: KernelExports, n: number, eps: number): number {
  const bytes = k.tree_sketch_state_bytes(n, eps);
  if (bytes < 0) throw new GroveArgumentError(`sketch: eps = ${eps} for ${n} rows needs more than 1 GiB per column; use a larger eps`);
  return bytes;
}

function joinCuts(parts: Float32Array[], eps: number): FeatureCuts {
  const ptr = new Int32Array(parts.length + 1);
  parts.forEach((p, c) => (ptr[c + 1] = ptr[c] + p.length));
  const values = new Float32Array(ptr[parts.length]);
  parts.forEach((p, c) => values.set(p, ptr[c]));
  return { values, ptr, eps };
}

// ---- summaries across the boundary: SoA in TS, 16-byte entries in kernel memory ----

function summaryIn(heap: HeapScope, s: QuantileSummary): number {
  const n = s.values.length;
  const ptr = heap.alloc(ENTRY * n);
  const f32 = f32At(heap.k, ptr, 4 * n);
  for (let i = 0; i < n; i++) {
    f32[4 * i] = s.rmin[i];
    f32[4 * i + 1] = s.rmax[i];
    f32[4 * i + 2] = s.wmin[i];
    f32[4 * i + 3] = s.values[i];
  }
  return ptr;
}

function summaryOut(k: KernelExports, ptr: number, n: number, eps: number): QuantileSummary {
  const f32 = f32At(k, ptr, 4 * n);
  const field = (o: number) => Float32Array.from({ length: n }, (_, i) => f32[4 * i + o]);
  const rmax = field(1);
  return { values: field(3), rmin: field(0), rmax, wmin: field(2), totalWeight: n > 0 ? rmax[n - 1] : 0, eps };
}

// ---- validation ----

function checkFloats(fn: string, name: string, a: unknown): void {
  if (!(a instanceof Float32Array || a instanceof Float64Array)) {
    throw new GroveArgumentError(`${fn}: ${name} must be a Float32Array or Float64Array`);
  }
}

function checkWeights(fn: string, w: Floats, n: number): void {
  checkFloats(fn, 'weights', w);
  if (w.length !== n) throw new GroveArgumentError(`${fn}: weights has ${w.length} entries, expected ${n} (one per value)`);
  for (let i = 0; i < n; i++) {
    const x = w[i];
    if (!(x >= 0 && x < Infinity)) throw new GroveArgumentError(`${fn}: weights[${i}] must be a finite number ≥ 0. Got ${x}`);
  }
}

function checkOptions(fn: string, options: object, known: string[]): void {
  if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${fn}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new GroveArgumentError(`${fn}: unknown option "${key}" (known: ${known.join(', ')})`);
  }
}

function checkEps(fn: string, eps: unknown): void {
  if (typeof eps !== 'number' || !(eps > 0 && eps < 1)) throw new GroveArgumentError(`${fn}: eps must be a number within the interval (0, 1). Got ${String(eps)}`);
}

function checkMaxBin(fn: string, maxBin: unknown): void {
  if (!Number.isInteger(maxBin) || (maxBin as number) < 1) throw new GroveArgumentError(`${fn}: maxBin must be an integer ≥ 1. Got ${String(maxBin)}`);
}

/** Shape checks only: summaries come from this module, their bounds are trusted. */
function checkSummary(fn: string, name: string, s: QuantileSummary): void {
  const n = s?.values?.length;
  const ok = s?.values instanceof Float32Array && [s.rmin, s.rmax, s.wmin].every((a) => a instanceof Float32Array && a.length === n)
    && typeof s.totalWeight === 'number' && typeof s.eps === 'number';
  if (!ok) throw new GroveArgumentError(`${fn}: ${name} must be a summary from quantileSketch, mergeSketches or pruneSketch`);
}
