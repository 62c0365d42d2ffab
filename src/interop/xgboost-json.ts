/**
 * XGBoost's JSON model format (`Booster.save_model('m.json')`, schema of XGBoost 1.7) ↔
 * `BoostedModel`. The tree arrays carry the same names on both sides, so this is a field mapping
 * plus checks.
 *
 * Contract:
 * - `readXGBoostJSON(json)` (a JSON string or the parsed object) accepts the `gbtree` booster
 *   with `reg:squarederror`, `binary:logistic` or `multi:softprob`, with or without missing
 *   values, and keeps node ids (deleted nodes included) so `predictLeaf` matches XGBoost's
 *   `pred_leaf`. `base_score` is read as XGBoost stores it (a probability for logistic; the
 *   bracketed `[5E-1]` of XGBoost 2 is accepted too). Anything else — another booster (`dart`,
 *   `gblinear`), another objective, categorical splits, vector leaves, several targets, or a
 *   malformed document (missing fields, wrong array lengths, children out of range, cycles, NaN
 *   values) — throws a `GroveDataError` naming the field.
 * - `writeXGBoostJSON(model)` returns a document XGBoost 1.7.4 loads and predicts identically:
 *   floats are written as the shortest decimal that reads back as the same float32 (−0
 *   included, always with a point or exponent), and every field XGBoost requires on load is
 *   present. Training-only settings (`scale_pos_weight`, best iteration) are written as
 *   XGBoost's defaults; the parents of deleted nodes, which the model does not keep, as 0.
 */
import { GroveDataError } from '../runtime/errors.js';
import {
  BOOST_OBJECTIVES,
  DELETED_SPLIT_INDEX,
  float32Decimal,
  forestFromTrees,
  parentsOf,
  treeAt,
  validateModel,
  type BoostedModel,
  type BoostObjective,
  type TreeArrays,
} from '../boost/model.js';

type Json = Record<string, unknown>;

const READ = 'readXGBoostJSON';

export function readXGBoostJSON(json: string | object): BoostedModel {
  const doc = object(typeof json === 'string' ? parse(json) : json, 'the document');
  const learner = object(doc.learner, 'learner');
  const booster = object(learner.gradient_booster, 'learner.gradient_booster');
  const boosterName = string(booster.name, 'learner.gradient_booster.name');
  if (boosterName !== 'gbtree') fail(`the ${boosterName} booster is not supported (only gbtree)`);

  const objective = string(object(learner.objective, 'learner.objective').name, 'learner.objective.name');
  if (!(BOOST_OBJECTIVES as readonly string[]).includes(objective)) {
    fail(`objective ${JSON.stringify(objective)} is not supported (supported: ${BOOST_OBJECTIVES.join(', ')})`);
  }
  const param = object(learner.learner_model_param, 'learner.learner_model_param');
  const numFeature = count(param.num_feature, 'learner.learner_model_param.num_feature');
  const numClassField = count(param.num_class, 'learner.learner_model_param.num_class');
  if (param.num_target !== undefined && count(param.num_target, 'learner.learner_model_param.num_target') !== 1) {
    fail(`models with several targets are not supported (num_target ${String(param.num_target)})`);
  }
  if (objective !== 'multi:softprob' && numClassField > 1) fail(`num_class ${numClassField} does not fit ${objective} (expected 0)`);
  const numClass = objective === 'multi:softprob' ? numClassField : objective === 'binary:logistic' ? 2 : 1;

  const names = learner.feature_names === undefined ? [] : array(learner.feature_names, 'learner.feature_names');
  names.forEach((s, i) => typeof s === 'string' || fail(`learner.feature_names[${i}] must be a string`));

  const model = object(booster.model, 'learner.gradient_booster.model');
  const treeDocs = array(model.trees, 'learner.gradient_booster.model.trees');
  const declared = count(object(model.gbtree_model_param, 'learner.gradient_booster.model.gbtree_model_param').num_trees, 'learner.gradient_booster.model.gbtree_model_param.num_trees');
  if (declared !== treeDocs.length) fail(`learner.gradient_booster.model.gbtree_model_param.num_trees is ${declared} but there are ${treeDocs.length} trees`);
  const treeInfo = ints(model.tree_info, 'learner.gradient_booster.model.tree_info', treeDocs.length);

  // XGBoost places each tree by its `id`.
  const trees: TreeArrays[] = new Array(treeDocs.length);
  treeDocs.forEach((t, i) => {
    const path = `trees[${i}]`;
    const tree = object(t, path);
    const id = count(tree.id, `${path}.id`);
    if (id >= trees.length || trees[id] !== undefined) fail(`${path}.id ${id} is out of range or repeated`);
    trees[id] = readTree(tree, path);
  });

  const out: BoostedModel = {
    objective: objective as BoostObjective,
    numClass,
    numFeature,
    baseScore: baseScore(param.base_score),
    ...(names.length > 0 ? { featureNames: names as string[] } : {}),
    trees: forestFromTrees(trees, treeInfo),
  };
  validateModel(out, READ);
  return out;
}

function readTree(tree: Json, path: string): TreeArrays {
  const param = object(tree.tree_param, `${path}.tree_param`);
  const n = count(param.num_nodes, `${path}.tree_param.num_nodes`);
  if (param.size_leaf_vector !== undefined && count(param.size_leaf_vector, `${path}.tree_param.size_leaf_vector`) > 1) {
    fail(`${path}: vector leaves (size_leaf_vector ${String(param.size_leaf_vector)}) are not supported`);
  }
  const splitType = tree.split_type === undefined ? [] : array(tree.split_type, `${path}.split_type`);
  const categorical = splitType.some((s) => s !== 0) || (tree.categories_nodes !== undefined && array(tree.categories_nodes, `${path}.categories_nodes`).length > 0);
  if (categorical) fail(`${path}: categorical splits are not supported`);
  return {
    left_children: ints(tree.left_children, `${path}.left_children`, n),
    right_children: ints(tree.right_children, `${path}.right_children`, n),
    split_indices: ints(tree.split_indices, `${path}.split_indices`, n),
    split_conditions: floats(tree.split_conditions, `${path}.split_conditions`, n),
    default_left: flags(tree.default_left, `${path}.default_left`, n),
    base_weights: floats(tree.base_weights, `${path}.base_weights`, n),
    sum_hessian: floats(tree.sum_hessian, `${path}.sum_hessian`, n),
    loss_changes: floats(tree.loss_changes, `${path}.loss_changes`, n),
  };
}

export function writeXGBoostJSON(model: BoostedModel): string {
  validateModel(model, 'writeXGBoostJSON');
  const { trees: forest, numFeature, objective } = model;
  const nTrees = forest.tree_info.length;
  const trees = Array.from({ length: nTrees }, (_, id) => {
    const t = treeAt(forest, id);
    const n = t.left_children.length;
    let deleted = 0;
    for (let i = 1; i < n; i++) if (t.split_indices[i] === DELETED_SPLIT_INDEX && t.default_left[i] === 1) deleted++;
    const zeros = new Array<number>(n).fill(0);
    return {
      base_weights: new Floats(t.base_weights),
      categories: [],
      categories_nodes: [],
      categories_segments: [],
      categories_sizes: [],
      default_left: Array.from(t.default_left),
      id,
      left_children: Array.from(t.left_children),
      loss_changes: new Floats(t.loss_changes),
      parents: Array.from(parentsOf(t)),
      right_children: Array.from(t.right_children),
      split_conditions: new Floats(t.split_conditions),
      split_indices: Array.from(t.split_indices),
      split_type: zeros,
      sum_hessian: new Floats(t.sum_hessian),
      tree_param: { num_deleted: String(deleted), num_feature: String(numFeature), num_nodes: String(n), size_leaf_vector: '0' },
    };
  });
  const objectiveDoc =
    objective === 'multi:softprob'
      ? { name: objective, softmax_multiclass_param: { num_class: String(model.numClass) } }
      : { name: objective, reg_loss_param: { scale_pos_weight: '1' } };
  return toJSONText({
    learner: {
      attributes: {},
      feature_names: model.featureNames ?? [],
      feature_types: [],
      gradient_booster: {
        model: {
          gbtree_model_param: { num_parallel_tree: '1', num_trees: String(nTrees), size_leaf_vector: '0' },
          tree_info: Array.from(forest.tree_info),
          trees,
        },
        name: 'gbtree',
      },
      learner_model_param: {
        base_score: String(float32Decimal(Math.fround(model.baseScore))),
        boost_from_average: '1',
        num_class: objective === 'multi:softprob' ? String(model.numClass) : '0',
        num_feature: String(numFeature),
        num_target: '1',
      },
      objective: objectiveDoc,
    },
    version: [1, 7, 4],
  });
}

/** Float32 values to write as JSON floats. */
class Floats {
  constructor(readonly values: Float32Array) {}
}

/**
 * `JSON.stringify` for plain data and `Floats`. XGBoost's parser types a number without a point
 * or exponent as an integer and refuses it where a float is due, so floats always get one.
 */
function toJSONText(v: unknown): string {
  if (v instanceof Floats) return `[${Array.from(v.values, floatText).join(',')}]`;
  if (Array.isArray(v)) return `[${v.map(toJSONText).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toJSONText(x)}`).join(',')}}`;
  return JSON.stringify(v);
}

/** The shortest text that reads back as the float32 `x`, −0 included. */
function floatText(x: number): string {
  const text = Object.is(x, -0) ? '-0' : String(float32Decimal(x));
  return /[.e]/.test(text) ? text : `${text}.0`;
}

// --- reading helpers: each names the offending field ---

function fail(what: string): never {
  throw new GroveDataError(`${READ}: ${what}`);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail(`the text is not JSON (${(e as Error).message}); save the model with save_model('model.json'), UBJSON and the binary format are not read`);
  }
}

/** A value as it appears in a message. */
function show(x: unknown): string {
  return typeof x === 'number' ? String(x) : (JSON.stringify(x) ?? 'undefined');
}

function describe(v: unknown): string {
  return v === undefined ? 'missing' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

function object(v: unknown, path: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(`${path} must be an object, got ${describe(v)}`);
  return v as Json;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(`${path} must be an array, got ${describe(v)}`);
  return v;
}

function string(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(`${path} must be a string, got ${describe(v)}`);
  return v;
}

/** XGBoost stores parameters as strings ("5E-1"); numbers are accepted too. */
function numeric(v: unknown, path: string): number {
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(x)) fail(`${path} must be a number, got ${typeof v === 'string' ? show(v) : describe(v)}`);
  return x;
}

function count(v: unknown, path: string): number {
  const x = numeric(v, path);
  if (!(Number.isInteger(x) && x >= 0 && x <= 0x7fffffff)) fail(`${path} must be a non-negative integer, got ${x}`);
  return x;
}

function baseScore(v: unknown): number {
  const path = 'learner.learner_model_param.base_score';
  const bracketed = typeof v === 'string' ? /^\[([^,\]]*)\]$/.exec(v.trim()) : null;
  return numeric(bracketed ? bracketed[1] : v, path);
}

function sized(v: unknown, path: string, n: number): unknown[] {
  const a = array(v, path);
  if (a.length !== n) fail(`${path} has ${a.length} entries, expected ${n}`);
  return a;
}

function ints(v: unknown, path: string, n: number): Int32Array {
  const a = sized(v, path, n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    if (!(typeof x === 'number' && Number.isInteger(x) && x >= -0x80000000 && x <= 0x7fffffff)) fail(`${path}[${i}] must be a 32-bit integer, got ${show(x)}`);
    out[i] = x;
  }
  return out;
}

function floats(v: unknown, path: string, n: number): Float32Array {
  const a = sized(v, path, n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${path}[${i}] must be a finite number, got ${show(x)}`);
    out[i] = x;
  }
  return out;
}

/** `default_left`: 0/1 (XGBoost ≥ 1.6) or booleans (older writers). */
function flags(v: unknown, path: string, n: number): Uint8Array {
  const a = sized(v, path, n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    if (!(x === 0 || x === 1 || x === true || x === false)) fail(`${path}[${i}] must be 0 or 1, got ${show(x)}`);
    out[i] = x ? 1 : 0;
  }
  return out;
}
