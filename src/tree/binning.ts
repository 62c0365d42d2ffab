/**
 * Quantile bins for histogram split search: per feature, ascending cut values such that bin b
 * holds cuts[b−1] ≤ x < cuts[b]; a split after bin b is the condition `x < cuts[b]`, so binned
 * and raw predictions agree exactly (both in float32).
 *
 * Contract:
 * - the cuts are XGBoost 1.7's (sketch.ts): `quantileCuts` as `hist` makes them once from the
 *   rows (weighted by sample weights), `hessianCuts` as `approx` makes them per tree from the
 *   hessians. A feature with at most `maxBin` distinct values gets one bin per value (cuts = the
 *   values but the smallest); otherwise the bins hold about 1/maxBin of the weight each, the last
 *   one also the maximum. XGBoost's last cut (max + |max| + 1e-5, above every value) is implicit:
 *   bin nBins − 1 is unbounded above;
 * - NaN is missing and takes a bin of its own after the regular ones; codes are one byte, so a
 *   feature with missing values keeps at most 255 regular bins (its cuts are XGBoost's for
 *   max_bin 255), one without keeps up to 256;
 * - a column with no finite value gets no cut (one regular bin: it can never split).
 */
import { GroveArgumentError } from '../runtime/errors.js';
import type { HeapScope } from '../runtime/heap.js';
import type { KernelExports } from '../runtime/kernel.js';
import { blockCuts, histogramCuts, sortedCuts, type ColumnBlocks } from './sketch.js';

export interface Cuts {
  /** Feature f's cuts are `values[ptr[f] .. ptr[f+1])`, ascending. */
  values: Float32Array;
  ptr: Int32Array;
  /** Regular bins per feature (cuts + 1); the missing bin has code `nBins[f]`. */
  nBins: Int32Array;
  /** Pair index where feature f's histogram bins start (each feature has nBins + 1 slots). */
  histOff: Int32Array;
  /** Histogram length in (G, H) pairs. */
  histPairs: number;
}

/** The most regular bins a feature with missing values may have: its missing code must be a byte. */
const MISSING_CAP = 255;

export function checkMaxBin(maxBin: number): void {
  if (!Number.isInteger(maxBin) || maxBin < 2 || maxBin > 256) throw new GroveArgumentError(`maxBin must be an integer in [2, 256]. Got ${String(maxBin)}`);
}

/**
 * `hist` cuts for every column of row-major `X` (n × m, float32, NaN = missing), rows weighted
 * by `weights` (sample weights; default 1).
 */
export function quantileCuts(X: Float32Array, n: number, m: number, maxBin: number, weights?: Float32Array): Cuts {
  checkMaxBin(maxBin);
  const { values, ptr } = histogramCuts(X, n, m, weights, maxBin, Math.min(maxBin, MISSING_CAP));
  return layoutCuts(values, ptr);
}

/**
 * `approx` cuts of the m columns of a row-major matrix in kernel memory at `x`, over the n rows
 * `rows[0 .. n)` (i32 ids at `rows`; 0: rows 0 … n − 1), row i weighted by the f32 at
 * `w + 4·i·wStride` (a tree's hessians). XGBoost sketches every training row, weighted by
 * hessian × sample weight (0 for a row the tree does not sample).
 */
export function hessianCuts(k: KernelExports, heap: HeapScope, x: number, m: number, rows: number, n: number, w: number, wStride: number, maxBin: number): Cuts {
  checkMaxBin(maxBin);
  const { values, ptr } = sortedCuts(k, heap, x, m, rows, n, w, wStride, maxBin, Math.min(maxBin, MISSING_CAP));
  return layoutCuts(values, ptr);
}

/** hessianCuts of a tree's rows from column blocks sorted once (see blockCuts). */
export function blockHessianCuts(k: KernelExports, heap: HeapScope, blocks: ColumnBlocks, wById: number, ns: number, maxBin: number): Cuts {
  checkMaxBin(maxBin);
  const { values, ptr } = blockCuts(k, heap, blocks, wById, ns, maxBin, Math.min(maxBin, MISSING_CAP));
  return layoutCuts(values, ptr);
}

/** The histogram layout of cuts `values` / `ptr` (m + 1 entries). */
export function layoutCuts(values: Float32Array, ptr: Int32Array): Cuts {
  const m = ptr.length - 1;
  const nBins = new Int32Array(m);
  const histOff = new Int32Array(m);
  let at = 0;
  for (let f = 0; f < m; f++) {
    nBins[f] = ptr[f + 1] - ptr[f] + 1;
    histOff[f] = at;
    at += nBins[f] + 1;
  }
  return { values, ptr, nBins, histOff, histPairs: at };
}
