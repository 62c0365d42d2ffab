/**
 * Learning objectives (XGBoost 1.7's formulas, float32 as there): label checks, gradient pairs
 * of the margins, and the transform from margins to predictions.
 * - `reg:squarederror`: g = m − y, h = 1;
 * - `binary:logistic`: p = σ(m), g = p − y, h = max(p(1 − p), 1e-16); labels in [0, 1];
 * - `multi:softprob`: p = softmax(m) over the row's classes, g_k = p_k − [y = k],
 *   h_k = max(2 p_k (1 − p_k), 1e-16); labels are class indices 0 … K − 1.
 * Each pair is multiplied by the row's weight (× `scalePosWeight` for a positive binary label).
 */
import { GroveDataError } from '../runtime/errors.js';
import { HeapScope, f32At } from '../runtime/heap.js';
import { withKernel } from '../runtime/kernel.js';
import { sigmoid, softmaxRows, type BoostObjective } from './model.js';

/** Throws a GroveDataError naming the first label outside the objective's domain. */
export function checkLabels(objective: BoostObjective, y: Float32Array, numClass: number, fn: string): void {
  for (let r = 0; r < y.length; r++) {
    const v = y[r];
    if (!Number.isFinite(v)) throw new GroveDataError(`${fn}: y[${r}] is ${v}; labels must be finite numbers`);
    if (objective === 'binary:logistic' && !(v >= 0 && v <= 1)) throw new GroveDataError(`${fn}: y[${r}] = ${v}; binary:logistic needs labels in [0, 1]`);
    if (objective === 'multi:softprob' && !(Number.isInteger(v) && v >= 0 && v < numClass)) {
      throw new GroveDataError(`${fn}: y[${r}] = ${v}; multi:softprob needs class indices 0 … ${numClass - 1}`);
    }
  }
}

const KIND: Record<BoostObjective, number> = { 'reg:squarederror': 0, 'binary:logistic': 1, 'multi:softprob': 2 };

/**
 * Every output group's gradient pairs (kernel boost_gradients, float32 as XGBoost computes
 * them): group k's pair for row r is `gh[2(k·n + r)]`, `gh[2(k·n + r) + 1]`; `margin` is n ×
 * nGroups (row-major), `weight` per row (scalePosWeight already applied).
 */
export function gradients(objective: BoostObjective, margin: Float32Array, y: Float32Array, weight: Float32Array, nGroups: number, gh: Float32Array): void {
  const n = y.length;
  withKernel((kern) => {
    const heap = new HeapScope(kern);
    try {
      const out = heap.alloc(gh.byteLength);
      kern.boost_gradients(KIND[objective], heap.copyIn(margin), heap.copyIn(y), heap.copyIn(weight), n, nGroups, out);
      gh.set(f32At(kern, out, gh.length));
    } finally {
      heap.dispose();
    }
  });
}

/** Predictions from margins: σ for binary (one column), row-wise softmax for softprob. */
export function transform(objective: BoostObjective, margin: Float32Array, nGroups: number): Float32Array {
  if (objective === 'reg:squarederror') return margin.slice();
  if (objective === 'binary:logistic') return margin.map(sigmoid);
  return softmaxRows(margin, nGroups);
}
