// GradientBoostingRegressor / GradientBoostingClassifier as estimators (fit returns this and
// forgets earlier fits, labels of any type, input shapes, probabilities, importances), and test
// metrics against XGBoost 1.7.4 on the public data in ../shared/data/tabular.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../src/boost/gradient-boosting.js';
import { logLoss, multiError, multiLogLoss, rmse, rocAuc } from '../../src/metrics/classification.js';
import { NumpyRandom } from '../../src/random/numpy.js';
import { GroveNotFittedError } from '../../src/runtime/errors.js';
import { initSync } from '../../src/runtime/kernel.js';
import { sharedDir } from '../helpers/shared.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });

/** n rows of 4 features (feature 3 is noise) and a score z the labels come from. */
function data(n: number, seed: number) {
  const rng = new NumpyRandom(seed);
  const X = Array.from({ length: n }, () => [rng.random() * 4, rng.random() * 2, Math.floor(rng.random() * 3), rng.random()]);
  const z = X.map(([a, b, c]) => a - 2 + Math.sin(2 * b) + 0.3 * c);
  return { X, z };
}

describe('estimator conventions', () => {
  const { X, z } = data(200, 1);
  const yBin = z.map((v) => (v > 0 ? 'yes' : 'no'));
  const params = { nEstimators: 10, maxDepth: 3 };

  it('fit returns this; a later fit forgets the earlier one', () => {
    const m = new GradientBoostingClassifier(params);
    expect(() => m.model).toThrow(GroveNotFittedError);
    expect(m.fit(X, z.map((v) => (v < -0.5 ? 0 : v < 0.5 ? 1 : 2)), { evalSet: [[X, z.map((v) => (v < -0.5 ? 0 : v < 0.5 ? 1 : 2))]], earlyStoppingRounds: 2 })).toBe(m);
    expect(m.classes).toEqual([0, 1, 2]);
    expect(m.bestIteration).toBeDefined();
    m.fit(X, yBin);
    expect(m.classes).toEqual(['no', 'yes']);
    expect(m.model.objective).toBe('binary:logistic');
    expect(m.model.trees.tree_info.length).toBe(10);
    expect(m.bestIteration).toBeUndefined();
    expect(m.evalsResult).toEqual({});
    expect(m.params.nEstimators).toBe(10);
  });

  it('predicts the labels it was given (strings, or numbers that are not 0 … k − 1)', () => {
    const s = new GradientBoostingClassifier(params).fit(X, yBin);
    const numeric = new GradientBoostingClassifier(params).fit(X, yBin.map((v) => (v === 'yes' ? 7 : -3)));
    const P = s.predictProba(X);
    expect(P.length).toBe(2 * X.length);
    const labels = s.predict(X);
    labels.forEach((label, r) => {
      expect(P[2 * r] + P[2 * r + 1]).toBeCloseTo(1, 6);
      expect(label).toBe(P[2 * r + 1] > P[2 * r] ? 'yes' : 'no');
    });
    expect(numeric.predict(X)).toEqual(labels.map((v) => (v === 'yes' ? 7 : -3)));
    expect(labels.filter((v, i) => v === yBin[i]).length / X.length).toBeGreaterThan(0.9);
  });

  it('reads rows, typed rows and { data, rows, cols } alike; null is missing like NaN', () => {
    const holes = X.map((row, r) => row.map((v, c) => ((r + c) % 7 === 0 ? NaN : v)));
    const m = new GradientBoostingRegressor(params).fit(holes, z);
    const flat = Float64Array.from(holes.flat());
    const want = m.predict(holes);
    expect(m.predict({ data: flat, rows: X.length, cols: 4 })).toEqual(want);
    expect(m.predict(holes.map((row) => Float32Array.from(row)))).toEqual(want);
    expect(m.predict(holes.map((row) => row.map((v) => (Number.isNaN(v) ? null : v))))).toEqual(want);
    expect(m.predictRaw(holes)).toEqual(want);
    // fitting from the other shapes gives the same model
    expect(new GradientBoostingRegressor(params).fit({ data: flat, rows: X.length, cols: 4 }, z).predict(holes)).toEqual(want);
  });

  it('copies its input: changing X after fit changes nothing', () => {
    const copy = X.map((row) => row.slice());
    const m = new GradientBoostingRegressor(params).fit(copy, z);
    const before = m.predict(X);
    copy.forEach((row) => row.fill(0));
    expect(m.predict(X)).toEqual(before);
  });

  it('importances follow XGBoost\'s definitions over the split nodes', () => {
    const m = new GradientBoostingRegressor(params).fit(X, z);
    const t = m.model.trees;
    const weight = new Float64Array(4);
    const total = new Float64Array(4);
    for (let i = 0; i < t.left_children.length; i++) {
      if (t.left_children[i] < 0) continue;
      weight[t.split_indices[i]]++;
      total[t.split_indices[i]] += t.loss_changes[i];
    }
    expect(m.featureImportances('weight')).toEqual(weight);
    const gain = m.featureImportances('gain');
    const totalGain = m.featureImportances('totalGain');
    for (let f = 0; f < 4; f++) {
      expect(totalGain[f]).toBeCloseTo(total[f], 6);
      expect(gain[f]).toBeCloseTo(weight[f] > 0 ? total[f] / weight[f] : 0, 6);
    }
    // the informative features carry the gain, the noise feature little of it
    expect(totalGain[0]).toBeGreaterThan(10 * totalGain[3]);
  });
});

// ---- against XGBoost on public data ----

const tabular = sharedDir('data/tabular');
const readCsv = (name: string): string[][] =>
  gunzipSync(readFileSync(`${tabular.path}/${name}`)).toString('utf8').trim().split('\n').slice(1).map((line) => line.split(','));

/** label first, then numeric features (the higgs7k and lgbm_multiclass5 files). */
function labelFirst(name: string) {
  const rows = readCsv(name);
  return { X: rows.map((r) => r.slice(1).map(Number)), y: rows.map((r) => Number(r[0])) };
}

// Reference figures, computed once (not by the tests) with /usr/bin/python3 and xgboost 1.7.4:
//   params = dict(tree_method='hist', max_depth=6, eta=0.1, reg_lambda=1, max_bin=256, nthread=1,
//                 seed=0, objective=…); bst = xgb.train(params, xgb.DMatrix(X_train, y_train), 100)
// on float32 data read as below, predictions of xgb.DMatrix(X_test) scored with scikit-learn 1.2.1
// (roc_auc_score, log_loss) and numpy (RMSE, argmax error). California: the 8 numeric columns
// (blank total_bedrooms = NaN) + ocean_proximity coded by its sorted categories, target
// median_house_value / 1e5, row i in the test set iff i % 5 == 4.
// For scale: XGBoost's own HIGGS test AUC moves between 0.822 and 0.832 as max_bin goes
// 200 / 255 / 256 / 300 / 1024 (cut placement alone).
const XGB = {
  higgs: { auc: 0.826367, logloss: 0.510883 },
  california: { rmse: 0.493722 },
  multiclass5: { mlogloss: 1.372076, merror: 0.586 },
};
const PARAMS = { treeMethod: 'hist', maxDepth: 6, learningRate: 0.1, lambda: 1, nEstimators: 100, maxBin: 256 } as const;

describe.skipIf(!tabular.present)(`test metrics against XGBoost 1.7.4 (hist, depth 6, η 0.1, 100 rounds)${tabular.skipReason}`, () => {
  it('HIGGS 7k: test AUC within 0.005, logloss within 2%', () => {
    const train = labelFirst('higgs7k_train.csv.gz');
    const test = labelFirst('higgs7k_test.csv.gz');
    const m = new GradientBoostingClassifier(PARAMS).fit(train.X, train.y);
    const p = m.predictProba(test.X).filter((_, i) => i % 2 === 1);
    expect(Math.abs(rocAuc(test.y, p) - XGB.higgs.auc)).toBeLessThan(0.005);
    expect(Math.abs(logLoss(test.y, p) / XGB.higgs.logloss - 1)).toBeLessThan(0.02);
  });

  it('California housing: test RMSE within 2%', () => {
    const rows = readCsv('california_housing.csv.gz');
    const categories = [...new Set(rows.map((r) => r[9]))].sort();
    const X = rows.map((r) => [...r.slice(0, 8).map((v) => (v === '' ? NaN : Number(v))), categories.indexOf(r[9])]);
    const y = rows.map((r) => Number(r[8]) / 1e5);
    const inTest = (i: number) => i % 5 === 4;
    const m = new GradientBoostingRegressor(PARAMS).fit(X.filter((_, i) => !inTest(i)), y.filter((_, i) => !inTest(i)));
    const pred = m.predict(X.filter((_, i) => inTest(i)));
    expect(Math.abs(rmse(y.filter((_, i) => inTest(i)), pred) / XGB.california.rmse - 1)).toBeLessThan(0.02);
  });

  it('LightGBM multiclass (5 classes): mlogloss within 2%, merror within 0.02', () => {
    const train = labelFirst('lgbm_multiclass5_train.csv.gz');
    const test = labelFirst('lgbm_multiclass5_test.csv.gz');
    const m = new GradientBoostingClassifier(PARAMS).fit(train.X, train.y);
    expect(m.classes).toEqual([0, 1, 2, 3, 4]);
    const P = m.predictProba(test.X);
    expect(Math.abs(multiLogLoss(test.y, P, 5) / XGB.multiclass5.mlogloss - 1)).toBeLessThan(0.02);
    expect(Math.abs(multiError(test.y, P, 5) - XGB.multiclass5.merror)).toBeLessThan(0.02);
  });
});
