#!/usr/bin/env node
/**
 * One run of the JS peer `ml-xgboost` (npm, 1.1.2: XGBoost of early 2018 compiled to WASM with
 * emscripten) for bench.mjs:
 *   node run-ml-xgboost.mjs PEER_DIR CASE METHOD TRAIN_ROWS PREDICT_ROWS PARAMS_JSON PREDS_OUT
 * PEER_DIR holds its node_modules (bench.mjs installs it there, outside the repository).
 *
 * What its API imposes:
 * - rows as arrays of numbers; they are built before the clock starts (our and XGBoost's runs
 *   take flat float32 arrays, also outside their timed sections);
 * - missing values: its C glue builds the DMatrix with missing = −1 and XGBoost aborts on NaN
 *   ("There are NAN in the matrix, however, you did not set missing=NAN"), so NaN is passed as
 *   −1 (which also makes any real −1 missing, a cost of its API we leave as it is);
 * - `subsample` defaults to 0.5 there: set to 1 like the others;
 * - `train` copies X and y onto the 5 MiB emscripten stack (ccall 'array' arguments), so it
 *   fails once rows × (cols + 1) × 4 bytes pass about 5 MiB; the failure is reported as an
 *   error line on stderr (exit 1), never as a result;
 * - `predict` walks the rows one by one (a DMatrix per row).
 * Prints one JSON line like run-grove.mjs (predicting twice too) and writes the test rows'
 * predictions the same way.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { timed, timedTwice } from '../common/clock.mjs';
import { readCase, tileRows } from './case-file.mjs';

const [peerDir, file, method, trainRowsArg, predictRowsArg, paramsJson, predsOut] = process.argv.slice(2);
if (!predsOut) {
  process.stderr.write('usage: node run-ml-xgboost.mjs PEER_DIR CASE METHOD TRAIN_ROWS PREDICT_ROWS PARAMS_JSON PREDS_OUT\n');
  process.exit(2);
}
const MISSING = -1;
const p = JSON.parse(paramsJson);
const c = readCase(file, Number(trainRowsArg));
const objective = { regression: 'reg:linear', binary: 'binary:logistic', multiclass: 'multi:softprob' }[c.task];
const options = {
  objective,
  tree_method: method,
  max_depth: p.maxDepth,
  eta: p.eta,
  lambda: p.lambda,
  max_bin: p.maxBin,
  base_score: p.baseScore,
  subsample: p.subsample,
  min_child_weight: p.minChildWeight,
  nthread: 1,
  silent: 1,
  iterations: p.rounds,
  ...(c.task === 'multiclass' && { num_class: c.numClass }),
};

/** Rows as arrays, NaN → the peer's missing value. */
function arrays(x, cols) {
  return Array.from({ length: x.length / cols }, (_, r) => Array.from(x.subarray(r * cols, (r + 1) * cols), (v) => (Number.isNaN(v) ? MISSING : v)));
}


function fail(what, err) {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : `non-Error thrown: ${String(err)}`;
  process.stderr.write(`ml-xgboost ${what} failed: ${message}\n`);
  process.exit(1);
}

const XGBoost = await createRequire(join(peerDir, 'package.json'))('ml-xgboost');
const X = arrays(c.xTrain, c.cols);
const y = Array.from(c.yTrain);
const booster = new XGBoost(options);
const [, trainS, trainCpuS] = timed(() => {
  try {
    booster.train(X, y);
  } catch (err) {
    fail(`train (${X.length} rows × ${c.cols})`, err);
  }
});

const predictRows = Number(predictRowsArg);
const P = arrays(tileRows(c.xTest, c.cols, predictRows), c.cols);
const predict = () => {
  try {
    return booster.predict(P);
  } catch (err) {
    return fail('predict', err);
  }
};
// twice, like run-grove.mjs: the first call, then the steady one
const { out, times } = timedTwice(predict);

const nTest = c.yTest.length;
writeFileSync(predsOut, Float32Array.from(out.slice(0, nTest).flat()));
booster.free();
const { maxRSS } = process.resourceUsage();
process.stdout.write(`${JSON.stringify({ trainS, trainCpuS, ...times, maxRssKiB: maxRSS })}\n`);
