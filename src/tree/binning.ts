/**
 * Quantile bins for histogram split search: per feature, ascending cut values such that bin b
 * holds cuts[b−1] ≤ x < cuts[b]; a split after bin b is the condition `x < cuts[b]`, so binned
 * and raw predictions agree exactly (both in float32).
 *
 * Contract:
 * - cuts come from the weighted quantile sketch (sketch.ts): a feature with at most `maxBin`
 *   distinct values gets one bin per value (cuts = the values but the smallest); otherwise each
 *   bin holds about 1/maxBin of the weight (rows count 1 for `hist`; hessians weight them for
 *   `approx`);
 * - NaN is missing and takes a bin of its own after the regular ones; codes are one byte, so with
 *   missing values in the data a feature keeps at most 255 regular bins (256 otherwise);
 * - a column with no finite value gets no cut (one regular bin: it can never split).
 */
import { GroveArgumentError } from '../runtime/errors.js';
import { featureCuts } from './sketch.js';

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

export function checkMaxBin(maxBin: number): void {
  if (!Number.isInteger(maxBin) || maxBin < 2 || maxBin > 256) throw new GroveArgumentError(`maxBin must be an integer in [2, 256]. Got ${String(maxBin)}`);
}

/** Bins per feature that leave a byte code for the missing bin when `X` has missing values. */
export function binsFor(X: Float32Array, maxBin: number): number {
  checkMaxBin(maxBin);
  if (maxBin < 256) return maxBin;
  for (let i = 0; i < X.length; i++) if (X[i] !== X[i]) return 255;
  return 256;
}

/**
 * The sketch's rank error for `maxBin` bins: 1/(8·maxBin), XGBoost's choice, so cuts fall within
 * an eighth of a bin of the exact quantiles.
 */
export function sketchEpsFor(maxBin: number): number {
  return 1 / (8 * maxBin);
}

/** Cuts for every column of row-major `X` (n × m, float32, NaN = missing), rows weighted 1. */
export function quantileCuts(X: Float32Array, n: number, m: number, maxBin: number): Cuts {
  const bins = binsFor(X, maxBin);
  const { values, ptr } = featureCuts(X, n, m, undefined, { maxBin: bins, eps: sketchEpsFor(bins) });
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
