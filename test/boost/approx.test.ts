// treeMethod 'approx' against what it must equal: with squared error every hessian is 1, so the
// hessian-weighted sketch of the global proposal is the plain quantile sketch and each tree equals
// hist's; with few distinct values every proposal gives each value its own bin, so global and
// local proposals grow the trees hist grows; and on data with many values the local proposal
// (cuts from each node's own rows) still fits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../src/boost/gradient-boosting.js';
import { NumpyRandom } from '../../src/random/numpy.js';
import { initSync } from '../../src/runtime/kernel.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });

function data(n: number, seed: number, distinct?: number) {
  const rng = new NumpyRandom(seed);
  const value = () => (distinct ? Math.floor(rng.random() * distinct) : rng.random() * 10);
  const X = Array.from({ length: n }, () => [value(), value(), rng.random() < 0.1 ? NaN : value()]);
  const y = X.map(([a, b, c]) => Math.sin(a) + 0.3 * b - (Number.isNaN(c) ? 1 : 0.1 * c) + 0.2 * rng.random());
  return { X, y, label: y.map((v) => (v > 0.3 ? 1 : 0)) };
}

const params = { nEstimators: 8, maxDepth: 4, learningRate: 0.3, maxBin: 32 };

describe("treeMethod 'approx'", () => {
  it('global proposal with squared error (hessians all 1) grows the trees hist grows', () => {
    const { X, y } = data(3000, 1);
    const hist = new GradientBoostingRegressor({ ...params, treeMethod: 'hist' }).fit(X, y);
    const approx = new GradientBoostingRegressor({ ...params, treeMethod: 'approx' }).fit(X, y);
    expect(approx.model.trees).toEqual(hist.model.trees);
  });

  it('with at most maxBin distinct values, global and local proposals give hist\'s trees (logistic)', () => {
    const { X, label } = data(2000, 2, 12);
    const hist = new GradientBoostingClassifier({ ...params, treeMethod: 'hist' }).fit(X, label);
    const global = new GradientBoostingClassifier({ ...params, treeMethod: 'approx', proposal: 'global' }).fit(X, label);
    expect(global.model.trees).toEqual(hist.model.trees);
    // a node's own cuts are the values present in it: the same partitions, so the same trees and
    // training margins, but a threshold may be the node's next value rather than the data's
    const local = new GradientBoostingClassifier({ ...params, treeMethod: 'approx', proposal: 'local' }).fit(X, label);
    const { split_conditions: a, ...restLocal } = local.model.trees;
    const { split_conditions: b, ...restHist } = hist.model.trees;
    expect(restLocal).toEqual(restHist);
    expect(local.predictRaw(X)).toEqual(hist.predictRaw(X));
    expect(a.length).toBe(b.length);
  });

  it('on many-valued data both proposals lower the training loss every round, ending between exact\'s and hist\'s', () => {
    const { X, label } = data(3000, 3);
    const losses = (proposal: 'global' | 'local') => {
      const model = new GradientBoostingClassifier({ ...params, nEstimators: 15, treeMethod: 'approx', proposal });
      model.fit(X, label, { evalSet: [[X, label]], evalMetric: 'logloss' });
      return model.evalsResult.validation_0.logloss;
    };
    const final = (treeMethod: 'hist' | 'exact') => {
      const l = new GradientBoostingClassifier({ ...params, nEstimators: 15, treeMethod }).fit(X, label, { evalSet: [[X, label]] }).evalsResult.validation_0.logloss;
      return l[l.length - 1];
    };
    const [hist, exact] = [final('hist'), final('exact')];
    for (const proposal of ['global', 'local'] as const) {
      const l = losses(proposal);
      l.slice(1).forEach((v, i) => expect(v).toBeLessThan(l[i]));
      // finer candidates than hist's 32 fixed bins (local: per node), coarser than exact's
      expect(l[l.length - 1]).toBeLessThan(hist * 1.02);
      expect(l[l.length - 1]).toBeGreaterThan(exact * 0.98);
    }
  });
});
