/**
 * `grove train`, `grove predict` and `grove evaluate` end to end: spawns `node bin/grove.js`
 * against the built dist/. Predictions are checked against the library on the model file the CLI
 * wrote, against rules the generated data follow, and against XGBoost's own predictions in
 * ../shared/data/xgboost-models; metrics against formulas worked here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../src/boost/gradient-boosting.js';
import { mae, multiError, multiLogLoss, r2Score, rmse } from '../../src/metrics/classification.js';
import { NumpyRandom } from '../../src/random/numpy.js';
import { initSync } from '../../src/runtime/kernel.js';
import { sharedDir } from '../helpers/shared.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
initSync({ module: readFileSync(join(root, 'dist/grove.wasm')) }); // the module the CLI runs
const dir = mkdtempSync(join(tmpdir(), 'grove-boost-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function grove(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(root, 'bin/grove.js'), ...args], { cwd: dir, input, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function file(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A CSV's rows as arrays of fields (no quoting in what these tests read). */
const csvRows = (text: string) => text.trimEnd().split('\n').map((line) => line.split(','));
const numbers = (rows: string[][]) => Float32Array.from(rows.flat(), Number);
const csvCell = (v: number | string | null) => (v === null ? '' : String(v));

/**
 * n rows of x0 (evenly spread over [0, 1)), x1 (uniform, 10% missing) and targets that x0
 * decides: `binary` "yes" iff x0 > 0.5, `cls3` ⌊3·x0⌋, `reg` 3·x0 − x1 (x1 missing as 0).
 */
function generated(n: number, seed: number): { X: (number | null)[][]; binary: string[]; cls3: number[]; reg: number[] } {
  const rng = new NumpyRandom(seed);
  const X = Array.from({ length: n }, (_, i) => [(i + 0.5) / n, rng.random() < 0.1 ? null : Math.round(rng.random() * 1000) / 1000]);
  return {
    X,
    binary: X.map(([x0]) => (x0! > 0.5 ? 'yes' : 'no')),
    cls3: X.map(([x0]) => Math.floor(3 * x0!)),
    reg: X.map(([x0, x1]) => Math.round((3 * x0! - (x1 ?? 0)) * 1000) / 1000),
  };
}

function writeGenerated(name: string, g: ReturnType<typeof generated>, missing = 'NA'): string {
  const lines = g.X.map(([x0, x1], i) => `${x0},${x1 === null ? missing : x1},${g.binary[i]},${g.cls3[i]},${g.reg[i]}`);
  return file(name, `x0,x1,binary,cls3,reg\n${lines.join('\n')}\n`);
}

const train = generated(300, 1);
const valid = generated(100, 2);
const trainCsv = writeGenerated('train.csv', train);
const validCsv = writeGenerated('valid.csv', valid, '?');
const X = train.X.map((row) => row.map((v) => v ?? NaN));

describe('grove train / predict / evaluate on generated data', () => {
  test('binary text labels: the objective is chosen and said, depth-1 trees learn the rule, predict equals the library', () => {
    const model = join(dir, 'binary.json');
    const run = grove(['train', trainCsv, '--target', 'binary', '--drop', 'cls3,reg', '--param', 'maxDepth=1', '--param', 'nEstimators=5', '--out', model]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('grove: train: target "binary" has 2 distinct text labels: objective binary:logistic\n');
    const saved = JSON.parse(readFileSync(model, 'utf8'));
    expect(saved).toMatchObject({ format: 'grove-boost', objective: 'binary:logistic', featureNames: ['x0', 'x1'], classes: ['no', 'yes'], target: 'binary' });
    const lib = GradientBoostingClassifier.fromJSON(saved);
    expect(lib.model.trees.tree_info).toHaveLength(5);

    const labels = grove(['predict', '--model', model, trainCsv]);
    expect(labels.status).toBe(0);
    expect(labels.stdout).toBe(`prediction\n${train.binary.join('\n')}\n`);
    expect(lib.predict(X)).toEqual(train.binary);

    const proba = grove(['predict', '--model', model, trainCsv, '--proba']);
    const [head, ...rows] = csvRows(proba.stdout);
    expect(head).toEqual(['p_no', 'p_yes']);
    expect(numbers(rows)).toEqual(lib.predictProba(X));
  });

  test('regression with missing values: predictions and rmse / mae / r2 equal the library\'s', () => {
    const model = join(dir, 'reg.json');
    const run = grove(['train', trainCsv, '--target', 'reg', '--drop', 'binary,cls3', '--tree-method', 'exact', '--param', 'nEstimators=20', '--param', 'learningRate=0.2', '--out', model]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(`grove: train: target "reg" has ${new Set(train.reg).size} distinct numbers: objective reg:squarederror\n`);
    const lib = GradientBoostingRegressor.fromJSON(readFileSync(model, 'utf8'));
    const predicted = grove(['predict', '--model', model, trainCsv, '--out', join(dir, 'reg.csv')]);
    expect(predicted.stdout).toBe('');
    const [head, ...rows] = csvRows(readFileSync(join(dir, 'reg.csv'), 'utf8'));
    expect(head).toEqual(['prediction']);
    const p = lib.predict(X);
    expect(numbers(rows)).toEqual(p);
    const metrics = JSON.parse(grove(['evaluate', '--model', model, trainCsv, '--format', 'json']).stdout);
    expect(metrics).toEqual({ rmse: rmse(train.reg, p), mae: mae(train.reg, p), r2: r2Score(train.reg, p) });
    expect(metrics.r2).toBeGreaterThan(0.9);
    const text = grove(['evaluate', '--model', model, trainCsv]);
    expect(text.stdout).toBe(`reg:squarederror model, 20 rounds, 2 features; 300 rows of ${trainCsv}, target "reg"\n`
      + `rmse      ${Number(metrics.rmse.toPrecision(6))}\nmae       ${Number(metrics.mae.toPrecision(6))}\nr2        ${Number(metrics.r2.toPrecision(6))}\n`);
  });

  test('multiclass with --valid and --early-stopping: evaluate equals the library\'s mlogloss / merror', () => {
    const model = join(dir, 'cls3.json');
    const args = ['train', trainCsv, '--target', 'cls3', '--drop', 'binary,reg', '--objective', 'multi:softprob', '--valid', validCsv, '--early-stopping', '2', '--eval-metric', 'merror', '--param', 'nEstimators=50', '--out', model];
    const run = grove(args);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(''); // objective given, stderr not a terminal
    const lib = GradientBoostingClassifier.fromJSON(readFileSync(model, 'utf8'));
    expect(lib.classes).toEqual([0, 1, 2]);
    // merror bottoms out on the validation rows within a few rounds (one row in 100 at most stays
    // wrong), then cannot improve: 2 more and stop
    const rounds = lib.model.trees.tree_info.length / 3;
    expect(rounds).toBeLessThan(50);
    const Xv = valid.X.map((row) => row.map((v) => v ?? NaN));
    const p = lib.predictProba(Xv);
    const merror = multiError(valid.cls3, p, 3);
    expect(merror).toBeLessThanOrEqual(0.01);
    const metrics = JSON.parse(grove(['evaluate', '--model', model, validCsv, '--format', 'json']).stdout);
    expect(metrics).toEqual({ mlogloss: multiLogLoss(valid.cls3, p, 3), merror, accuracy: 1 - merror });
  });

  test('--param nThreads=2 trains the same model as one thread', () => {
    const one = join(dir, 'threads1.json');
    const two = join(dir, 'threads2.json');
    for (const [out, threads] of [[one, '1'], [two, '2']]) {
      expect(grove(['train', trainCsv, '--target', 'binary', '--drop', 'reg,cls3', '--param', 'nEstimators=5', '--param', `nThreads=${threads}`, '--out', out]).status).toBe(0);
    }
    expect(readFileSync(two, 'utf8')).toBe(readFileSync(one, 'utf8'));
  });

  test('--no-header, --target by index, gzip\'d input and stdin give the same model and predictions', () => {
    const plain = readFileSync(trainCsv, 'utf8').split('\n').slice(1).join('\n');
    const gz = file('headerless.csv.gz', gzipSync(plain));
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    expect(grove(['train', trainCsv, '--target', 'cls3', '--drop', 'binary,reg', '--objective', 'multi:softprob', '--param', 'nEstimators=3', '--out', a]).status).toBe(0);
    expect(grove(['train', gz, '--no-header', '--target', '3', '--drop', '2,4', '--objective', 'multi:softprob', '--param', 'nEstimators=3', '--out', b]).status).toBe(0);
    const ma = JSON.parse(readFileSync(a, 'utf8'));
    const mb = JSON.parse(readFileSync(b, 'utf8'));
    expect(mb.featureNames).toEqual(['c0', 'c1']);
    expect(mb.target).toBe('c3');
    expect(mb.trees).toEqual(ma.trees);
    const want = grove(['predict', '--model', a, trainCsv, '--proba']).stdout;
    expect(grove(['predict', '--model', b, gz, '--no-header', '--proba']).stdout).toBe(want);
    expect(grove(['predict', '--model', a, '-', '--proba'], readFileSync(trainCsv, 'utf8')).stdout).toBe(want);
  });

  test('errors: exit 2 with one line on stderr', () => {
    const model = join(dir, 'binary.json'); // written by the first test, as reg.json by the second
    const cat = file('cat.csv', 'workclass,age,y\n1,30,0\nPrivate,40,1\n');
    const ragged = file('ragged.csv', 'x0,x1,y\n1,2,0\n3,4\n');
    const cases: Array<[string[], RegExp]> = [
      [['train', cat, '--target', 'y', '--out', 'm.json'], /^grove: .*cat\.csv: categorical column "workclass" \(line 3: "Private"\): encode it as numbers \(one-hot or codes\) first\n$/],
      [['train', ragged, '--target', 'y', '--out', 'm.json'], /ragged\.csv:3: expected 3 fields like the header, got 2\n$/],
      [['predict', '--model', model, ragged], /ragged\.csv:3: expected 3 fields like the header, got 2/],
      [['train', trainCsv, '--target', 'nope', '--out', 'm.json'], /--target "nope": .*train\.csv has no such column \(columns: "x0", "x1", "binary", "cls3", "reg"\)/],
      [['train', trainCsv, '--out', 'm.json'], /--target COL is required/],
      [['train', trainCsv, '--target', 'binary'], /--out MODEL is required/],
      [['train', trainCsv, '--target', 'binary', '--out', 'm.json', '--param', 'depth=3'], /--param depth: unknown option \(known: nEstimators, learningRate, maxDepth, .*seed, nThreads\)/],
      [['train', trainCsv, '--target', 'binary', '--out', 'm.json', '--param', 'maxDepth=0'], /train: --param maxDepth must be an integer in \[1, 30\]\. Got 0/],
      [['train', trainCsv, '--target', 'binary', '--out', 'm.json', '--param', 'learningRate=fast'], /--param learningRate must be a number\. Got "fast"/],
      [['train', trainCsv, '--target', 'binary', '--out', 'm.json', '--param', 'maxDepth'], /--param must be NAME=VALUE\. Got "maxDepth"/],
      [['train', trainCsv, '--target', 'binary', '--out', 'm.json', '--early-stopping', '5'], /--early-stopping needs --valid FILE/],
      [['train', trainCsv, '--target', 'binary', '--out', 'm.json', '--objective', 'binary:logistic', '--eval-metric', 'merror', '--valid', validCsv], /--eval-metric merror does not fit binary:logistic \(use logloss, error, auc, rmse, mae\)/],
      [['train', trainCsv, '--target', 'cls3', '--drop', 'binary', '--out', 'm.json', '--objective', 'binary:logistic'], /binary:logistic needs a target with 2 classes; "cls3" has 3 distinct values/],
      [['train', trainCsv, '--target', 'binary', '--out', 'm.json', '--objective', 'reg:squarederror'], /train\.csv:2: binary = "no" is not a number \(a regression target must be numeric\)/],
      [['train', trainCsv, '--target', 'binary', '--drop', 'binary', '--out', 'm.json'], /--drop leaves out the target column "binary"/],
      [['train', trainCsv, '--target', 'binary', '--model', 'forest', '--out', 'm.json'], /--model must be one of gbdt\. Got forest/],
      [['train', join(dir, 'absent.csv'), '--target', 'y', '--out', 'm.json'], /absent\.csv: no such file or directory/],
      [['predict', '--model', join(dir, 'reg.json'), trainCsv, '--proba'], /--proba applies to classifiers; .*reg\.json is a regression model/],
      [['predict', '--model', model, file('few.csv', 'x0,y\n1,2\n')], /few\.csv has no column "x1", a feature of the model/],
      [['predict', '--model', trainCsv, trainCsv], /train\.csv: not a JSON model file/],
      [['predict', '--model', file('other.json', '{"format":"other"}'), trainCsv], /other\.json: modelFromJSON: format is "other", expected "grove-boost"/],
      [['predict', trainCsv], /--model MODEL is required/],
      [['evaluate', '--model', model, file('unseen.csv', 'x0,x1,binary\n0.1,0.2,maybe\n')], /unseen\.csv:2: binary = "maybe" is not one of the model's classes \("no", "yes"\)/],
      [['evaluate', '--model', model, trainCsv, '--target', 'x0'], /--target "x0" is a feature of the model/],
      [['evaluate', '--model', model, trainCsv, '--format', 'xml'], /--format must be one of text, json/],
    ];
    for (const [args, message] of cases) {
      const run = grove(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stdout, args.join(' ')).toBe('');
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(existsSync(join(dir, 'm.json'))).toBe(false);
  });

  test('--out is replaced only when the run succeeds', () => {
    const out = file('kept.json', 'earlier\n');
    const run = grove(['train', file('bad.csv', 'a,y\n1,0\nx,1\n'), '--target', 'y', '--out', out]);
    expect(run.status).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('earlier\n');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  test('--help of each command', () => {
    for (const [command, flags] of [
      ['train', ['--target', '--no-header', '--drop', '--valid', '--model', '--objective', '--tree-method', '--param', '--early-stopping', '--eval-metric', '--out']],
      ['predict', ['--model', '--no-header', '--drop', '--proba', '--out']],
      ['evaluate', ['--model', '--target', '--no-header', '--drop', '--format']],
    ] as const) {
      const run = grove([command, '--help']);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: grove ${command} `));
      for (const flag of flags) expect(run.stdout).toContain(flag);
    }
    expect(grove(['--help']).stdout).toMatch(/train .*\n {2}predict .*\n {2}evaluate /);
  });
});

const shared = sharedDir('data/xgboost-models');

describe.skipIf(!shared.present)(`grove predict / evaluate on XGBoost 1.7.4 models${shared.skipReason}`, () => {
  const manifest = shared.present ? JSON.parse(readFileSync(join(shared.path, 'MANIFEST.json'), 'utf8')) : { fixtures: {} };
  const names = Object.keys(manifest.fixtures);

  type Fixture = { feature_names: string[]; X: (number | null)[][]; y: number[]; prob: number[] | number[][] };

  /** The fixture's data, and its rows as CSV: `named` (header; target first, then the features reversed) and `plain` (no header, the features in order). */
  function fixture(name: string): { model: string; data: Fixture; named: string; plain: string } {
    const data = JSON.parse(readFileSync(join(shared.path, `${name}.data.json`), 'utf8')) as Fixture;
    const k = data.feature_names.length;
    const order = data.feature_names.map((_, j) => k - 1 - j);
    const named = file(`${name}.named.csv`, [['target', ...order.map((j) => data.feature_names[j])].join(','), ...data.X.map((row, i) => [data.y[i], ...order.map((j) => csvCell(row[j]))].join(','))].join('\n'));
    const plain = file(`${name}.plain.csv`, data.X.map((row) => row.map(csvCell).join(',')).join('\n'));
    return { model: join(shared.path, `${name}.json`), data, named, plain };
  }

  test.each(names)('%s: predictions equal XGBoost\'s, columns by name or in order', (name) => {
    const { model, data, named, plain } = fixture(name);
    const objective = manifest.fixtures[name].objective as string;
    const prob = Float32Array.from(data.prob.flat());
    for (const args of [[named], [plain, '--no-header']]) {
      const run = grove(['predict', '--model', model, ...args, ...(objective === 'reg:squarederror' ? [] : ['--proba'])]);
      expect(run.status, run.stderr).toBe(0);
      const [head, ...rows] = csvRows(run.stdout);
      if (objective === 'binary:logistic') {
        expect(head).toEqual(['p_0', 'p_1']);
        expect(numbers(rows.map((r) => [r[1]]))).toEqual(prob);
        expect(numbers(rows.map((r) => [r[0]]))).toEqual(prob.map((p) => 1 - p));
      } else {
        expect(head).toEqual(objective === 'multi:softprob' ? ['p_0', 'p_1', 'p_2'] : ['prediction']);
        expect(numbers(rows)).toEqual(prob);
      }
    }

    // metrics from XGBoost's own predictions, by their definitions
    const n = data.y.length;
    const metrics = JSON.parse(grove(['evaluate', '--model', model, named, '--target', 'target', '--format', 'json']).stdout);
    const mean = (f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i)).reduce((s, v) => s + v, 0) / n;
    if (objective === 'binary:logistic') {
      let wins = 0;
      let pairs = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (data.y[i] === 1 && data.y[j] === 0) {
        pairs++;
        wins += prob[i] > prob[j] ? 1 : prob[i] === prob[j] ? 0.5 : 0;
      }
      expect(metrics.auc).toBeCloseTo(wins / pairs, 12);
      expect(metrics.logloss).toBeCloseTo(mean((i) => -Math.log(data.y[i] === 1 ? prob[i] : 1 - prob[i])), 12);
      expect(metrics.error).toBeCloseTo(mean((i) => ((prob[i] > 0.5 ? 1 : 0) !== data.y[i] ? 1 : 0)), 12);
    } else if (objective === 'multi:softprob') {
      const argmax = (i: number) => [0, 1, 2].reduce((b, j) => (prob[3 * i + j] > prob[3 * i + b] ? j : b), 0);
      expect(metrics.mlogloss).toBeCloseTo(mean((i) => -Math.log(prob[3 * i + data.y[i]])), 12);
      expect(metrics.merror).toBeCloseTo(mean((i) => (argmax(i) === data.y[i] ? 0 : 1)), 12);
      expect(metrics.accuracy).toBeCloseTo(1 - metrics.merror, 15);
    } else {
      const avg = mean((i) => data.y[i]);
      const sse = mean((i) => (data.y[i] - prob[i]) ** 2);
      expect(metrics.rmse).toBeCloseTo(Math.sqrt(sse), 9);
      expect(metrics.mae).toBeCloseTo(mean((i) => Math.abs(data.y[i] - prob[i])), 9);
      expect(metrics.r2).toBeCloseTo(1 - sse / mean((i) => (data.y[i] - avg) ** 2), 12);
    }
  });

  test('an XGBoost model without a target needs --target; a file with a column too many is refused', () => {
    const { model, data, named, plain } = fixture(names[0]);
    const run = grove(['evaluate', '--model', model, named]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--target COL is required \(.* does not name the column it learned\)/);
    const extra = file('extra.csv', readFileSync(plain, 'utf8').replace(/^(.*)$/gm, '$1,7'));
    const k = data.feature_names.length;
    const wide = grove(['predict', '--model', model, extra, '--no-header']);
    expect(wide.status).toBe(2);
    expect(wide.stderr).toMatch(new RegExp(`extra\\.csv has ${k + 1} feature columns .*, the model takes ${k}; the model names its features, but the file has no header, so columns are taken in order: leave others out with --drop`));
    expect(grove(['predict', '--model', model, extra, '--no-header', '--drop', String(k)]).stdout).toBe(grove(['predict', '--model', model, plain, '--no-header']).stdout);
  });
});
