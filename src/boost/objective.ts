/**
 * Learning objectives (XGBoost 1.7's formulas, float32 as there): the transform
 * from margins to predictions; margins.ts computes the gradient pairs (assembly/boost/objective.ts).
 * - `reg:squarederror`: g = m − y, h = 1;
 * - `binary:logistic`: p = σ(m), g = p − y, h = max(p(1 − p), 1e-16); labels in [0, 1];
 * - `multi:softprob`: p = softmax(m) over the row's classes, g_k = p_k − [y = k],
 *   h_k = max(2 p_k (1 − p_k), 1e-16); labels are class indices 0 … K − 1.
 * Each pair is multiplied by the row's weight (× `scalePosWeight` for a positive binary label).
 */
import { softmaxRows, type BoostObjective } from './model.js';
import { marginProba } from './predict.js';

/** Predictions from margins: σ for binary (one column), row-wise softmax for softprob. */
export function transform(objective: BoostObjective, margin: Float32Array, nGroups: number): Float32Array {
  if (objective === 'reg:squarederror') return margin.slice();
  if (objective === 'binary:logistic') return marginProba(margin, 1).filter((_, i) => i % 2 === 1); // P(class 1) of [1 − p, p]
  return softmaxRows(margin, nGroups);
}
