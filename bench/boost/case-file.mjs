/**
 * The file every contestant of bench:boost reads, so that all of them start from the same float32
 * values and none pays for parsing text inside its timed sections:
 *   header  8 × uint32 little-endian: magic "GBC1", task (0 regression, 1 binary, 2 multiclass),
 *           numClass (1 for regression), cols, nTrain, nTest, 0, 0
 *   xTrain  float32[nTrain × cols]  row-major, NaN = missing
 *   yTrain  float32[nTrain]         regression target, 0/1, or class index 0 … numClass − 1
 *   xTest   float32[nTest × cols]
 *   yTest   float32[nTest]
 * A run may use only the first rows of the training set (the synthetic cases share one file).
 * run_xgboost.py reads the same layout with numpy.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

const MAGIC = 0x31434247; // "GBC1" read as a little-endian uint32
const HEADER = 32;
export const TASKS = ['regression', 'binary', 'multiclass'];

/** Writes `{ task, numClass, cols, xTrain, yTrain, xTest, yTest }` (Float32Arrays) to `path`. */
export function writeCase(path, { task, numClass, cols, xTrain, yTrain, xTest, yTest }) {
  if (xTrain.length !== yTrain.length * cols || xTest.length !== yTest.length * cols) throw new Error('writeCase: X and y lengths disagree');
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, new Uint32Array([MAGIC, TASKS.indexOf(task), numClass, cols, yTrain.length, yTest.length, 0, 0]));
    for (const a of [xTrain, yTrain, xTest, yTest]) writeSync(fd, a);
  } finally {
    closeSync(fd);
  }
}

/**
 * The case's arrays, the training set cut to its first `trainRows` rows; only those bytes are
 * read, so that a run on a subset holds no more memory than the subset.
 */
export function readCase(path, trainRows = Infinity) {
  const fd = openSync(path, 'r');
  try {
    const read = (array, at) => {
      const bytes = new Uint8Array(array.buffer);
      if (readSync(fd, bytes, 0, bytes.length, at) !== bytes.length) throw new Error(`${path} is not a bench:boost case file (too short)`);
      return array;
    };
    const [magic, taskCode, numClass, cols, nTrain, nTest] = read(new Uint32Array(6), 0);
    if (magic !== MAGIC || fstatSync(fd).size !== HEADER + 4 * (nTrain + nTest) * (cols + 1)) throw new Error(`${path} is not a bench:boost case file`);
    const n = Math.min(nTrain, trainRows);
    const f32 = (offset, length) => read(new Float32Array(length), HEADER + 4 * offset);
    const testAt = nTrain * (cols + 1);
    return {
      task: TASKS[taskCode],
      numClass,
      cols,
      xTrain: f32(0, n * cols),
      yTrain: f32(nTrain * cols, n),
      xTest: f32(testAt, nTest * cols),
      yTest: f32(testAt + nTest * cols, nTest),
    };
  } finally {
    closeSync(fd);
  }
}

/**
 * `rows` rows cycling through `x` (rows of `cols` values) from its first row: the prediction
 * workload, of the same size for every case; the test set is its prefix when rows ≥ its length.
 */
export function tileRows(x, cols, rows) {
  const out = new Float32Array(rows * cols);
  for (let at = 0; at < out.length; at += x.length) out.set(x.subarray(0, Math.min(x.length, out.length - at)), at);
  return out;
}
