/**
 * A fitted boosted forest, the one shape the trainer produces, the WASM walker and the reference
 * predictor read, and the JSON/bytes/XGBoost formats store.
 *
 * Contract of `BoostedModel` (a plain object; estimators hold one):
 * - `objective`: `reg:squarederror`, `binary:logistic` or `multi:softprob`. `numClass` is 1 for
 *   regression, 2 for `binary:logistic` and the number of classes (≥ 2) for `multi:softprob`.
 *   A boosting round adds `numGroups(model)` trees (1, or `numClass` for softprob); tree t adds
 *   to the margin of class `tree_info[t]`.
 * - `baseScore` is the initial prediction as the user gives it (a probability for
 *   `binary:logistic`, like XGBoost's `base_score`); the margin starts at `baseMargin(model)`,
 *   XGBoost's float32 `ProbToMargin` of it.
 * - Rows have exactly `numFeature` columns; `featureNames`, when present, has one name each.
 * - `trees` holds every tree in structure-of-arrays form (`ForestArrays`), with XGBoost's JSON
 *   field names so XGBoost import/export is a field mapping.
 *
 * `ForestArrays` layout: the nodes of tree t are the global indices
 * [tree_offsets[t], tree_offsets[t + 1]); node ids inside a tree (children, `predictLeaf`) are
 * local, 0 = the root. Per node:
 * - `left_children` / `right_children`: local child ids, both −1 for a leaf;
 * - `split_indices`: feature of a split (0 at a leaf); `split_conditions`: a row goes left when
 *   `x < split_condition` (x as float32, strict), and when x is NaN (missing) left iff
 *   `default_left` is 1. At a leaf `split_conditions` holds the leaf value (η already applied),
 *   as in XGBoost;
 * - stats: `base_weights` (the node's weight before η), `sum_hessian` (cover), `loss_changes`
 *   (the split's gain, 0 at leaves).
 * - Deleted nodes (XGBoost keeps the nodes its pruner removed, so node ids stay stable): leaves
 *   unreachable from the root, marked by `split_indices` = 2³¹ − 1 and `default_left` = 1.
 *   Every node is either reachable from the root exactly once or deleted; every float is finite.
 *
 * Float fields are float32 as in XGBoost. XGBoost JSON and Grove's bytes keep every value;
 * Grove's JSON, once turned into text by `JSON.stringify`, brings −0 back as 0 (predictions do
 * not change).
 */
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import { marginProba } from './predict.js';

export type BoostObjective = 'reg:squarederror' | 'binary:logistic' | 'multi:softprob';

export const BOOST_OBJECTIVES: readonly BoostObjective[] = ['reg:squarederror', 'binary:logistic', 'multi:softprob'];

/** XGBoost's marker for a node its pruner deleted (`split_indices`, with `default_left` = 1). */
export const DELETED_SPLIT_INDEX = 0x7fffffff;

/** Per-node arrays of one tree, XGBoost's names (local node ids). */
export interface TreeArrays {
  left_children: Int32Array;
  right_children: Int32Array;
  split_indices: Int32Array;
  split_conditions: Float32Array;
  default_left: Uint8Array;
  base_weights: Float32Array;
  sum_hessian: Float32Array;
  loss_changes: Float32Array;
}

/** All trees concatenated (see the layout above). */
export interface ForestArrays extends TreeArrays {
  /** nTrees + 1 entries: tree t owns nodes [tree_offsets[t], tree_offsets[t + 1]). */
  tree_offsets: Uint32Array;
  /** Class (output group) of each tree. */
  tree_info: Int32Array;
}

export interface BoostedModel {
  objective: BoostObjective;
  numClass: number;
  numFeature: number;
  baseScore: number;
  featureNames?: readonly string[];
  /** Classifiers: the label of each class index (the estimator's `classes`); default 0 … numClass − 1. */
  classes?: ReadonlyArray<number | string>;
  trees: ForestArrays;
}

/** The per-node field names, in storage order (serialisers iterate over them). */
export const NODE_FIELDS = [
  'left_children',
  'right_children',
  'split_indices',
  'split_conditions',
  'default_left',
  'base_weights',
  'sum_hessian',
  'loss_changes',
] as const satisfies readonly (keyof TreeArrays)[];

/** Trees added per boosting round: `numClass` for softprob, else 1. */
export function numGroups(model: Pick<BoostedModel, 'objective' | 'numClass'>): number {
  return model.objective === 'multi:softprob' ? model.numClass : 1;
}

/**
 * The initial margin, computed as XGBoost 1.7 does in float32: −log(1/p − 1) for
 * `binary:logistic`, the score itself otherwise.
 */
export function baseMargin(model: Pick<BoostedModel, 'objective' | 'baseScore'>): number {
  const f = Math.fround;
  const p = f(model.baseScore);
  return model.objective === 'binary:logistic' ? f(-Math.log(f(f(1 / p) - 1))) : p;
}

/** The shortest decimal (as a number) that reads back as the float32 `x`. */
export function float32Decimal(x: number): number {
  if (x === 0) return x; // toPrecision would drop the sign of −0
  // Starting at six digits loses nothing: when a shorter decimal reads back as x, x lies within
  // 2⁻²⁴·|x| of it, so the six-digit rounding of x is that decimal padded with zeros. Nine digits
  // always read back.
  for (let digits = 6; digits < 9; digits++) {
    const d = Number(x.toPrecision(digits));
    if (Math.fround(d) === x) return d;
  }
  return x;
}

/** Concatenates trees into `ForestArrays`; `treeInfo[t]` is tree t's class. */
export function forestFromTrees(trees: readonly TreeArrays[], treeInfo: ArrayLike<number>): ForestArrays {
  if (treeInfo.length !== trees.length) throw new GroveArgumentError(`forestFromTrees: ${trees.length} trees but ${treeInfo.length} tree_info entries`);
  const tree_offsets = new Uint32Array(trees.length + 1);
  trees.forEach((t, i) => (tree_offsets[i + 1] = tree_offsets[i] + t.left_children.length));
  const n = tree_offsets[trees.length];
  const out = {
    tree_offsets,
    tree_info: Int32Array.from(treeInfo),
    left_children: new Int32Array(n),
    right_children: new Int32Array(n),
    split_indices: new Int32Array(n),
    split_conditions: new Float32Array(n),
    default_left: new Uint8Array(n),
    base_weights: new Float32Array(n),
    sum_hessian: new Float32Array(n),
    loss_changes: new Float32Array(n),
  };
  trees.forEach((t, i) => {
    for (const name of NODE_FIELDS) {
      if (t[name].length !== t.left_children.length) throw new GroveArgumentError(`forestFromTrees: tree ${i}: ${name} has ${t[name].length} entries, left_children ${t.left_children.length}`);
      out[name].set(t[name], tree_offsets[i]);
    }
  });
  return out;
}

/** Tree t's nodes as views into the forest's arrays. */
export function treeAt(forest: ForestArrays, t: number): TreeArrays {
  const lo = forest.tree_offsets[t];
  const hi = forest.tree_offsets[t + 1];
  const view = <A extends Int32Array | Float32Array | Uint8Array>(a: A): A => a.subarray(lo, hi) as A;
  return {
    left_children: view(forest.left_children),
    right_children: view(forest.right_children),
    split_indices: view(forest.split_indices),
    split_conditions: view(forest.split_conditions),
    default_left: view(forest.default_left),
    base_weights: view(forest.base_weights),
    sum_hessian: view(forest.sum_hessian),
    loss_changes: view(forest.loss_changes),
  };
}

/**
 * Per-node parent ids of one tree for XGBoost's `parents` field: 2³¹ − 1 at the root, 0 for
 * deleted nodes (whose former parent is not kept; XGBoost 1.7 dereferences every non-root
 * node's parent on load and crashes on an out-of-range one, and accepts 0).
 */
export function parentsOf(tree: TreeArrays): Int32Array {
  const parents = new Int32Array(tree.left_children.length);
  parents[0] = 0x7fffffff;
  for (let i = 0; i < parents.length; i++) {
    if (tree.left_children[i] === -1) continue;
    parents[tree.left_children[i]] = i;
    parents[tree.right_children[i]] = i;
  }
  return parents;
}

/** The typed-array class of each `ForestArrays` field (readers build and check with it). */
export const FOREST_TYPES = {
  tree_offsets: Uint32Array,
  tree_info: Int32Array,
  left_children: Int32Array,
  right_children: Int32Array,
  split_indices: Int32Array,
  split_conditions: Float32Array,
  default_left: Uint8Array,
  base_weights: Float32Array,
  sum_hessian: Float32Array,
  loss_changes: Float32Array,
} as const satisfies { [K in keyof ForestArrays]: new (n: number) => ForestArrays[K] };

/** What is wrong with `model`, or undefined when it satisfies the contract above. */
export function modelProblem(model: BoostedModel): string | undefined {
  if (model === null || typeof model !== 'object') return `expected a model object, got ${model === null ? 'null' : typeof model}`;
  const { objective, numClass, numFeature, baseScore, featureNames, trees } = model;
  if (!BOOST_OBJECTIVES.includes(objective)) return `objective ${JSON.stringify(objective)} is not one of ${BOOST_OBJECTIVES.join(', ')}`;
  const expectedClasses = objective === 'reg:squarederror' ? 1 : objective === 'binary:logistic' ? 2 : undefined;
  if (expectedClasses !== undefined ? numClass !== expectedClasses : !(Number.isInteger(numClass) && numClass >= 2)) {
    return `numClass ${numClass} does not fit ${objective} (expected ${expectedClasses ?? 'an integer ≥ 2'})`;
  }
  if (!(Number.isInteger(numFeature) && numFeature >= 1 && numFeature < DELETED_SPLIT_INDEX)) return `numFeature must be a positive integer, got ${numFeature}`;
  if (typeof baseScore !== 'number' || !Number.isFinite(Math.fround(baseScore))) return `baseScore must be a finite number, got ${baseScore}`;
  if (objective === 'binary:logistic' && !(Math.fround(baseScore) > 0 && Math.fround(baseScore) < 1)) return `baseScore must be a probability in (0, 1) for binary:logistic, got ${baseScore}`;
  if (featureNames !== undefined) {
    if (!Array.isArray(featureNames) || featureNames.length !== numFeature || !featureNames.every((s) => typeof s === 'string')) {
      return `featureNames must be ${numFeature} strings (one per feature)`;
    }
  }
  if (model.classes !== undefined) {
    const c = model.classes;
    if (objective === 'reg:squarederror') return 'classes is for classifiers only';
    if (!Array.isArray(c) || c.length !== numClass || !c.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) || new Set(c).size !== c.length) {
      return `classes must be ${numClass} distinct labels (strings or finite numbers)`;
    }
  }
  if (trees === null || typeof trees !== 'object') return 'trees is missing';
  for (const name of Object.keys(FOREST_TYPES) as (keyof ForestArrays)[]) {
    if (!(trees[name] instanceof FOREST_TYPES[name])) return `trees.${name} must be a ${FOREST_TYPES[name].name}`;
  }
  const { tree_offsets: offsets, tree_info: info } = trees;
  const n = trees.left_children.length;
  if (offsets.length !== info.length + 1) return `trees.tree_offsets has ${offsets.length} entries for ${info.length} trees (expected ${info.length + 1})`;
  if (offsets[0] !== 0 || offsets[info.length] !== n) return `trees.tree_offsets must run from 0 to the node count ${n}, got ${offsets[0]} … ${offsets[info.length]}`;
  for (const name of NODE_FIELDS) if (trees[name].length !== n) return `trees.${name} has ${trees[name].length} entries, expected ${n} (one per node)`;
  const groups = numGroups(model);
  for (let t = 0; t < info.length; t++) {
    if (!(info[t] >= 0 && info[t] < groups)) return `tree ${t}: tree_info ${info[t]} is not a class in [0, ${groups})`;
    if (offsets[t + 1] <= offsets[t]) return `tree ${t} has no nodes (tree_offsets must increase)`;
    const problem = treeProblem(treeAt(trees, t), numFeature);
    if (problem) return `tree ${t}: ${problem}`;
  }
  return undefined;
}

/** One tree: finite values, and every node reached from the root exactly once or deleted. */
function treeProblem(tree: TreeArrays, numFeature: number): string | undefined {
  const { left_children: left, right_children: right, split_indices: feature, split_conditions: cond, default_left: dleft } = tree;
  const n = left.length;
  for (let i = 0; i < n; i++) {
    const isLeaf = left[i] === -1 && right[i] === -1;
    if (!Number.isFinite(cond[i])) return isLeaf ? `leaf ${i} has value ${cond[i]}` : `node ${i} splits at ${cond[i]}`;
    for (const stat of ['base_weights', 'sum_hessian', 'loss_changes'] as const) {
      if (!Number.isFinite(tree[stat][i])) return `node ${i} has ${stat} ${tree[stat][i]}`;
    }
  }
  const seen = new Uint8Array(n);
  const stack = [0];
  seen[0] = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (left[i] === -1 && right[i] === -1) {
      if (feature[i] === DELETED_SPLIT_INDEX && dleft[i] === 1) return `node ${i} is marked deleted but is reachable from the root`;
      continue;
    }
    if (!(feature[i] >= 0 && feature[i] < numFeature)) return `node ${i} splits on feature ${feature[i]}, outside [0, ${numFeature})`;
    if (dleft[i] > 1) return `node ${i} has default_left ${dleft[i]} (expected 0 or 1)`;
    for (const child of [left[i], right[i]]) {
      if (!(child >= 1 && child < n)) return `node ${i} has child ${child}, outside [1, ${n}) (−1 on both sides marks a leaf)`;
      if (seen[child]) return `node ${child} is reached twice (a cycle or a shared child; the nodes must form a tree)`;
      seen[child] = 1;
      stack.push(child);
    }
  }
  for (let i = 1; i < n; i++) {
    if (seen[i]) continue;
    const deleted = feature[i] === DELETED_SPLIT_INDEX && dleft[i] === 1 && left[i] === -1 && right[i] === -1;
    if (!deleted) return `node ${i} is not reachable from the root and not marked deleted`;
  }
  return undefined;
}

/** Throws a GroveDataError naming `fn` when `model` breaks the contract. */
export function validateModel(model: BoostedModel, fn: string): void {
  const problem = modelProblem(model);
  if (problem) throw new GroveDataError(`${fn}: invalid model: ${problem}`);
}

/**
 * Feature importances from the stored stats, XGBoost's definitions (`get_score`), over the split
 * nodes of every tree: `weight` = number of splits on the feature, `totalGain` / `totalCover` =
 * sum of their `loss_changes` / `sum_hessian`, `gain` / `cover` = those sums divided by weight.
 * One entry per feature, 0 for features never split on.
 */
export interface FeatureImportance {
  weight: Float64Array;
  gain: Float64Array;
  cover: Float64Array;
  totalGain: Float64Array;
  totalCover: Float64Array;
}

export function featureImportance(model: BoostedModel): FeatureImportance {
  const d = model.numFeature;
  const weight = new Float64Array(d);
  const totalGain = new Float64Array(d);
  const totalCover = new Float64Array(d);
  const { left_children: left, split_indices: feature, loss_changes: gain, sum_hessian: hess } = model.trees;
  // Deleted nodes are leaves, so every node with children is a live split.
  for (let i = 0; i < left.length; i++) {
    if (left[i] === -1) continue;
    const f = feature[i];
    weight[f]++;
    totalGain[f] += gain[i];
    totalCover[f] += hess[i];
  }
  const mean = (total: Float64Array): Float64Array => total.map((s, f) => (weight[f] > 0 ? s / weight[f] : 0));
  return { weight, gain: mean(totalGain), cover: mean(totalCover), totalGain, totalCover };
}

/**
 * Probabilities from margins (`rows × numGroups`, row-major), computed in the kernel with
 * XGBoost 1.7's float32 formulas: sigmoid 1/(1 + expf(min(−m, 88.7))), giving `rows × 2` =
 * [1 − p, p]; softmax expf(m − max) / Σ with the sum in float64. The kernel's expf
 * (AssemblyScript's) follows the same algorithm as glibc's, which XGBoost calls, and gave
 * XGBoost's probabilities bit for bit on 200,000 margins. Regression has no probabilities.
 */
export function probaFromMargins(model: BoostedModel, margins: Float32Array): Float32Array {
  if (model.objective === 'binary:logistic') return marginProba(margins, 1);
  if (model.objective !== 'multi:softprob') throw new GroveArgumentError(`predictProba: ${model.objective} is a regression objective`);
  return softmaxRows(margins, model.numClass);
}

/** Row-wise softmax of n × k margins (k ≥ 2) as XGBoost computes it (float32 terms, float64 sum). */
export function softmaxRows(margins: Float32Array, k: number): Float32Array {
  return marginProba(margins, k);
}

/**
 * Predictions from margins: the margin for regression, the class index for classifiers, as
 * XGBoost's `XGBClassifier.predict` picks it (p > 0.5 for binary, the first largest probability
 * for softprob).
 */
export function predictionsFromMargins(model: BoostedModel, margins: Float32Array): Float32Array {
  if (model.objective === 'reg:squarederror') return margins.slice();
  if (model.objective === 'binary:logistic') {
    const proba = probaFromMargins(model, margins);
    return margins.map((_, r) => (proba[2 * r + 1] > 0.5 ? 1 : 0));
  }
  const k = model.numClass;
  const proba = probaFromMargins(model, margins);
  const out = new Float32Array(margins.length / k);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[r * k + c] > proba[r * k + best]) best = c;
    out[r] = best;
  }
  return out;
}
