/**
 * Learning objectives (XGBoost 1.7's formulas, float32 as there): label checks, and the transform
 * from margins to predictions; margins.ts computes the gradient pairs (assembly/boost/objective.ts).
 * - `reg:squarederror`: g = m − y, h = 1;
 * - `binary:logistic`: p = σ(m), g = p − y, h = max(p(1 − p), 1e-16); labels in [0, 1];
 * - `multi:softprob`: p = softmax(m) over the row's classes, g_k = p_k − [y = k],
 *   h_k = max(2 p_k (1 − p_k), 1e-16); labels are class indices 0 … K − 1.
 * Each pair is multiplied by the row's weight (× `scalePosWeight` for a positive binary label).
 */
import { GroveDataError } from '../runtime/errors.js';
import { softmaxRows, type BoostObjective } from './model.js';
import { marginProba } from './predict.js';

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

/** Predictions from margins: σ for binary (one column), row-wise softmax for softprob. */
export function transform(objective: BoostObjective, margin: Float32Array, nGroups: number): Float32Array {
  if (objective === 'reg:squarederror') return margin.slice();
  if (objective === 'binary:logistic') return marginProba(margin, 1).filter((_, i) => i % 2 === 1); // P(class 1) of [1 − p, p]
  return softmaxRows(margin, nGroups);
}
