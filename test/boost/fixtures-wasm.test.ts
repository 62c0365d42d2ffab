/**
 * The estimators on XGBoost 1.7.4's fixtures (../shared/data/xgboost-models): loaded with
 * fromXGBoostJSON and walked by the WebAssembly predictor, margins and probabilities equal
 * XGBoost's bit for bit, leaf ids too; export → XGBoost JSON → import and grove JSON / bytes
 * round trips predict the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../src/boost/gradient-boosting.js';
import { leafIds } from '../../src/boost/predict.js';
import { initSync } from '../../src/runtime/kernel.js';
import { sharedDir } from '../helpers/shared.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });
const shared = sharedDir('data/xgboost-models');

describe.skipIf(!shared.present)(`WebAssembly predictor on XGBoost fixtures${shared.skipReason}`, () => {
  const manifest = shared.present ? JSON.parse(readFileSync(`${shared.path}/MANIFEST.json`, 'utf8')) : { fixtures: {} };
  it.each(Object.keys(manifest.fixtures))('%s', (name) => {
    const json = readFileSync(`${shared.path}/${name}.json`, 'utf8');
    const data = JSON.parse(readFileSync(`${shared.path}/${name}.data.json`, 'utf8')) as { X: (number | null)[][]; margin: number[] | number[][]; prob: number[] | number[][]; leaf: number[][] };
    const objective = manifest.fixtures[name].objective as string;
    const load = (text: string) => (objective === 'reg:squarederror' ? GradientBoostingRegressor.fromXGBoostJSON(text) : GradientBoostingClassifier.fromXGBoostJSON(text));
    const model = load(json);
    const margins = Float32Array.from(data.margin.flat());
    expect(model.predictRaw(data.X)).toEqual(margins);
    if (model instanceof GradientBoostingClassifier) {
      const proba = model.predictProba(data.X);
      const want = Float32Array.from(data.prob.flat());
      if (objective === 'binary:logistic') expect(proba.filter((_, i) => i % 2 === 1)).toEqual(want);
      else expect(proba).toEqual(want);
    } else {
      expect(model.predict(data.X)).toEqual(Float32Array.from(data.prob.flat()));
    }
    const X = Float32Array.from(data.X.flat(), (v) => (v === null ? NaN : v));
    expect(Array.from(leafIds(model.model.trees, X, data.X.length, data.X[0].length))).toEqual(data.leaf.flat());
    for (const again of [load(model.toXGBoostJSON()), (model.constructor as typeof GradientBoostingRegressor).fromJSON(JSON.stringify(model.toJSON())), (model.constructor as typeof GradientBoostingRegressor).fromBytes(model.toBytes())]) {
      expect(again.predictRaw(data.X)).toEqual(margins);
    }
  });
});
