#!/usr/bin/env node
/**
 * One run of ours for bench.mjs, on the built package: the module GROVE_BENCH_MODULE names (bench.mjs
 * sets it to its copy of dist/), else `grove-ml` (this repository's dist/ through package.json
 * `exports`):
 *   node run-grove.mjs CASE METHOD TRAIN_ROWS PREDICT_ROWS PARAMS_JSON PREDS_OUT
 * Times `fit` on the first TRAIN_ROWS training rows (everything the user's call does: the
 * matrix copy and checks, binning or sorting, boosting), then `predictProba` (`predict` for
 * regression) on PREDICT_ROWS rows cycling through the test set, twice (first call, then the
 * steady one). Writes the test rows' predictions (P(class 1), the n × k probabilities, or the
 * values; float32) to PREDS_OUT and prints one JSON line { trainS, trainCpuS, predictFirstS,
 * predictFirstCpuS, predictS, predictCpuS, maxRssKiB } (seconds; predictS = the second call).
 */
import { writeFileSync } from 'node:fs';
import { timed, timedTwice } from '../common/clock.mjs';
import { readCase, tileRows } from './case-file.mjs';

// bench.mjs points this at its copy of dist/, taken when it started
const { GradientBoostingClassifier, GradientBoostingRegressor, init } = await import(process.env.GROVE_BENCH_MODULE ?? 'grove-ml');
// compile the WebAssembly module before the clocks start, as XGBoost's library is loaded before its
await init();

const [file, method, trainRowsArg, predictRowsArg, paramsJson, predsOut] = process.argv.slice(2);
if (!predsOut) {
  process.stderr.write('usage: node run-grove.mjs CASE METHOD TRAIN_ROWS PREDICT_ROWS PARAMS_JSON PREDS_OUT\n');
  process.exit(2);
}
const p = JSON.parse(paramsJson);
const c = readCase(file, Number(trainRowsArg));
const options = {
  treeMethod: method,
  nEstimators: p.rounds,
  learningRate: p.eta,
  maxDepth: p.maxDepth,
  lambda: p.lambda,
  maxBin: p.maxBin,
  baseScore: p.baseScore,
  subsample: p.subsample,
  minChildWeight: p.minChildWeight,
  ...(p.nThreads && { nThreads: p.nThreads }), // only when asked: older builds have no such option
};


const X = { data: c.xTrain, rows: c.yTrain.length, cols: c.cols };
const [model, trainS, trainCpuS] = timed(() => (c.task === 'regression' ? new GradientBoostingRegressor(options).fit(X, c.yTrain) : new GradientBoostingClassifier(options).fit(X, c.yTrain)));

const predictRows = Number(predictRowsArg);
const P = { data: tileRows(c.xTest, c.cols, predictRows), rows: predictRows, cols: c.cols };
const predict = () => (c.task === 'regression' ? model.predict(P) : model.predictProba(P));
// twice: the first call shows a fresh process (V8 runs a WebAssembly function in its baseline tier
// until the function has run hot, and a call under way keeps its tier), the second the throughput
const { out, times } = timedTwice(predict);

const nTest = c.yTest.length;
const preds = c.task === 'binary' ? Float32Array.from({ length: nTest }, (_, i) => out[2 * i + 1]) : out.slice(0, nTest * (c.task === 'multiclass' ? c.numClass : 1));
writeFileSync(predsOut, preds);
const { maxRSS } = process.resourceUsage();
process.stdout.write(`${JSON.stringify({ trainS, trainCpuS, ...times, maxRssKiB: maxRSS })}\n`);
