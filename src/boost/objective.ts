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
import { sigmoid, softmaxRows, type BoostObjective } from './model.js';

const f = Math.fround;
const EPS = 1e-16;

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

/**
 * Gradient pairs of class `cls`'s margins: `gh[2r]`, `gh[2r + 1]` for row r; `margin` is
 * n × nGroups (row-major), `weight` per row (scalePosWeight already applied). `prob` is
 * `transform`'s output for softprob (computed once per round for all classes).
 */
export function gradients(objective: BoostObjective, margin: Float32Array, y: Float32Array, weight: Float32Array, nGroups: number, cls: number, gh: Float32Array, prob?: Float32Array): void {
  const n = y.length;
  for (let r = 0; r < n; r++) {
    let g: number;
    let h: number;
    if (objective === 'reg:squarederror') {
      g = f(margin[r] - y[r]);
      h = 1;
    } else if (objective === 'binary:logistic') {
      const p = sigmoid(margin[r]);
      g = f(p - y[r]);
      h = Math.max(f(p * f(1 - p)), EPS);
    } else {
      const p = prob![r * nGroups + cls];
      g = f(p - (y[r] === cls ? 1 : 0));
      h = Math.max(f(2 * f(p * f(1 - p))), EPS);
    }
    gh[2 * r] = f(g * weight[r]);
    gh[2 * r + 1] = f(h * weight[r]);
  }
}

/** Predictions from margins: σ for binary (one column), row-wise softmax for softprob. */
export function transform(objective: BoostObjective, margin: Float32Array, nGroups: number): Float32Array {
  if (objective === 'reg:squarederror') return margin.slice();
  if (objective === 'binary:logistic') return margin.map(sigmoid);
  return softmaxRows(margin, nGroups);
}
