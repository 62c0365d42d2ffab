#!/usr/bin/env node
/**
 * `npm run bench:boost`: gradient boosting, ours against XGBoost (native, Python package) and the
 * JS package ml-xgboost, each training and prediction a process of its own.
 *
 * Cases: the public tabular sets (tabular.mjs: higgs7k, adult, lgbm_multiclass5, covertype75k,
 * california) and a seeded synthetic binary set of 28 features with 5% missing values
 * (synthetic.mjs), used at 40k, 100k and 1M training rows with one 100k-row test set. Each case
 * is written once to a binary file (case-file.mjs) that every contestant reads.
 *   grove       run-grove.mjs: GradientBoosting{Classifier,Regressor}.fit, predictProba / predict
 *   xgboost     run_xgboost.py: DMatrix + xgb.train, inplace_predict; nthread = 1 and
 *               OMP_NUM_THREADS = 1; where `python3` (GROVE_BENCH_PYTHON) imports xgboost,
 *               skipped with a note otherwise
 *   ml-xgboost  run-ml-xgboost.mjs, installed from the npm registry into a folder outside the
 *               repository on first use (a run few will make; the repository needs none of it)
 * The same parameters everywhere (PARAMS: depth 6, η 0.1, λ 1, 100 rounds, 256 bins,
 * base_score 0.5, subsample 1, min_child_weight 1, one thread) and per tree method (`--methods`;
 * a method our build rejects is left out with a note, unless named, when the peers run alone).
 *
 * Measures per run: train time (the whole user call: matrix copy, binning or sorting, boosting),
 * predict time for 100,000 rows cycling through the test set (or the whole test set if larger),
 * called twice (the second call is the throughput compared; the first shows a fresh process,
 * where V8 runs our WebAssembly in its baseline tier until it has run hot), each as CPU seconds (the table: the machine is shared, and every contestant runs on one thread)
 * and wall seconds (the JSON); the process's peak RSS from GNU `/usr/bin/time -f %M`; and the
 * test-set scores, computed here from each contestant's predictions with the same code (grove's
 * metrics): AUC, logloss and error (binary), mlogloss and merror (multiclass), RMSE (regression).
 * grove and xgboost run interleaved (A B A B …) so that noise on a shared machine falls on both
 * alike; medians over --runs. ml-xgboost runs --peer-runs times (default 1) and stops on a case at
 * its first failure; a probe (bisection on the synthetic set's rows, one round) finds the largest
 * training set it accepts with 28 columns, and how it fails beyond.
 *
 * The issue's targets are checked at the end (hist ≤ 1.5× XGBoost's train time on 1M rows,
 * exact ≤ 2× on 100k, prediction at least as fast as inplace_predict, ≥ 3× faster than
 * ml-xgboost, peak memory ≤ 2× XGBoost's, AUC within 0.003 and RMSE within 1% of XGBoost's).
 *
 * Threads (--threads N, default 2; 1 turns it off): on hist, ours with nThreads N and XGBoost with
 * nthread N run too, interleaved with the others, and a table gives each one's wall-clock speed-up
 * over its own one-thread run (the point of threads is wall time; CPU time only grows).
 *
 * Ours runs from a copy of dist/ taken at the start, so a rebuild during the run (a full one takes
 * about an hour here, half of it XGBoost's and our approx on 1M rows) neither breaks nor mixes it.
 *
 * Results: tables on stdout; everything (each run, medians, scores, probe, machine) in
 * bench/results/boost-<date>.json (ignored by git), or --out FILE.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { argChecks } from '../common/args.mjs';
import { TIME, machine, median, onInterrupt, timedRun } from '../common/process.mjs';
import { markdownTable } from '../common/table.mjs';
import { readCase, writeCase } from './case-file.mjs';
import { synthesize, SYNTHETIC_TRAIN } from './synthetic.mjs';
import { TABULAR } from './tabular.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const TABULAR_DIR = process.env.GROVE_TABULAR_DIR ?? resolve(ROOT, '../shared/data/tabular');
const PYTHON = process.env.GROVE_BENCH_PYTHON ?? '/usr/bin/python3';
const PEER_DIR = process.env.GROVE_BENCH_ML_XGBOOST_DIR ?? join(tmpdir(), 'grove-bench-ml-xgboost');
const PEER_PACKAGE = 'ml-xgboost@1.1.2';

/** The one parameter set; each runner maps the names to its library's. */
const PARAMS = {
  rounds: 100, // XGBoost's num_boost_round, our nEstimators, ml-xgboost's iterations
  eta: 0.1,
  maxDepth: 6,
  lambda: 1,
  maxBin: 256,
  baseScore: 0.5,
  subsample: 1, // ml-xgboost's default is 0.5
  minChildWeight: 1,
};
const PREDICT_ROWS = 100_000;
const METHODS = ['hist', 'exact', 'approx'];
/** Synthetic cases: the first `rows` rows of the one synthetic training set. */
const SYNTHETIC = {
  'synthetic-40k': { rows: 40_000, methods: METHODS },
  'synthetic-100k': { rows: 100_000, methods: METHODS },
  'synthetic-1m': { rows: SYNTHETIC_TRAIN, methods: ['hist', 'approx'] },
};
const ALL_CASES = [...Object.keys(TABULAR), ...Object.keys(SYNTHETIC)];
const QUICK_CASES = ['higgs7k', 'adult', 'california', 'synthetic-40k'];
const CONTESTANTS = ['grove', 'xgboost', 'ml-xgboost'];
/** The multi-threaded runs' names. */
const threaded = (name, n) => `${name}×${n}`;
/** Issue targets. */
const TARGET = { histTrain: 1.5, exactTrain: 2, peerSpeedup: 3, peak: 2, auc: 0.003, rmse: 0.01 };

const USAGE = `usage: node bench/boost/bench.mjs [options]
  --runs N          runs of grove and xgboost per case and method (default 3; medians reported)
  --peer-runs N     runs of ml-xgboost per case and method (default 1)
  --cases LIST      comma-separated, from ${ALL_CASES.join(', ')} (default: all)
  --methods LIST    tree methods, from ${METHODS.join(', ')} (default: all; synthetic-1m runs no exact)
  --quick           one run of ${QUICK_CASES.join(', ')}
  --skip LIST       contestants to leave out: ${CONTESTANTS.join(', ')}
  --no-probe        skip the search for ml-xgboost's largest training set
  --threads N       also run ours and XGBoost with N threads on hist (default 2; 1: no)
  --seed S          synthetic data seed (default 42)
  --timeout S       kill a run after S seconds; that contestant stops on that case (default 1800)
  --out FILE        results JSON (default bench/results/boost-<date>.json)
env: GROVE_TABULAR_DIR           the tabular sets (default ../shared/data/tabular from the repository root)
     GROVE_BENCH_PYTHON          python with xgboost and numpy (default /usr/bin/python3)
     GROVE_BENCH_ML_XGBOOST_DIR  where ml-xgboost is installed (default $TMPDIR/grove-bench-ml-xgboost)`;

const { fail, positiveInt, nonNegativeInt } = argChecks('boost', USAGE);

function parseArgs(argv) {
  const opts = { runs: undefined, peerRuns: 1, cases: undefined, methods: undefined, quick: false, skip: new Set(), probe: true, threads: 2, seed: 42, timeoutS: 1800, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--runs') opts.runs = positiveInt(value(), arg);
    else if (arg === '--peer-runs') opts.peerRuns = positiveInt(value(), arg);
    else if (arg === '--cases') opts.cases = list(value());
    else if (arg === '--methods') opts.methods = list(value());
    else if (arg === '--quick') opts.quick = true;
    else if (arg === '--skip') for (const name of list(value())) opts.skip.add(name);
    else if (arg === '--no-probe') opts.probe = false;
    else if (arg === '--threads') opts.threads = positiveInt(value(), arg);
    else if (arg === '--seed') opts.seed = nonNegativeInt(value(), arg);
    else if (arg === '--timeout') opts.timeoutS = positiveInt(value(), arg);
    else if (arg === '--out') opts.out = resolve(value());
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option ${arg}`);
  }
  for (const name of opts.skip) if (!CONTESTANTS.includes(name)) fail(`--skip: unknown contestant "${name}" (known: ${CONTESTANTS.join(', ')})`);
  for (const name of opts.cases ?? []) if (!ALL_CASES.includes(name)) fail(`unknown case "${name}" (known: ${ALL_CASES.join(', ')})`);
  for (const name of opts.methods ?? []) if (!METHODS.includes(name)) fail(`unknown method "${name}" (known: ${METHODS.join(', ')})`);
  opts.runs ??= opts.quick ? 1 : 3;
  opts.cases ??= opts.quick ? QUICK_CASES : ALL_CASES;
  return opts;
}

const list = (text) => text.split(',').filter(Boolean);

/** A problem that ends the bench with a message (and exit code 1), not a stack trace. */
class BenchError extends Error {}

/**
 * Copies dist/ into the scratch folder and loads the copy, so that every run measures the build
 * present at the start even if dist/ is rebuilt meanwhile (the runners import it through
 * GROVE_BENCH_MODULE). Returns the copy's module and, when our build rejects `approx`, why.
 */
async function snapshotBuild(tmp) {
  const dist = join(ROOT, 'dist');
  if (!existsSync(join(dist, 'index.node.js'))) throw new BenchError(`${dist}/index.node.js is missing (run "npm run build" first)`);
  const copy = join(tmp, 'dist');
  cpSync(dist, copy, { recursive: true });
  writeFileSync(join(copy, 'package.json'), '{ "type": "module" }\n');
  const module = pathToFileURL(join(copy, 'index.node.js')).href;
  let grove;
  try {
    grove = await import(module);
  } catch (err) {
    throw new BenchError(`cannot load the built package (run "npm run build" first): ${err.message}`);
  }
  if (!grove.GradientBoostingClassifier) throw new BenchError('dist/ does not export GradientBoostingClassifier (rebuild with "npm run build")');
  try {
    new grove.GradientBoostingClassifier({ treeMethod: 'approx', nEstimators: 1 }).fit([[0], [1], [2], [3]], [0, 1, 0, 1]);
    return { module, approxRejected: null };
  } catch (err) {
    return { module, approxRejected: err.message };
  }
}

/** Where python imports xgboost: its version; else null and a note. */
function xgboostAvailable(notes) {
  const probe = spawnSync(PYTHON, ['-c', 'import sys, numpy, xgboost; print(sys.version.split()[0], numpy.__version__, xgboost.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    notes.push(`xgboost: skipped, ${PYTHON} cannot import numpy and xgboost (${(probe.stderr || String(probe.error)).trim().split('\n').pop()})`);
    return null;
  }
  const [python, numpy, xgboost] = probe.stdout.trim().split(' ');
  return { python, numpy, xgboost };
}

/** The peer's folder, installing it there from the npm registry if needed; null (with a note) on failure. */
function mlXgboostDir(notes) {
  if (existsSync(join(PEER_DIR, 'node_modules/ml-xgboost/package.json'))) return PEER_DIR;
  mkdirSync(PEER_DIR, { recursive: true });
  writeFileSync(join(PEER_DIR, 'package.json'), '{ "private": true }\n');
  process.stderr.write(`installing ${PEER_PACKAGE} into ${PEER_DIR} …\n`);
  try {
    execFileSync('npm', ['install', '--prefix', PEER_DIR, '--no-audit', '--no-fund', '--save-exact', PEER_PACKAGE], { stdio: ['ignore', 'ignore', 'inherit'] });
    return PEER_DIR;
  } catch (err) {
    notes.push(`ml-xgboost: skipped, npm install ${PEER_PACKAGE} failed (${err.message.split('\n')[0]})`);
    return null;
  }
}

/** Writes the case's file (the synthetic one once, shared); null (with a note) when its data is absent. */
function prepareCase(name, opts, tmp, notes) {
  if (SYNTHETIC[name]) {
    const path = join(tmp, `synthetic-${opts.seed}.case`);
    if (!existsSync(path)) {
      const t = process.hrtime.bigint();
      writeCase(path, synthesize(opts.seed));
      process.stderr.write(`synthetic set (seed ${opts.seed}) generated in ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s\n`);
    }
    return { name, path, trainRows: SYNTHETIC[name].rows, methods: SYNTHETIC[name].methods, source: `synthetic.mjs, seed ${opts.seed}, first ${SYNTHETIC[name].rows} training rows` };
  }
  if (!existsSync(TABULAR_DIR)) {
    notes.push(`${name}: skipped, ${TABULAR_DIR} is absent`);
    return null;
  }
  const path = join(tmp, `${name}.case`);
  writeCase(path, TABULAR[name](TABULAR_DIR));
  return { name, path, trainRows: Infinity, methods: METHODS, source: `${TABULAR_DIR} (tabular.mjs)` };
}

/** Test-set scores of a predictions file (float32, as the runners write them). */
async function score(data, predsFile) {
  const { errorRate, logLoss, multiError, multiLogLoss, rmse, rocAuc } = await import(process.env.GROVE_BENCH_MODULE);
  const bytes = readFileSync(predsFile);
  const p = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const y = data.yTest;
  const k = data.task === 'multiclass' ? data.numClass : 1;
  if (p.length !== y.length * k) return { check: `${p.length} predictions for ${y.length} test rows × ${k}` };
  if (data.task === 'binary') return { auc: rocAuc(y, p), logloss: logLoss(y, p), error: errorRate(y, p) };
  if (data.task === 'multiclass') return { mlogloss: multiLogLoss(y, p, k), merror: multiError(y, p, k) };
  return { rmse: rmse(y, p) };
}

/** One child run; its JSON line is merged into the result and its predictions scored. */
async function runOnce(argv, data, tmp, opts) {
  const preds = argv[argv.length - 1];
  rmSync(preds, { force: true });
  const run = await timedRun(argv, join(tmp, 'time.out'), opts.timeoutS, { captureStdout: true });
  if (run.status === 'ok') {
    try {
      Object.assign(run, JSON.parse(run.stdout.trim().split('\n').pop()));
      Object.assign(run, await score(data, preds));
      if (run.check) run.status = 'wrong';
    } catch (err) {
      Object.assign(run, { status: 'error', stderr: `no result: ${err.message}; stdout ${run.stdout.slice(-200)}` });
    }
    run.peakKiB ??= run.maxRssKiB; // no /usr/bin/time: the child's own figure
  }
  delete run.stdout;
  return { ...run, command: argv.slice(0, -2).join(' ') };
}

function logRun(label, run) {
  const s = (x) => (x == null ? '?' : `${x.toFixed(3)} s`);
  const scores = ['auc', 'logloss', 'mlogloss', 'merror', 'rmse'].filter((k) => run[k] != null).map((k) => `${k} ${run[k].toFixed(5)}`).join(', ');
  process.stderr.write(`  ${label}: ${run.status}`
    + (run.status === 'ok' ? ` train ${s(run.trainCpuS)} cpu (${s(run.trainS)} wall), predict ${s(run.predictCpuS)} cpu (first call ${s(run.predictFirstCpuS)}), peak ${(run.peakKiB / 1024).toFixed(0)} MiB, ${scores}` : '')
    + (run.check ? ` (${run.check})` : '')
    + (run.status === 'error' ? `\n    ${run.stderr.split('\n').filter(Boolean).slice(-2).join('\n    ')}` : '') + '\n');
}

const SECTIONS = ['trainCpuS', 'trainS', 'predictCpuS', 'predictS', 'predictFirstCpuS', 'predictFirstS', 'dmatrixS', 'peakMiB'];
const SCORES = ['auc', 'logloss', 'error', 'mlogloss', 'merror', 'rmse'];

/** Medians (and min/max) over the correct runs; scores from the first (training is deterministic); the worst run's status. */
function summarize(runs) {
  const ok = runs.filter((r) => r.status === 'ok').map((r) => ({ ...r, peakMiB: r.peakKiB / 1024 }));
  const status = ['wrong', 'error', 'timeout'].find((s) => runs.some((r) => r.status === s)) ?? (ok.length ? 'ok' : runs[0]?.status ?? 'not run');
  const out = { status, okRuns: ok.length, runs };
  if (ok.length === 0) return out;
  for (const key of SECTIONS) {
    const xs = ok.map((r) => r[key]).filter((x) => x != null);
    if (xs.length) out[key] = { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  }
  for (const key of SCORES) if (ok[0][key] != null) out[key] = ok[0][key];
  return out;
}

function contestantList(c, method, opts, tools, tmp) {
  const tail = (name, params = PARAMS) => [c.path, method, String(c.trainRows === Infinity ? 2 ** 31 - 1 : c.trainRows), String(c.predictRows), JSON.stringify(params), join(tmp, `${name}.preds`)];
  const out = [];
  const withThreads = opts.threads > 1 && method === 'hist';
  const add = (name, argv) => {
    out.push({ name, runs: opts.runs, argv: [...argv, ...tail(name)] });
    if (withThreads) out.push({ name: threaded(name, opts.threads), runs: opts.runs, argv: [...argv, ...tail(threaded(name, opts.threads), { ...PARAMS, nThreads: opts.threads })] });
  };
  if (!opts.skip.has('grove') && !(method === 'approx' && tools.approxRejected)) add('grove', [process.execPath, join(HERE, 'run-grove.mjs')]);
  if (tools.xgboost && !opts.skip.has('xgboost')) add('xgboost', [PYTHON, join(HERE, 'run_xgboost.py')]);
  if (tools.peerDir && !opts.skip.has('ml-xgboost')) out.push({ name: 'ml-xgboost', runs: opts.peerRuns, argv: [process.execPath, join(HERE, 'run-ml-xgboost.mjs'), tools.peerDir, ...tail('ml-xgboost')] });
  return out;
}

async function benchCaseMethod(c, data, method, opts, tools, tmp, peerFailed) {
  const all = contestantList(c, method, opts, tools, tmp);
  const list = all.filter((x) => !(x.name === 'ml-xgboost' && peerFailed.has(c.name)));
  const runs = Object.fromEntries(list.map((x) => [x.name, []]));
  const stopped = new Set();
  const rounds = Math.max(0, ...list.map((x) => x.runs));
  for (let r = 0; r < rounds; r++) {
    for (const x of list) {
      if (stopped.has(x.name) || r >= x.runs) continue;
      const run = await runOnce(x.argv, data, tmp, opts);
      logRun(`${c.name} ${method} run ${r + 1}/${x.runs} ${x.name}`, run);
      if (run.status !== 'ok') {
        stopped.add(x.name);
        // its failures come from the data's size, whatever the method
        if (x.name === 'ml-xgboost') peerFailed.add(c.name);
      }
      runs[x.name].push(run);
    }
  }
  const contestants = Object.fromEntries(list.map((x) => [x.name, summarize(runs[x.name])]));
  if (method === 'approx' && tools.approxRejected && !opts.skip.has('grove')) contestants.grove = { status: 'unsupported', note: tools.approxRejected, runs: [] };
  if (list.length < all.length) contestants['ml-xgboost'] = { status: 'skipped', note: 'it failed on this case with another method', runs: [] };
  return { case: c.name, method, task: data.task, numClass: data.numClass, trainRows: data.yTrain.length, testRows: data.yTest.length, cols: data.cols, predictRows: c.predictRows, contestants, compare: compare(contestants) };
}

/** Ratios of medians (CPU seconds, MiB) and score differences, ours against each peer. */
function compare({ grove, xgboost, 'ml-xgboost': peer }) {
  const m = (s, key) => s?.[key]?.median;
  const out = {};
  if (m(grove, 'trainCpuS') && m(xgboost, 'trainCpuS')) {
    out.trainOursOverXgboost = m(grove, 'trainCpuS') / m(xgboost, 'trainCpuS');
    out.predictOursOverXgboost = m(grove, 'predictCpuS') / m(xgboost, 'predictCpuS');
    out.predictFirstOursOverXgboost = m(grove, 'predictFirstCpuS') / m(xgboost, 'predictFirstCpuS');
    out.peakOursOverXgboost = m(grove, 'peakMiB') / m(xgboost, 'peakMiB');
    for (const key of SCORES) if (grove[key] != null && xgboost[key] != null) out[`${key}OursMinusXgboost`] = grove[key] - xgboost[key];
  }
  if (m(grove, 'trainCpuS') && m(peer, 'trainCpuS')) {
    out.trainPeerOverOurs = m(peer, 'trainCpuS') / m(grove, 'trainCpuS');
    out.predictPeerOverOurs = m(peer, 'predictCpuS') / m(grove, 'predictCpuS');
  }
  return out;
}

/**
 * The largest synthetic training set (28 columns, one round) ml-xgboost trains on, by bisection
 * between a size that works and one that fails, to within 50 rows; and how it fails beyond.
 */
async function probePeer(tools, opts, tmp, notes) {
  const path = prepareCase('synthetic-1m', opts, tmp, notes).path;
  const data = readCase(path, 0);
  const params = JSON.stringify({ ...PARAMS, rounds: 1 });
  const attempt = async (rows) => {
    const argv = [process.execPath, join(HERE, 'run-ml-xgboost.mjs'), tools.peerDir, path, 'hist', String(rows), '1000', params, join(tmp, 'probe.preds')];
    const run = await timedRun(argv, join(tmp, 'time.out'), 300, { captureStdout: true });
    process.stderr.write(`  ml-xgboost probe: ${rows} rows × ${data.cols}: ${run.status}\n`);
    return run;
  };
  let ok = 1000;
  let bad = 100_000;
  const first = await attempt(ok);
  if (first.status !== 'ok') return { cols: data.cols, failsAt: ok, failure: first.stderr.split('\n').filter(Boolean).pop() };
  let failure = await attempt(bad);
  if (failure.status === 'ok') {
    ok = bad;
    bad = SYNTHETIC_TRAIN;
    failure = await attempt(bad);
    if (failure.status === 'ok') return { cols: data.cols, largestOk: bad, note: 'no failure up to the whole synthetic set' };
  }
  while (bad - ok > 50) {
    const mid = Math.round((ok + bad) / 2);
    const run = await attempt(mid);
    if (run.status === 'ok') ok = mid;
    else [bad, failure] = [mid, run];
  }
  const bytes = (rows) => rows * (data.cols + 1) * 4;
  return { cols: data.cols, largestOk: ok, smallestFailing: bad, bytesOk: bytes(ok), bytesFailing: bytes(bad), failure: failure.status === 'timeout' ? 'timeout' : failure.stderr.split('\n').filter(Boolean).pop() };
}

/** Peak memory of each runtime doing nothing but load its library. */
async function baselines(tmp, tools) {
  const run = async (argv) => (await timedRun(argv, join(tmp, 'time.out'), 60)).peakKiB / 1024;
  const out = { grove: await run([process.execPath, '--input-type=module', '-e', `import ${JSON.stringify(process.env.GROVE_BENCH_MODULE)}`]) };
  if (tools.xgboost) out.xgboost = await run([PYTHON, '-c', 'import numpy, xgboost']);
  if (tools.peerDir) out['ml-xgboost'] = await run([process.execPath, '-e', `require(${JSON.stringify(join(tools.peerDir, 'node_modules/ml-xgboost'))})`]);
  return out;
}

const seconds = (x) => (x == null ? '' : x < 10 ? x.toFixed(3) : x.toFixed(1));
const mib = (x) => (x == null ? '' : x.toFixed(0));
const ratio = (x) => (x == null || !Number.isFinite(x) ? '' : x.toFixed(2));

function cell(s, key, format) {
  if (!s) return '';
  if (s[key] == null) return s.status === 'error' ? 'failed' : s.status;
  const v = typeof s[key] === 'number' ? s[key] : s[key].median;
  return `${format(v)}${s.status === 'ok' ? '' : ` (${s.status})`}`;
}

function printTables(results, withXgboost) {
  const rowsCell = (r) => r.trainRows.toLocaleString('en-US');
  const speed = results.map((r) => {
    const { grove, xgboost, 'ml-xgboost': peer } = r.contestants;
    const c = r.compare;
    return [r.case, r.method, rowsCell(r),
      cell(grove, 'trainCpuS', seconds), cell(xgboost, 'trainCpuS', seconds), cell(peer, 'trainCpuS', seconds), ratio(c.trainOursOverXgboost), ratio(c.trainPeerOverOurs),
      cell(grove, 'predictFirstCpuS', seconds), cell(grove, 'predictCpuS', seconds), cell(xgboost, 'predictCpuS', seconds), cell(peer, 'predictCpuS', seconds), ratio(c.predictOursOverXgboost),
      cell(grove, 'peakMiB', mib), cell(xgboost, 'peakMiB', mib), cell(peer, 'peakMiB', mib), ratio(c.peakOursOverXgboost)];
  });
  console.log(markdownTable(['case', 'method', 'train rows', 'ours train', 'xgb train', 'ml-xgb train', 'train ours/xgb', 'train ml-xgb/ours',
    'ours 1st pred', 'ours pred', 'xgb pred', 'ml-xgb pred', 'pred ours/xgb', 'ours MiB', 'xgb MiB', 'ml-xgb MiB', 'MiB ours/xgb'], speed));

  const metricNames = { binary: ['auc', 'logloss'], multiclass: ['mlogloss', 'merror'], regression: ['rmse'] };
  const fmt = (x) => x.toFixed(5);
  const scores = results.map((r) => {
    const keys = metricNames[r.task];
    const both = (s) => (s && keys.every((k) => s[k] != null) ? keys.map((k) => fmt(s[k])).join(' / ') : s ? (s.status === 'error' ? 'failed' : s.status) : '');
    const delta = keys.map((k) => r.compare[`${k}OursMinusXgboost`]).every((d) => d != null) ? keys.map((k) => { const d = r.compare[`${k}OursMinusXgboost`]; return `${d >= 0 ? '+' : ''}${d.toFixed(5)}`; }).join(' / ') : '';
    const { grove, xgboost, 'ml-xgboost': peer } = r.contestants;
    return [r.case, r.method, keys.join(' / '), both(grove), both(xgboost), both(peer), delta];
  });
  const threads = results.filter((r) => Object.keys(r.contestants).some((k) => k.includes('×')));
  if (threads.length) {
    const n = Object.keys(threads[0].contestants).find((k) => k.includes('×')).split('×')[1];
    const wall = (s) => s?.trainS?.median;
    const speedUp = (r, name) => ratio(wall(r.contestants[name]) / wall(r.contestants[threaded(name, n)]));
    console.log(`\nThreads: train wall seconds with 1 and ${n} threads (median of the same interleaved runs), speed-up = 1 thread / ${n} threads`);
    console.log(markdownTable(['case', 'method', 'ours 1', `ours ${n}`, 'ours speed-up', 'xgb 1', `xgb ${n}`, 'xgb speed-up', `ours ${n} / xgb ${n}`],
      threads.map((r) => {
        const cs = r.contestants;
        return [r.case, r.method, cell(cs.grove, 'trainS', seconds), cell(cs[threaded('grove', n)], 'trainS', seconds), speedUp(r, 'grove'),
          cell(cs.xgboost, 'trainS', seconds), cell(cs[threaded('xgboost', n)], 'trainS', seconds), speedUp(r, 'xgboost'),
          ratio(wall(cs[threaded('grove', n)]) / wall(cs[threaded('xgboost', n)]))];
      })));
  }
  console.log(`\nTest-set scores (${withXgboost ? 'ours − xgb: negative is better for losses, positive for AUC' : 'xgboost not run'})`);
  console.log(markdownTable(['case', 'method', 'metric', 'ours', 'xgb', 'ml-xgb', 'ours − xgb'], scores));
}

/** The issue's targets, each with the cases it was checked on. */
function checkTargets(results) {
  const out = [];
  const add = (target, rows, value, pass, worstFirst) => {
    const checked = rows.filter((r) => value(r) != null);
    if (!checked.length) return out.push({ target, status: 'not measured' });
    const sorted = [...checked].sort((a, b) => worstFirst(value(a), value(b)));
    const failing = checked.filter((r) => !pass(value(r)));
    out.push({ target, status: failing.length ? 'FAIL' : 'pass', cases: checked.map((r) => `${r.case}/${r.method}: ${value(r).toFixed(3)}`), worst: `${sorted[0].case}/${sorted[0].method}` });
  };
  const desc = (a, b) => b - a;
  const asc = (a, b) => a - b;
  const c = (key) => (r) => r.compare[key];
  add(`hist train ≤ ${TARGET.histTrain}× XGBoost (synthetic-1m)`, results.filter((r) => r.case === 'synthetic-1m' && r.method === 'hist'), c('trainOursOverXgboost'), (v) => v <= TARGET.histTrain, desc);
  add(`exact train ≤ ${TARGET.exactTrain}× XGBoost (synthetic-100k)`, results.filter((r) => r.case === 'synthetic-100k' && r.method === 'exact'), c('trainOursOverXgboost'), (v) => v <= TARGET.exactTrain, desc);
  add('hist train vs XGBoost, every case (information)', results.filter((r) => r.method === 'hist'), c('trainOursOverXgboost'), () => true, desc);
  add('prediction time ≤ XGBoost inplace_predict (ours/xgb)', results, c('predictOursOverXgboost'), (v) => v <= 1, desc);
  add(`train ≥ ${TARGET.peerSpeedup}× faster than ml-xgboost (ml-xgb/ours)`, results, c('trainPeerOverOurs'), (v) => v >= TARGET.peerSpeedup, asc);
  add(`peak memory ≤ ${TARGET.peak}× XGBoost (ours/xgb)`, results, c('peakOursOverXgboost'), (v) => v <= TARGET.peak, desc);
  add(`AUC ≥ XGBoost's − ${TARGET.auc} (ours − xgb)`, results, c('aucOursMinusXgboost'), (v) => v >= -TARGET.auc, asc);
  add(`RMSE ≤ XGBoost's × ${1 + TARGET.rmse} (ours/xgb − 1)`, results, (r) => (r.contestants.grove?.rmse != null && r.contestants.xgboost?.rmse != null ? r.contestants.grove.rmse / r.contestants.xgboost.rmse - 1 : undefined), (v) => v <= TARGET.rmse, desc);
  return out;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const date = new Date();
  const notes = [];
  if (!existsSync(TIME)) notes.push(`${TIME} is missing: peak memory is each child's own getrusage max RSS`);
  process.env.OMP_NUM_THREADS = '1';
  const tmp = mkdtempSync(join(tmpdir(), 'grove-bench-boost-'));
  onInterrupt(() => rmSync(tmp, { recursive: true, force: true }));
  let report;
  try {
    const { module, approxRejected } = await snapshotBuild(tmp);
    process.env.GROVE_BENCH_MODULE = module;
    const tools = {
      approxRejected,
      xgboost: opts.skip.has('xgboost') ? null : xgboostAvailable(notes),
      peerDir: opts.skip.has('ml-xgboost') ? null : mlXgboostDir(notes),
    };
    let methods = opts.methods ?? METHODS;
    if (approxRejected && !opts.methods) {
      methods = methods.filter((m) => m !== 'approx');
      notes.push(`approx: left out, our build rejects it ("${approxRejected}"); --methods approx runs the peers alone`);
    } else if (approxRejected && methods.includes('approx')) notes.push(`approx: ours not run, our build rejects it ("${approxRejected}")`);
    const peerVersion = tools.peerDir && JSON.parse(readFileSync(join(tools.peerDir, 'node_modules/ml-xgboost/package.json'), 'utf8')).version;
    report = {
      bench: 'boost',
      date: date.toISOString(),
      machine: { ...machine(ROOT), loadavgAtStart: loadavg(), ...(tools.xgboost ?? {}), ...(peerVersion && { mlXgboost: peerVersion }) },
      options: { runs: opts.runs, peerRuns: opts.peerRuns, cases: opts.cases, methods, threads: opts.threads, seed: opts.seed, timeoutS: opts.timeoutS, skip: [...opts.skip], params: PARAMS, predictRows: PREDICT_ROWS },
      notes,
      cases: [],
    };
    report.baselinesMiB = await baselines(tmp, tools);
    if (tools.peerDir && opts.probe) report.mlXgboostLimit = await probePeer(tools, opts, tmp, notes);
    const peerFailed = new Set();
    for (const name of opts.cases) {
      const c = prepareCase(name, opts, tmp, notes);
      if (!c) continue;
      const data = readCase(c.path, c.trainRows);
      c.predictRows = Math.max(PREDICT_ROWS, data.yTest.length);
      process.stderr.write(`${name}: ${data.task}${data.task === 'multiclass' ? ` (${data.numClass} classes)` : ''}, ${data.yTrain.length} × ${data.cols} train, ${data.yTest.length} test\n`);
      for (const method of c.methods.filter((m) => methods.includes(m))) {
        const result = await benchCaseMethod(c, data, method, opts, tools, tmp, peerFailed);
        report.cases.push({ ...result, source: c.source });
      }
      if (!SYNTHETIC[name]) rmSync(c.path, { force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  report.machine.loadavgAtEnd = loadavg();
  report.targets = checkTargets(report.cases);

  console.log(`\nGradient boosting, depth ${PARAMS.maxDepth}, η ${PARAMS.eta}, λ ${PARAMS.lambda}, ${PARAMS.rounds} rounds, ${PARAMS.maxBin} bins, one thread: `
    + `CPU seconds inside each process (median of ${opts.runs}; ml-xgboost ${opts.peerRuns}), train = the whole fit call, pred = ${PREDICT_ROWS.toLocaleString('en-US')} rows `
    + '(second call; "1st" = the first call of the process); peak RSS of the whole process in MiB');
  printTables(report.cases, Boolean(report.machine.xgboost));
  const b = report.baselinesMiB;
  console.log(`\nbaseline peak RSS (library loaded, no work): ${Object.entries(b).map(([k, v]) => `${k} ${mib(v)} MiB`).join(', ')}`);
  const lim = report.mlXgboostLimit;
  if (lim?.largestOk && lim.smallestFailing) {
    console.log(`ml-xgboost limit (${lim.cols} columns): trains on ${lim.largestOk.toLocaleString('en-US')} rows, fails from ${lim.smallestFailing.toLocaleString('en-US')} `
      + `(X and y: ${(lim.bytesFailing / 2 ** 20).toFixed(2)} MiB): ${lim.failure}`);
  } else if (lim) console.log(`ml-xgboost limit: ${JSON.stringify(lim)}`);
  console.log('\nTargets (issue 4):');
  for (const t of report.targets) console.log(`  ${t.status.padEnd(12)} ${t.target}${t.worst ? `; worst ${t.worst}` : ''}${t.cases ? `\n${' '.repeat(15)}${t.cases.join(', ')}` : ''}`);
  console.log(`load average at start ${report.machine.loadavgAtStart.map((x) => x.toFixed(2)).join(' ')}, at end ${report.machine.loadavgAtEnd.map((x) => x.toFixed(2)).join(' ')} (${report.machine.cores} cores)`);
  for (const note of notes) console.log(`note: ${note}`);

  const file = opts.out ?? join(ROOT, 'bench/results', `boost-${date.toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nresults: ${file}`);
  const wrong = report.cases.filter((r) => Object.values(r.contestants).some((s) => s.status === 'wrong'));
  if (wrong.length) {
    console.error(`bench:boost: WRONG output (prediction count) on ${wrong.map((r) => `${r.case}/${r.method}`).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err instanceof BenchError ? `bench:boost: ${err.message}` : err);
  process.exitCode = 1;
});
