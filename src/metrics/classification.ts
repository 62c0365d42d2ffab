/**
 * Classification and regression scores (SPEC 4), the definitions scikit-learn and XGBoost use:
 * - `rocAuc(y, score)`: area under the ROC curve of 0/1 labels, equal scores sharing their rank
 *   (the Mann–Whitney statistic); NaN when only one class is present;
 * - `logLoss(y, p)`: mean −[y ln p + (1 − y) ln(1 − p)], p clipped to [1e-15, 1 − 1e-15]
 *   (y may be a probability in [0, 1]);
 * - `errorRate(y, p)`: share of rows where (p > 0.5) differs from y;
 * - `multiLogLoss(y, P, k)` / `multiError(y, P, k)`: the same for class indices and
 *   row-major n × k probabilities (argmax, first on ties);
 * - `rmse`, `mae`, `r2Score` for regression.
 * Optional `weight` per row weights every mean (and the AUC's pairs). Binary labels are 0 or
 * 1 (logLoss: in [0, 1]); NaN predictions, labels outside the domain and weights summing to 0 are errors.
 */
import { GroveArgumentError } from '../runtime/errors.js';

type Vec = ArrayLike<number>;

/** Shapes, predictions (no NaN), weights, and labels: 0/1 (`binary`), 0 … k − 1 (`classes`). */
function check(y: Vec, other: Vec, perRow: number, fn: string, weight?: Vec, labels?: 'binary' | 'unit' | 'classes'): void {
  if (other.length !== y.length * perRow) throw new GroveArgumentError(`${fn}: expected ${y.length * perRow} predictions for ${y.length} labels, got ${other.length}`);
  if (weight && weight.length !== y.length) throw new GroveArgumentError(`${fn}: weight has ${weight.length} entries for ${y.length} labels`);
  if (y.length === 0) throw new GroveArgumentError(`${fn}: no rows`);
  for (let i = 0; i < other.length; i++) if (Number.isNaN(other[i])) throw new GroveArgumentError(`${fn}: prediction ${i} is NaN`);
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    const ok = labels === 'binary' ? v === 0 || v === 1 : labels === 'unit' ? v >= 0 && v <= 1 : labels === 'classes' ? Number.isInteger(v) && v >= 0 && v < perRow : Number.isFinite(v);
    if (!ok) throw new GroveArgumentError(`${fn}: label ${i} is ${v}; expected ${labels === 'binary' ? '0 or 1' : labels === 'unit' ? 'a number in [0, 1]' : labels === 'classes' ? `a class index 0 … ${perRow - 1}` : 'a finite number'}`);
    if (weight) {
      if (!(weight[i] >= 0 && Number.isFinite(weight[i]))) throw new GroveArgumentError(`${fn}: weight ${i} is ${weight[i]}; weights must be finite and ≥ 0`);
      total += weight[i];
    }
  }
  if (weight && !(total > 0)) throw new GroveArgumentError(`${fn}: the weights sum to 0`);
}

function mean(n: number, term: (i: number) => number, weight?: Vec): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weight ? weight[i] : 1;
    sum += w * term(i);
    total += w;
  }
  return sum / total;
}

const clip = (p: number) => Math.min(1 - 1e-15, Math.max(1e-15, p));

export function logLoss(y: Vec, p: Vec, weight?: Vec): number {
  check(y, p, 1, 'logLoss', weight, 'unit');
  return mean(y.length, (i) => -(y[i] * Math.log(clip(p[i])) + (1 - y[i]) * Math.log(1 - clip(p[i]))), weight);
}

export function errorRate(y: Vec, p: Vec, weight?: Vec): number {
  check(y, p, 1, 'errorRate', weight, 'binary');
  return mean(y.length, (i) => ((p[i] > 0.5 ? 1 : 0) !== y[i] ? 1 : 0), weight);
}

export function multiLogLoss(y: Vec, P: Vec, k: number, weight?: Vec): number {
  check(y, P, k, 'multiLogLoss', weight, 'classes');
  return mean(y.length, (i) => -Math.log(clip(P[i * k + y[i]])), weight);
}

export function multiError(y: Vec, P: Vec, k: number, weight?: Vec): number {
  check(y, P, k, 'multiError', weight, 'classes');
  return mean(y.length, (i) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (P[i * k + j] > P[i * k + best]) best = j;
    return best === y[i] ? 0 : 1;
  }, weight);
}

export function rmse(y: Vec, p: Vec, weight?: Vec): number {
  check(y, p, 1, 'rmse', weight);
  return Math.sqrt(mean(y.length, (i) => (y[i] - p[i]) ** 2, weight));
}

export function mae(y: Vec, p: Vec, weight?: Vec): number {
  check(y, p, 1, 'mae', weight);
  return mean(y.length, (i) => Math.abs(y[i] - p[i]), weight);
}

export function r2Score(y: Vec, p: Vec, weight?: Vec): number {
  check(y, p, 1, 'r2Score', weight);
  const avg = mean(y.length, (i) => y[i], weight);
  const residual = mean(y.length, (i) => (y[i] - p[i]) ** 2, weight);
  const total = mean(y.length, (i) => (y[i] - avg) ** 2, weight);
  if (total === 0) return residual === 0 ? 1 : 0; // a constant target, as scikit-learn
  return 1 - residual / total;
}

export function rocAuc(y: Vec, score: Vec, weight?: Vec): number {
  check(y, score, 1, 'rocAuc', weight, 'binary');
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  // walk groups of equal scores upward: each positive beats the negatives below its group and
  // ties half of those inside it
  let negBelow = 0;
  let pos = 0;
  let neg = 0;
  let area = 0;
  for (let g = 0; g < order.length; ) {
    let gPos = 0;
    let gNeg = 0;
    let e = g;
    for (; e < order.length && score[order[e]] === score[order[g]]; e++) {
      const w = weight ? weight[order[e]] : 1;
      if (y[order[e]] === 1) gPos += w;
      else gNeg += w;
    }
    area += gPos * (negBelow + gNeg / 2);
    negBelow += gNeg;
    pos += gPos;
    neg += gNeg;
    g = e;
  }
  return pos > 0 && neg > 0 ? area / (pos * neg) : NaN;
}
