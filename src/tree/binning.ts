/**
 * Quantile bins for histogram split search (XGBoost's `hist`): per feature, ascending cut values
 * such that bin b holds cuts[b−1] ≤ x < cuts[b]; a split after bin b is the condition
 * `x < cuts[b]`, so binned and raw predictions agree exactly (both in float32).
 *
 * Contract:
 * - a feature with at most `maxBin` distinct values gets one bin per value (cuts = the values
 *   but the smallest); otherwise cuts at the k/maxBin quantiles of its non-missing values
 *   (duplicates merged, so fewer bins where values repeat);
 * - NaN is missing and takes a bin of its own after the regular ones; codes are one byte, so a
 *   feature with missing values keeps at most 255 regular bins (256 otherwise);
 * - a column with no finite value gets no cut (one regular bin: it can never split).
 */
import { GroveArgumentError } from '../runtime/errors.js';

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

/** Cuts for every column of row-major `X` (n × m, float32, NaN = missing). */
export function quantileCuts(X: Float32Array, n: number, m: number, maxBin: number): Cuts {
  if (!Number.isInteger(maxBin) || maxBin < 2 || maxBin > 256) throw new GroveArgumentError(`maxBin must be an integer in [2, 256]. Got ${String(maxBin)}`);
  const perFeature: Float32Array[] = [];
  const column = new Float32Array(n);
  for (let f = 0; f < m; f++) {
    let count = 0;
    let missing = false;
    for (let r = 0; r < n; r++) {
      const x = X[r * m + f];
      if (x === x) column[count++] = x;
      else missing = true;
    }
    const sorted = column.subarray(0, count).sort();
    perFeature.push(cutsOf(sorted, Math.min(maxBin, missing ? 255 : 256)));
  }
  const ptr = new Int32Array(m + 1);
  perFeature.forEach((c, f) => (ptr[f + 1] = ptr[f] + c.length));
  const values = new Float32Array(ptr[m]);
  perFeature.forEach((c, f) => values.set(c, ptr[f]));
  const nBins = Int32Array.from(perFeature, (c) => c.length + 1);
  const histOff = new Int32Array(m);
  for (let f = 1; f < m; f++) histOff[f] = histOff[f - 1] + nBins[f - 1] + 1;
  return { values, ptr, nBins, histOff, histPairs: m === 0 ? 0 : histOff[m - 1] + nBins[m - 1] + 1 };
}

/** At most `bins − 1` ascending cuts splitting `sorted` into near-equal-count bins. */
function cutsOf(sorted: Float32Array, bins: number): Float32Array {
  const n = sorted.length;
  const out: number[] = [];
  let distinct = 0;
  for (let i = 0; i < n && distinct <= bins; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= bins) {
    for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) out.push(sorted[i]);
  } else {
    for (let k = 1; k < bins; k++) {
      const v = sorted[Math.floor((k * n) / bins)];
      if (v > sorted[0] && (out.length === 0 || v > out[out.length - 1])) out.push(v);
    }
  }
  return Float32Array.from(out);
}
