/**
 * XGBoost's evaluation metrics on margins: `logloss`, `error`, `auc` (binary), `mlogloss`,
 * `merror` (softprob), `rmse`, `mae` (any objective: on the predictions). Larger is better only
 * for `auc`.
 */
import { errorRate, logLoss, mae, multiError, multiLogLoss, rmse, rocAuc } from '../metrics/classification.js';
import type { BoostObjective } from './model.js';
import { transform } from './objective.js';

export type EvalMetric = 'logloss' | 'error' | 'auc' | 'rmse' | 'mae' | 'mlogloss' | 'merror';
export const EVAL_METRICS: readonly EvalMetric[] = ['logloss', 'error', 'auc', 'rmse', 'mae', 'mlogloss', 'merror'];

/** Which metrics fit an objective (the first is XGBoost's default). */
export function metricsFor(objective: BoostObjective): readonly EvalMetric[] {
  if (objective === 'binary:logistic') return ['logloss', 'error', 'auc', 'rmse', 'mae'];
  if (objective === 'multi:softprob') return ['mlogloss', 'merror'];
  return ['rmse', 'mae'];
}

export function evalMetric(metric: EvalMetric, objective: BoostObjective, y: Float32Array, margin: Float32Array, groups: number): number {
  const p = transform(objective, margin, groups);
  switch (metric) {
    case 'logloss': return logLoss(y, p);
    case 'error': return errorRate(y, p);
    case 'auc': return rocAuc(y, p);
    case 'mlogloss': return multiLogLoss(y, p, groups);
    case 'merror': return multiError(y, p, groups);
    case 'rmse': return rmse(y, p);
    case 'mae': return mae(y, p);
  }
}

export function metricImproves(metric: EvalMetric, value: number, best: number): boolean {
  return metric === 'auc' ? value > best : value < best;
}
