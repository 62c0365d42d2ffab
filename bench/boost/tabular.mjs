/**
 * The public tabular sets of ../shared/data/tabular (SOURCES.md there), turned into float32
 * matrices the way the anchors prepare them:
 *   higgs7k, lgbm_multiclass5  label in the first column, the files' own train/test split
 *   adult                      no header, `?` = missing, the 8 string columns ordinal-encoded by
 *                              sorted training category (a test category unseen in training is
 *                              missing), label `>50K` / `>50K.` = 1; the files' own split
 *   covertype75k               Wilderness_Area and Soil_Type ordinal-encoded by sorted category,
 *                              Cover_Type 1–7 → class 0–6; row i is a test row iff i % 5 == 4
 *   california_housing         ocean_proximity ordinal-encoded by sorted category, empty field =
 *                              missing, target median_house_value / 1e5; split as covertype
 * The files are small (≤ 4 MB unpacked) and plain (no quoted fields), so a line split suffices.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const ADULT_CATEGORICAL = [1, 3, 5, 6, 7, 8, 9, 13];

export const TABULAR = {
  higgs7k: (dir) => ({ ...fileSplit('higgs7k', labelFirst, dir), task: 'binary', numClass: 2 }),
  adult: adult,
  lgbm_multiclass5: (dir) => ({ ...fileSplit('lgbm_multiclass5', labelFirst, dir), task: 'multiclass', numClass: 5 }),
  covertype75k: (dir) => moduloSplit(dir, 'covertype75k', 'Cover_Type', (v) => Number(v) - 1, { task: 'multiclass', numClass: 7 }),
  california: (dir) => moduloSplit(dir, 'california_housing', 'median_house_value', (v) => Number(v) / 1e5, { task: 'regression', numClass: 1 }),
};

/** The records of a gzip'd CSV file, fields trimmed. */
function records(file) {
  return gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter((line) => line.trim() !== '').map((line) => line.split(',').map((f) => f.trim()));
}

function number(text, where) {
  if (text === '' || text === '?' || text === 'NA') return NaN;
  const x = Number(text);
  if (!Number.isFinite(x)) throw new Error(`${where}: "${text}" is not a number`);
  return x;
}

/** Rows of numbers (label first) → { cols, x, y }. */
function labelFirst(rows, file) {
  const cols = rows[0].length - 1;
  const x = new Float32Array(rows.length * cols);
  const y = new Float32Array(rows.length);
  rows.forEach((r, i) => {
    y[i] = number(r[0], `${file} row ${i + 1}`);
    for (let c = 0; c < cols; c++) x[i * cols + c] = number(r[c + 1], `${file} row ${i + 1}`);
  });
  return { cols, x, y };
}

function fileSplit(name, parse, dir, header = true) {
  const part = (which) => {
    const file = join(dir, `${name}_${which}.csv.gz`);
    return parse(records(file).slice(header ? 1 : 0), file);
  };
  const train = part('train');
  const test = part('test');
  return { cols: train.cols, xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y };
}

/** category → code by sorted category; `?` and empty fields stay missing. */
function categoryCodes(values) {
  const sorted = [...new Set(values.filter((v) => v !== '?' && v !== ''))].sort();
  return new Map(sorted.map((v, i) => [v, i]));
}

function adult(dir) {
  const trainRows = records(join(dir, 'adult_train.csv.gz'));
  const codes = new Map(ADULT_CATEGORICAL.map((c) => [c, categoryCodes(trainRows.map((r) => r[c]))]));
  const parse = (rows, file) => {
    const cols = 14;
    const x = new Float32Array(rows.length * cols);
    const y = new Float32Array(rows.length);
    rows.forEach((r, i) => {
      for (let c = 0; c < cols; c++) x[i * cols + c] = codes.has(c) ? (codes.get(c).get(r[c]) ?? NaN) : number(r[c], `${file} row ${i + 1}`);
      y[i] = r[14].startsWith('>50K') ? 1 : 0;
    });
    return { cols, x, y };
  };
  return { ...fileSplit('adult', parse, dir, false), task: 'binary', numClass: 2 };
}

function moduloSplit(dir, name, target, label, info) {
  const [head, ...rows] = records(join(dir, `${name}.csv.gz`));
  const t = head.indexOf(target);
  const features = head.map((_, c) => c).filter((c) => c !== t);
  const codes = new Map(features.filter((c) => rows.some((r) => r[c] !== '' && Number.isNaN(Number(r[c])))).map((c) => [c, categoryCodes(rows.map((r) => r[c]))]));
  const cols = features.length;
  const nTest = Math.floor((rows.length + 1) / 5);
  const xTrain = new Float32Array((rows.length - nTest) * cols);
  const yTrain = new Float32Array(rows.length - nTest);
  const xTest = new Float32Array(nTest * cols);
  const yTest = new Float32Array(nTest);
  let train = 0;
  let test = 0;
  rows.forEach((r, i) => {
    const isTest = i % 5 === 4;
    const [x, y, at] = isTest ? [xTest, yTest, test++] : [xTrain, yTrain, train++];
    features.forEach((c, j) => (x[at * cols + j] = codes.has(c) ? codes.get(c).get(r[c]) ?? NaN : number(r[c], `${name} row ${i + 2}`)));
    y[at] = label(r[t]);
  });
  return { ...info, cols, xTrain, yTrain, xTest, yTest };
}
