/**
 * Plain TypeScript prediction over a `BoostedModel`: the reference the WASM walker is tested
 * against (probabilities still come from the kernel: they are not the walker's).
 *
 * XGBoost 1.7's rule, which reproduces its margins bit for bit: each value is read as float32;
 * at a split a row goes left when `x < split_condition`, and when x is NaN left iff
 * `default_left`; the margin of class `tree_info[t]` starts at `baseMargin(model)` and adds
 * tree t's leaf value in tree order, rounding to float32 after each addition.
 *
 * Input: a dense row-major matrix with `numFeature` columns, NaN = missing.
 */
import { GroveArgumentError } from '../runtime/errors.js';
import { baseMargin, numGroups, predictionsFromMargins, probaFromMargins, validateModel, type BoostedModel, type ForestArrays } from './model.js';

export interface DenseRows {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

/** Margins, `rows × numGroups(model)` row-major (one column unless softprob). */
export function predictRaw(model: BoostedModel, X: DenseRows): Float32Array {
  checkInput(model, X, 'predictRaw');
  const trees = model.trees;
  const { tree_info: info, tree_offsets: offsets, split_conditions: value } = trees;
  const groups = numGroups(model);
  const out = new Float32Array(X.rows * groups).fill(baseMargin(model));
  for (let r = 0; r < X.rows; r++) {
    for (let t = 0; t < info.length; t++) {
      // A Float32Array store rounds the float64 sum of two float32 values exactly as a float32 add.
      out[r * groups + info[t]] += value[offsets[t] + leafOf(trees, offsets[t], X.data, r * X.cols)];
    }
  }
  return out;
}

/** Leaf node ids (local to each tree), `rows × nTrees` row-major, as XGBoost's `pred_leaf`. */
export function predictLeaf(model: BoostedModel, X: DenseRows): Int32Array {
  checkInput(model, X, 'predictLeaf');
  const trees = model.trees;
  const n = trees.tree_info.length;
  const out = new Int32Array(X.rows * n);
  for (let r = 0; r < X.rows; r++) {
    for (let t = 0; t < n; t++) out[r * n + t] = leafOf(trees, trees.tree_offsets[t], X.data, r * X.cols);
  }
  return out;
}

/** Probabilities, `rows × numClass` row-major (binary: [1 − p, p]); classifiers only. */
export function predictProba(model: BoostedModel, X: DenseRows): Float32Array {
  if (model.objective === 'reg:squarederror') throw new GroveArgumentError('predictProba: reg:squarederror is a regression objective');
  return probaFromMargins(model, predictRaw(model, X));
}

/** One value per row: the regression value, or the class index for classifiers. */
export function predict(model: BoostedModel, X: DenseRows): Float32Array {
  return predictionsFromMargins(model, predictRaw(model, X));
}

/** Local id of the leaf that the row starting at `data[base]` reaches in the tree at `offset`. */
function leafOf(trees: ForestArrays, offset: number, data: Float32Array | Float64Array, base: number): number {
  const { left_children: left, right_children: right, split_indices: feature, split_conditions: cond, default_left: dleft } = trees;
  let node = 0;
  for (;;) {
    const g = offset + node;
    if (left[g] === -1) return node;
    const x = Math.fround(data[base + feature[g]]);
    node = x < cond[g] || (x !== x && dleft[g] === 1) ? left[g] : right[g];
  }
}

// Models already validated, so repeated calls on one model cost O(rows) only.
const checked = new WeakSet<BoostedModel>();

function checkInput(model: BoostedModel, X: DenseRows, fn: string): void {
  if (!checked.has(model)) {
    validateModel(model, fn);
    checked.add(model);
  }
  if (X === null || typeof X !== 'object' || !(X.data instanceof Float32Array || X.data instanceof Float64Array)) {
    throw new GroveArgumentError(`${fn}: X must be { data: Float32Array | Float64Array, rows, cols }`);
  }
  const { data, rows, cols } = X;
  if (!(Number.isInteger(rows) && rows >= 0)) throw new GroveArgumentError(`${fn}: X.rows must be a non-negative integer, got ${rows}`);
  if (cols !== model.numFeature) throw new GroveArgumentError(`${fn}: X has ${cols} columns, the model expects ${model.numFeature}`);
  if (data.length !== rows * cols) throw new GroveArgumentError(`${fn}: X.data has ${data.length} values, expected rows × cols = ${rows * cols}`);
}
