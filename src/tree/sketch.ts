/**
 * Weighted quantile sketch for XGBoost's approximate split proposal (Chen & Guestrin 2016,
 * appendix A; kernels in assembly/tree/sketch.ts), with hessians as the weights.
 *
 * Contract. A summary of the pairs (x, w) of one feature (NaN x = missing, skipped; w finite ≥ 0;
 * values rounded to float32 as XGBoost stores features, weights to float32, ranks summed in f64)
 * has strictly ascending `values`, the first the minimum and the last the maximum, and for each:
 *   rmin[i] ≤ Σ w over x < values[i],  rmax[i] ≥ Σ w over x ≤ values[i],
 *   0 ≤ wmin[i] ≤ Σ w over x = values[i];
 * and it is `eps`-approximate with W = `totalWeight`: rmax[i] − rmin[i] − wmin[i] ≤ eps·W for
 * every entry, and (rmax[i+1] − wmin[i+1]) − (rmin[i] + wmin[i]) ≤ eps·W between neighbours, so
 * the weighted rank of any value, stored or not, is known to within eps·W.
 * - `quantileSketch` without `eps` is exact (eps 0); with `eps` it streams the data in blocks
 *   through a fixed-size state of O(log(n)/eps) entries and its eps is at most the one asked.
 * - `mergeSketches(a, b)` summarises the union: eps = (a.eps·Wa + b.eps·Wb)/(Wa + Wb) ≤ max.
 * - `pruneSketch(s, b)` keeps at most b + 1 entries: eps grows by 1/b (by 0 when s is that small).
 * - `sketchQuery(s, d)` returns a value v with Σ w over x < v ≤ d + eps·W/2 and
 *   Σ w over x ≤ v ≥ d − eps·W/2 (for eps·W/2 ≤ d ≤ W − eps·W/2).
 * - `sketchCuts(s, maxBin)` returns at most maxBin − 1 ascending thresholds t (split: x < t goes
 *   left), each a summarised value above the minimum, so every split leaves data on both sides;
 *   they bound at most maxBin bins (−∞, t₁), [t₁, t₂), …, [t_m, ∞). The weight in each bin apart
 *   from its lowest value (for the first bin: the minimum) is at most (1/maxBin + eps)·W; a
 *   value heavier than that gets a bin of its own. A summary of at most maxBin values gives
 *   each its own bin (all but the minimum are thresholds). With W = 0 there is no threshold.
 * `featureCuts` does this for every column of a row-major matrix (the global proposal);
 * `ColumnSketches` is the same over data already in kernel memory (a trainer's resident matrix,
 * a node's rows and contiguous hessians — the local proposal).
 */
import { GroveArgumentError, checkStatus } from '../runtime/errors.js';
import { HeapScope } from '../runtime/heap.js';
import { withKernel, type KernelExports } from '../runtime/kernel.js';

export interface QuantileSummary {
  /** Distinct values, ascending. */
  readonly values: Float32Array;
  /** Lower bounds of the weight below each value. */
  readonly rmin: Float64Array;
  /** Upper bounds of the weight at or below each value. */
  readonly rmax: Float64Array;
  /** Lower bounds of the weight at each value. */
  readonly wmin: Float64Array;
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
  /**
   * Sketch error bound in (0, 1). Default 1/maxBin (0.5 for maxBin 1): bins ≤ 2/maxBin of W by
   * the bound; on 1M random values with maxBin 256 the largest held 1.13/256.
   */
  eps?: number;
}

/** Thresholds of every feature: feature f's are `values[ptr[f] .. ptr[f+1])`, ascending. */
export interface FeatureCuts {
  values: Float32Array;
  ptr: Int32Array;
  /** The sketches' error bound (each bin's weight bound is (1/maxBin + eps)·W). */
  eps: number;
}

type Floats = Float32Array | Float64Array;

/** Bytes per summary entry in kernel memory: f64 rmin, rmax, wmin, f32 value, padding. */
const ENTRY = 32;
/** Items copied into kernel memory per call, so memory stays flat whatever n is. */
const CHUNK = 1 << 16;
/** Bytes of the row block featureCuts copies in at a time (256 KB to 4 MB timed the same). */
const CHUNK_BYTES = 1 << 20;
const PUSH_ARGS = ['state', 'x', 'xStride', 'rows', 'n', 'weights', 'wStride'];
const OPEN_ARGS = ['state', 'nMax', 'eps'];

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
        new Float32Array(k.memory.buffer, x, n).set(values);
        if (weights) new Float32Array(k.memory.buffer, w, n).set(weights);
        const out = heap.alloc(ENTRY * n);
        const count = k.tree_sketch_exact(x, 1, 0, n, w, 1, heap.alloc(16 * n), out);
        if (count < 0) checkStatus(count, k, fn, ['x', 'xStride', 'rows', 'n', 'weights']);
        return summaryOut(k, out, count, 0);
      }
      const sketches = new ColumnSketches(k, heap, 1, n, eps);
      const len = Math.min(n, CHUNK);
      const x = heap.alloc(4 * len);
      const w = weights ? heap.alloc(4 * len) : 0;
      for (let from = 0; from < n; from += CHUNK) {
        const to = Math.min(n, from + CHUNK);
        new Float32Array(k.memory.buffer, x, to - from).set(values.subarray(from, to));
        if (weights) new Float32Array(k.memory.buffer, w, to - from).set(weights.subarray(from, to));
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

/** At most maxBin − 1 ascending split thresholds (maxBin an integer ≥ 1); see the contract. */
export function sketchCuts(s: QuantileSummary, maxBin: number): Float32Array {
  checkSummary('sketchCuts', 's', s);
  checkMaxBin('sketchCuts', maxBin);
  return withKernel((k) => {
    const heap = new HeapScope(k);
    try {
      const out = heap.alloc(4 * (maxBin - 1));
      const count = k.tree_sketch_cuts(summaryIn(heap, s), s.values.length, maxBin, out);
      return new Float32Array(k.memory.buffer, out, count).slice();
    } finally {
      heap.dispose();
    }
  });
}

/**
 * Thresholds for every column of row-major `X` (nRows × nCols, NaN = missing) from sketches
 * weighted by `weights` (one per row, e.g. hessians; default 1). One pass over X in row blocks;
 * kernel memory is the sketches' states plus one block, whatever nRows is.
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
  const eps = options.eps ?? Math.min(1 / maxBin, 0.5);
  checkEps(fn, eps);
  return withKernel((k) => {
    const heap = new HeapScope(k);
    try {
      const sketches = new ColumnSketches(k, heap, nCols, nRows, eps);
      const rows = Math.max(1, Math.min(nRows, Math.floor(CHUNK_BYTES / (4 * nCols))));
      const x = heap.alloc(4 * rows * nCols);
      const w = weights ? heap.alloc(4 * rows) : 0;
      for (let from = 0; from < nRows; from += rows) {
        const to = Math.min(nRows, from + rows);
        new Float32Array(k.memory.buffer, x, (to - from) * nCols).set(X.subarray(from * nCols, to * nCols));
        if (weights) new Float32Array(k.memory.buffer, w, to - from).set(weights.subarray(from, to));
        sketches.push(x, 0, to - from, w, 1);
      }
      return sketches.cuts(maxBin);
    } finally {
      heap.dispose();
    }
  });
}

/**
 * Streaming sketches of the columns of a row-major matrix in kernel memory, for callers that
 * already hold a kernel and a heap scope (inside `withKernel`); their states are blocks of
 * `heap`: per column ≈ 16·min(16b, nMax) + 32·(levels + 3)·(b + 1) bytes with
 * b ≈ (levels + 1)/eps — 0.98 MB for nMax = 1M at eps 1/256, 3.8 MB for 2^31 − 1.
 * Push row blocks, then read each column's summary or every column's thresholds.
 */
export class ColumnSketches {
  private readonly states: number[] = [];
  private readonly out: number;
  private bound = 0;

  /** nMax: the most rows that will be pushed; eps in (0, 1). */
  constructor(private readonly k: KernelExports, private readonly heap: HeapScope, readonly nCols: number, nMax: number, eps: number) {
    const bytes = k.tree_sketch_state_bytes(nMax, eps);
    if (bytes < 0) throw new GroveArgumentError(`sketch: eps = ${eps} for ${nMax} rows needs more than 1 GiB per column; use a larger eps`);
    let capacity = 0;
    for (let c = 0; c < nCols; c++) {
      const state = heap.alloc(bytes);
      capacity = k.tree_sketch_open(state, nMax, eps);
      if (capacity < 0) checkStatus(capacity, k, 'sketch', OPEN_ARGS);
      this.states.push(state);
    }
    this.out = heap.alloc(ENTRY * capacity);
  }

  /**
   * Adds n rows: column c of row i is the f32 at `x + 4·(r·nCols + c)` with `r = rows ? rows[i] : i`
   * (`rows` the address of i32 row ids, or 0), weighted by the f32 at `w + 4·i·wStride` (`w` 0:
   * weight 1). Throws GroveDataError for a negative or non-finite weight, GroveArgumentError past nMax rows.
   */
  push(x: number, rows: number, n: number, w: number, wStride: number): void {
    for (let c = 0; c < this.nCols; c++) {
      const status = this.k.tree_sketch_push(this.states[c], x + 4 * c, this.nCols, rows, n, w, wStride);
      checkStatus(status, this.k, 'sketch', PUSH_ARGS);
    }
  }

  /** Column c's summary of the rows pushed so far. */
  summary(c: number): QuantileSummary {
    const count = this.finish(c);
    return summaryOut(this.k, this.out, count, this.bound);
  }

  /** Every column's thresholds for at most maxBin bins. */
  cuts(maxBin: number): FeatureCuts {
    const parts: Float32Array[] = [];
    const ptr = new Int32Array(this.nCols + 1);
    let eps = 0;
    const buf = this.heap.alloc(4 * (maxBin - 1));
    for (let c = 0; c < this.nCols; c++) {
      const count = this.finish(c);
      eps = Math.max(eps, this.bound);
      const m = this.k.tree_sketch_cuts(this.out, count, maxBin, buf);
      parts.push(new Float32Array(this.k.memory.buffer, buf, m).slice());
      ptr[c + 1] = ptr[c] + m;
    }
    const values = new Float32Array(ptr[this.nCols]);
    parts.forEach((p, c) => values.set(p, ptr[c]));
    return { values, ptr, eps };
  }

  private finish(c: number): number {
    const count = this.k.tree_sketch_finish(this.states[c], this.out);
    if (count < 0) checkStatus(count, this.k, 'sketch', ['state', 'out']);
    this.bound = this.k.tree_sketch_bound(this.states[c]);
    return count;
  }
}

// ---- summaries across the boundary: SoA in TS, 32-byte entries in kernel memory ----

function summaryIn(heap: HeapScope, s: QuantileSummary): number {
  const n = s.values.length;
  const ptr = heap.alloc(ENTRY * n);
  const f64 = new Float64Array(heap.k.memory.buffer, ptr, 4 * n);
  const f32 = new Float32Array(heap.k.memory.buffer, ptr, 8 * n);
  for (let i = 0; i < n; i++) {
    f64[4 * i] = s.rmin[i];
    f64[4 * i + 1] = s.rmax[i];
    f64[4 * i + 2] = s.wmin[i];
    f32[8 * i + 6] = s.values[i];
  }
  return ptr;
}

function summaryOut(k: KernelExports, ptr: number, n: number, eps: number): QuantileSummary {
  const f64 = new Float64Array(k.memory.buffer, ptr, 4 * n);
  const f32 = new Float32Array(k.memory.buffer, ptr, 8 * n);
  const values = new Float32Array(n);
  const rmin = new Float64Array(n);
  const rmax = new Float64Array(n);
  const wmin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    rmin[i] = f64[4 * i];
    rmax[i] = f64[4 * i + 1];
    wmin[i] = f64[4 * i + 2];
    values[i] = f32[8 * i + 6];
  }
  return { values, rmin, rmax, wmin, totalWeight: n > 0 ? rmax[n - 1] : 0, eps };
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
  const ok = s?.values instanceof Float32Array && [s.rmin, s.rmax, s.wmin].every((a) => a instanceof Float64Array && a.length === n)
    && typeof s.totalWeight === 'number' && typeof s.eps === 'number';
  if (!ok) throw new GroveArgumentError(`${fn}: ${name} must be a summary from quantileSketch, mergeSketches or pruneSketch`);
}
