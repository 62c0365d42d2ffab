/**
 * XGBoost JSON interop: XGBoost 1.7.4's own predictions on the fixtures in
 * ../shared/data/xgboost-models (margins, probabilities, leaf ids), an independent reading of
 * its text dumps (structure and importances), export → import round trips, and malformed
 * documents on small hand-written models.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { featureImportance, type BoostedModel } from '../../src/boost/model.js';
import { predict, predictLeaf, predictProba, predictRaw, type DenseRows } from '../../src/boost/predict-reference.js';
import { readXGBoostJSON, writeXGBoostJSON } from '../../src/interop/xgboost-json.js';
import { GroveArgumentError, GroveDataError } from '../../src/runtime/errors.js';
import { initSync } from '../../src/runtime/kernel.js';
import { sharedDir } from '../helpers/shared.js';

// probabilities go through the kernel
initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });

const shared = sharedDir('data/xgboost-models');

interface FixtureData {
  feature_names: string[];
  X: (number | null)[][];
  margin: number[] | number[][];
  prob: number[] | number[][];
  leaf: number[][];
}

/** A node of `get_dump(dump_format="json", with_stats=True)`. */
interface DumpNode {
  nodeid: number;
  split?: string;
  split_condition?: number;
  yes?: number;
  no?: number;
  missing?: number;
  gain?: number;
  cover: number;
  leaf?: number;
  children?: DumpNode[];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function expectSameModel(a: BoostedModel, b: BoostedModel): void {
  expect(b.objective).toBe(a.objective);
  expect(b.numClass).toBe(a.numClass);
  expect(b.numFeature).toBe(a.numFeature);
  expect(b.baseScore).toBe(a.baseScore);
  expect(b.featureNames).toEqual(a.featureNames);
  expect(Object.keys(b.trees).sort()).toEqual(Object.keys(a.trees).sort());
  for (const [name, array] of Object.entries(a.trees)) expect(b.trees[name as keyof typeof a.trees], name).toEqual(array);
}

describe.skipIf(!shared.present)(`XGBoost 1.7.4 fixtures${shared.skipReason}`, () => {
  const manifest = shared.present ? JSON.parse(readFileSync(`${shared.path}/MANIFEST.json`, 'utf8')) : { fixtures: {} };
  const names = Object.keys(manifest.fixtures);

  it('lists the four fixtures', () => {
    expect(names.sort()).toEqual(['binary_logistic_breast_cancer', 'binary_logistic_breast_cancer_hist', 'multi_softprob_wine', 'reg_squarederror_diabetes']);
  });

  for (const name of names) {
    describe(name, () => {
      const text = readFileSync(`${shared.path}/${name}.json`, 'utf8');
      const data: FixtureData = JSON.parse(readFileSync(`${shared.path}/${name}.data.json`, 'utf8'));
      const dump: DumpNode[] = JSON.parse(readFileSync(`${shared.path}/${name}.dump.json`, 'utf8'));
      const model = readXGBoostJSON(text);
      const X: DenseRows = { data: Float64Array.from(data.X.flat(), (v) => v ?? NaN), rows: data.X.length, cols: data.X[0].length };
      const margins = data.margin.flat().map(Math.fround);
      const probs = data.prob.flat().map(Math.fround);

      it('reads the header fields', () => {
        const info = manifest.fixtures[name];
        expect(model.objective).toBe(info.objective);
        expect(model.numFeature).toBe(info.n_features);
        expect(model.trees.tree_info.length).toBe(info.n_trees);
        expect(model.baseScore).toBe(Number(info.base_score_json));
        expect(model.featureNames).toEqual(data.feature_names);
        expect(model.numClass).toBe(info.objective === 'multi:softprob' ? Number(info.num_class_json) : info.objective === 'binary:logistic' ? 2 : 1);
        expect(X.data.some(Number.isNaN)).toBe(true);
      });

      it('margins equal XGBoost’s bit for bit (so within 1e-5)', () => {
        const raw = predictRaw(model, X);
        expect(maxAbsDiff(raw, margins)).toBeLessThanOrEqual(1e-5);
        expect(Array.from(raw)).toEqual(margins);
      });

      it('probabilities and predictions equal XGBoost’s', () => {
        if (model.objective === 'reg:squarederror') {
          expect(Array.from(predict(model, X))).toEqual(probs);
          expect(() => predictProba(model, X)).toThrow(/regression/);
          return;
        }
        const proba = predictProba(model, X);
        const k = model.numClass;
        // XGBoost's binary predict gives p; predict_proba's columns are [1 − p, p].
        const ours = model.objective === 'binary:logistic' ? proba.filter((_, i) => i % 2 === 1) : proba;
        expect(maxAbsDiff(ours, probs)).toBeLessThanOrEqual(1e-6);
        expect(Array.from(ours)).toEqual(probs);
        if (k === 2) for (let r = 0; r < X.rows; r++) expect(proba[2 * r]).toBe(Math.fround(1 - proba[2 * r + 1]));
        const labels = predict(model, X);
        for (let r = 0; r < X.rows; r++) {
          const row = k === 2 ? [1 - probs[r], probs[r]] : probs.slice(r * k, r * k + k);
          const best = k === 2 ? (probs[r] > 0.5 ? 1 : 0) : row.indexOf(Math.max(...row));
          expect(labels[r]).toBe(best);
        }
      });

      it('leaf ids equal pred_leaf', () => {
        expect(Array.from(predictLeaf(model, X))).toEqual(data.leaf.flat());
      });

      it('every node matches the text dump', () => {
        const feature = new Map(data.feature_names.map((f, i) => [f, i]));
        dump.forEach((root, t) => {
          const offset = model.trees.tree_offsets[t];
          const visit = (node: DumpNode): void => {
            const g = offset + node.nodeid;
            const tr = model.trees;
            expect(tr.sum_hessian[g]).toBeCloseTo(node.cover, 3);
            if (node.leaf !== undefined) {
              expect(tr.left_children[g]).toBe(-1);
              // The dump prints −0 as 0 (+ 0 maps −0 to 0).
              expect(tr.split_conditions[g] + 0).toBe(Math.fround(node.leaf));
              return;
            }
            expect(tr.split_indices[g]).toBe(feature.get(node.split!));
            expect(tr.split_conditions[g]).toBe(Math.fround(node.split_condition!));
            expect([tr.left_children[g], tr.right_children[g]]).toEqual([node.yes, node.no]);
            expect(tr.default_left[g] ? node.yes : node.no).toBe(node.missing);
            expect(tr.loss_changes[g]).toBeCloseTo(node.gain!, 2);
            node.children!.forEach(visit);
          };
          visit(root);
        });
      });

      it('importances equal those recomputed from the dump', () => {
        const weight = new Map<string, number>();
        const gain = new Map<string, number>();
        const cover = new Map<string, number>();
        const add = (m: Map<string, number>, k: string, v: number): void => void m.set(k, (m.get(k) ?? 0) + v);
        const visit = (node: DumpNode): void => {
          if (node.split === undefined) return;
          add(weight, node.split, 1);
          add(gain, node.split, node.gain!);
          add(cover, node.split, node.cover);
          node.children!.forEach(visit);
        };
        dump.forEach(visit);
        const imp = featureImportance(model);
        data.feature_names.forEach((f, i) => {
          const w = weight.get(f) ?? 0;
          expect(imp.weight[i]).toBe(w);
          const close = (ours: number, theirs: number): void => expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(theirs)));
          close(imp.totalGain[i], gain.get(f) ?? 0);
          close(imp.totalCover[i], cover.get(f) ?? 0);
          close(imp.gain[i], w > 0 ? gain.get(f)! / w : 0);
          close(imp.cover[i], w > 0 ? cover.get(f)! / w : 0);
        });
        expect([...weight.values()].reduce((a, b) => a + b)).toBeGreaterThan(0);
      });

      it('write → read round-trips exactly and predicts identically', () => {
        const written = writeXGBoostJSON(model);
        const back = readXGBoostJSON(written);
        expectSameModel(model, back);
        expect(Array.from(predictRaw(back, X))).toEqual(margins);
        expect(Array.from(predictLeaf(back, X))).toEqual(data.leaf.flat());
      });

      it('writes every field XGBoost’s own document has, with the same values outside the floats', () => {
        const ours = JSON.parse(writeXGBoostJSON(model));
        const theirs = JSON.parse(text);
        const shape = (v: unknown): unknown =>
          Array.isArray(v) ? 'array' : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)])) : typeof v;
        // The fixtures keep XGBoost's training bookkeeping (best iteration); we write none.
        delete theirs.learner.attributes.best_iteration;
        delete theirs.learner.attributes.best_ntree_limit;
        expect(shape(ours)).toEqual(shape(theirs));
        const tOurs = ours.learner.gradient_booster.model.trees;
        const tTheirs = theirs.learner.gradient_booster.model.trees;
        for (let t = 0; t < tTheirs.length; t++) {
          for (const key of ['left_children', 'right_children', 'parents', 'split_indices', 'default_left', 'split_type', 'tree_param', 'id']) {
            expect(tOurs[t][key], `tree ${t} ${key}`).toEqual(tTheirs[t][key]);
          }
          for (const key of ['split_conditions', 'base_weights', 'sum_hessian', 'loss_changes']) {
            expect(tOurs[t][key].map(Math.fround), `tree ${t} ${key}`).toEqual(tTheirs[t][key].map(Math.fround));
          }
        }
        expect(ours.learner.objective).toEqual(theirs.learner.objective);
        expect(ours.learner.gradient_booster.model.gbtree_model_param).toEqual(theirs.learner.gradient_booster.model.gbtree_model_param);
        expect({ ...ours.learner.learner_model_param, base_score: Number(ours.learner.learner_model_param.base_score), boost_from_average: '' }).toEqual({
          ...theirs.learner.learner_model_param,
          base_score: Number(theirs.learner.learner_model_param.base_score),
          boost_from_average: '',
        });
      });
    });
  }
});

// --- small hand-written documents (no ../shared needed) ---

/** One tree: x0 < 1.5 (missing → left) ? 0.25 : −0.5, in XGBoost 1.7's layout. */
function tinyDoc(objective = 'reg:squarederror', baseScore = '5E-1'): Record<string, any> {
  return {
    learner: {
      attributes: {},
      feature_names: ['a', 'b'],
      feature_types: [],
      gradient_booster: {
        model: {
          gbtree_model_param: { num_parallel_tree: '1', num_trees: '1', size_leaf_vector: '0' },
          tree_info: [0],
          trees: [
            {
              base_weights: [0.1, 0.5, -1],
              categories: [],
              categories_nodes: [],
              categories_segments: [],
              categories_sizes: [],
              default_left: [1, 0, 0],
              id: 0,
              left_children: [1, -1, -1],
              loss_changes: [3, 0, 0],
              parents: [2147483647, 0, 0],
              right_children: [2, -1, -1],
              split_conditions: [1.5, 0.25, -0.5],
              split_indices: [0, 0, 0],
              split_type: [0, 0, 0],
              sum_hessian: [10, 6, 4],
              tree_param: { num_deleted: '0', num_feature: '2', num_nodes: '3', size_leaf_vector: '0' },
            },
          ],
        },
        name: 'gbtree',
      },
      learner_model_param: { base_score: baseScore, boost_from_average: '1', num_class: '0', num_feature: '2', num_target: '1' },
      objective: { name: objective, reg_loss_param: { scale_pos_weight: '1' } },
    },
    version: [1, 7, 4],
  };
}

const rows = (...r: number[][]): DenseRows => ({ data: Float64Array.from(r.flat()), rows: r.length, cols: r[0].length });

describe('hand-written documents', () => {
  it('predicts the worked example: strict <, missing to the default side', () => {
    const model = readXGBoostJSON(JSON.stringify(tinyDoc()));
    // 0.5 + 0.25 left, 0.5 − 0.5 right; x = 1.5 is not < 1.5.
    expect(Array.from(predictRaw(model, rows([1, 9], [1.5, 0], [2, 0], [NaN, 0])))).toEqual([0.75, 0, 0, 0.75]);
    expect(Array.from(predictLeaf(model, rows([1, 9], [2, 0], [NaN, 0])))).toEqual([1, 2, 1]);
  });

  it('compares the value as float32 (as XGBoost’s DMatrix stores it)', () => {
    const model = readXGBoostJSON(tinyDoc());
    // 1.5 − 2⁻³⁰ is below 1.5 in float64 but rounds to 1.5 in float32: right.
    expect(Array.from(predictRaw(model, rows([1.5 - 2 ** -30, 0])))).toEqual([0]);
  });

  it('starts a logistic margin at logit(base_score) and gives [1 − p, p]', () => {
    const model = readXGBoostJSON(tinyDoc('binary:logistic', '3E-1'));
    expect(model.numClass).toBe(2);
    const [m] = predictRaw(model, rows([0, 0]));
    expect(m).toBeCloseTo(Math.log(0.3 / 0.7) + 0.25, 6);
    const [q, p] = predictProba(model, rows([0, 0]));
    expect(p).toBeCloseTo(1 / (1 + Math.exp(-m)), 7);
    expect(q).toBeCloseTo(1 - p, 7);
    expect(Array.from(predict(model, rows([0, 0], [5, 0])))).toEqual([0, 0]);
  });

  it('clamps the sigmoid as XGBoost does (a margin of −146 gives 3.006636e-39, not 0)', () => {
    const doc = tinyDoc('binary:logistic');
    tree(doc).split_conditions = [1.5, -146, 146];
    const model = readXGBoostJSON(doc);
    // XGBoost 1.7.4 printed these for the same margins (a fixture tree with its leaves edited).
    const [, low, , high] = predictProba(model, rows([0, 0], [2, 0]));
    expect(Math.abs(low - 3.006636e-39)).toBeLessThan(1e-45);
    expect(high).toBe(1);
  });

  it('keeps deleted nodes (XGBoost’s pruner leaves them in place) and their ids', () => {
    const doc = tinyDoc();
    const t = doc.learner.gradient_booster.model.trees[0];
    // Node 1 was a split whose children 3 and 4 were pruned away; they stay as deleted leaves.
    Object.assign(t, {
      base_weights: [0.1, 0.5, -1, 0, 0],
      default_left: [1, 0, 0, 1, 1],
      left_children: [1, -1, -1, -1, -1],
      loss_changes: [3, 0, 0, 0, 0],
      parents: [2147483647, 0, 0, 1, 1],
      right_children: [2, -1, -1, -1, -1],
      split_conditions: [1.5, 0.25, -0.5, 9, 9],
      split_indices: [0, 0, 0, 2147483647, 2147483647],
      split_type: [0, 0, 0, 0, 0],
      sum_hessian: [10, 6, 4, 3, 3],
      tree_param: { num_deleted: '2', num_feature: '2', num_nodes: '5', size_leaf_vector: '0' },
    });
    const model = readXGBoostJSON(doc);
    expect(Array.from(predictRaw(model, rows([1, 0], [2, 0])))).toEqual([0.75, 0]);
    const written = JSON.parse(writeXGBoostJSON(model)).learner.gradient_booster.model.trees[0];
    expect(written.tree_param.num_deleted).toBe('2');
    // XGBoost 1.7 crashes on load when a deleted node's parent is out of range; 0 is accepted.
    expect(written.parents).toEqual([2147483647, 0, 0, 0, 0]);
    expect(written.split_indices).toEqual(t.split_indices);
    expect(featureImportance(model).weight).toEqual(new Float64Array([1, 0]));
  });

  it('places trees by id, as XGBoost does', () => {
    const doc = tinyDoc();
    const m = doc.learner.gradient_booster.model;
    const second = structuredClone(m.trees[0]);
    second.split_conditions = [1.5, 1, 2];
    m.trees = [{ ...second, id: 1 }, m.trees[0]];
    m.tree_info = [0, 0];
    m.gbtree_model_param.num_trees = '2';
    const model = readXGBoostJSON(doc);
    expect(Array.from(model.trees.split_conditions)).toEqual([1.5, 0.25, -0.5, 1.5, 1, 2]);
  });

  it('reads multi:softprob with num_class and tree_info', () => {
    const doc = tinyDoc('multi:softprob');
    const m = doc.learner.gradient_booster.model;
    m.trees = [0, 1, 2].map((id) => ({ ...structuredClone(m.trees[0]), id }));
    m.trees[2].split_conditions = [1.5, -1, 1];
    m.tree_info = [0, 1, 2];
    m.gbtree_model_param.num_trees = '3';
    doc.learner.learner_model_param.num_class = '3';
    doc.learner.objective = { name: 'multi:softprob', softmax_multiclass_param: { num_class: '3' } };
    const model = readXGBoostJSON(doc);
    expect(model.numClass).toBe(3);
    const X = rows([0, 0], [5, 0]);
    expect(Array.from(predictRaw(model, X))).toEqual([0.75, 0.75, -0.5, 0, 0, 1.5]);
    const proba = predictProba(model, X);
    const e = [Math.exp(0.75), Math.exp(0.75), Math.exp(-0.5)];
    const s = e[0] + e[1] + e[2];
    e.forEach((v, c) => expect(proba[c]).toBeCloseTo(v / s, 6));
    expect(Array.from(predict(model, X))).toEqual([0, 2]);
    const back = readXGBoostJSON(writeXGBoostJSON(model));
    expect(JSON.parse(writeXGBoostJSON(back)).learner.objective).toEqual(doc.learner.objective);
    expectSameModel(model, back);
  });

  const broken: [string, (d: Record<string, any>) => unknown, RegExp][] = [
    ['not JSON text', () => '\u0000UBJ', /not JSON/],
    ['no learner', (d) => void delete d.learner, /learner must be an object, got missing/],
    ['the dart booster', (d) => void (d.learner.gradient_booster.name = 'dart'), /dart booster is not supported/],
    ['the gblinear booster', (d) => void (d.learner.gradient_booster.name = 'gblinear'), /gblinear booster is not supported/],
    ['another objective', (d) => void (d.learner.objective.name = 'reg:logistic'), /objective "reg:logistic" is not supported/],
    ['a categorical split', (d) => void (tree(d).split_type = [1, 0, 0]), /categorical splits are not supported/],
    ['categories', (d) => void (tree(d).categories_nodes = [0]), /categorical splits are not supported/],
    ['vector leaves', (d) => void (tree(d).tree_param.size_leaf_vector = '3'), /vector leaves/],
    ['several targets', (d) => void (d.learner.learner_model_param.num_target = '2'), /several targets/],
    ['num_class on a regression', (d) => void (d.learner.learner_model_param.num_class = '3'), /num_class 3 does not fit reg:squarederror/],
    ['a missing base_score', (d) => void delete d.learner.learner_model_param.base_score, /base_score must be a number, got missing/],
    ['a base_score outside (0, 1) for logistic', (d) => void ((d.learner.objective.name = 'binary:logistic'), (d.learner.learner_model_param.base_score = '1.5')), /probability in \(0, 1\)/],
    ['a short array', (d) => void (tree(d).left_children = [1, -1]), /trees\[0\]\.left_children has 2 entries, expected 3/],
    ['a string in an array', (d) => void (tree(d).split_indices = [0, 'x', 0]), /split_indices\[1\] must be a 32-bit integer, got "x"/],
    ['a child out of range', (d) => void (tree(d).right_children = [7, -1, -1]), /node 0 has child 7, outside \[1, 3\)/],
    ['a child pointing at the root', (d) => void (tree(d).right_children = [0, -1, -1]), /node 0 has child 0/],
    ['a node reached twice', (d) => void (tree(d).right_children = [1, -1, -1]), /node 1 is reached twice/],
    ['a cycle off the root', (d) => Object.assign(tree(d), { left_children: [1, -1, -1, 4, 3], right_children: [2, -1, -1, 4, 3], ...five(tree(d)) }), /node 3 is not reachable from the root and not marked deleted/],
    ['a NaN split', (d) => void (tree(d).split_conditions = [NaN, 0.25, -0.5]), /split_conditions\[0\] must be a finite number, got NaN/],
    ['a split on a feature past num_feature', (d) => void (tree(d).split_indices = [2, 0, 0]), /node 0 splits on feature 2, outside \[0, 2\)/],
    ['a reachable deleted node', (d) => void ((tree(d).split_indices = [0, 2147483647, 0]), (tree(d).default_left = [1, 1, 0])), /node 1 is marked deleted but is reachable/],
    ['num_trees disagreeing with trees', (d) => void (d.learner.gradient_booster.model.gbtree_model_param.num_trees = '2'), /num_trees is 2 but there are 1 trees/],
    ['a short tree_info', (d) => void (d.learner.gradient_booster.model.tree_info = []), /tree_info has 0 entries, expected 1/],
    ['tree_info outside the classes', (d) => void (d.learner.gradient_booster.model.tree_info = [1]), /tree 0: tree_info 1 is not a class in \[0, 1\)/],
    ['a repeated tree id', (d) => void (tree(d).id = 3), /trees\[0\]\.id 3 is out of range or repeated/],
    ['a wrong number of feature names', (d) => void (d.learner.feature_names = ['a']), /featureNames must be 2 strings/],
    ['default_left of 2', (d) => void (tree(d).default_left = [2, 0, 0]), /default_left\[0\] must be 0 or 1, got 2/],
  ];
  for (const [what, edit, message] of broken) {
    it(`rejects ${what}`, () => {
      const doc = tinyDoc();
      const replaced = edit(doc);
      // Documents go in as objects (NaN has no JSON spelling); the text path is the fixtures'.
      const arg = typeof replaced === 'string' ? replaced : doc;
      const error = (() => {
        try {
          readXGBoostJSON(arg);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(GroveDataError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/^readXGBoostJSON: /);
    });
  }

  it('predictors check the rows and the model', () => {
    const model = readXGBoostJSON(tinyDoc());
    expect(() => predictRaw(model, { data: new Float64Array(3), rows: 1, cols: 3 })).toThrow(/predictRaw: X has 3 columns, the model expects 2/);
    expect(() => predictLeaf(model, { data: new Float64Array(3), rows: 2, cols: 2 })).toThrow(/predictLeaf: X.data has 3 values, expected rows × cols = 4/);
    expect(() => predictRaw(model, { data: [1, 2] as unknown as Float64Array, rows: 1, cols: 2 })).toThrow(GroveArgumentError);
    expect(predictRaw(model, { data: new Float32Array(0), rows: 0, cols: 2 })).toEqual(new Float32Array(0));
    const broken = { ...model, trees: { ...model.trees, right_children: Int32Array.of(1, -1, -1) } };
    expect(() => predictRaw(broken, rows([0, 0]))).toThrow(GroveDataError);
    expect(() => predictRaw(broken, rows([0, 0]))).toThrow(/predictRaw: invalid model: tree 0: node 1 is reached twice/);
  });

  it('accepts XGBoost 2’s bracketed base_score and boolean default_left', () => {
    const doc = tinyDoc('reg:squarederror', '[2.5E-1]');
    doc.learner.gradient_booster.model.trees[0].default_left = [true, false, false];
    const model = readXGBoostJSON(doc);
    expect(model.baseScore).toBe(0.25);
    expect(Array.from(predictRaw(model, rows([NaN, 0])))).toEqual([0.5]);
  });
});

function tree(d: Record<string, any>): Record<string, any> {
  return d.learner.gradient_booster.model.trees[0];
}

/** The other per-node arrays of the tiny tree widened to five nodes. */
function five(t: Record<string, any>): Record<string, unknown> {
  return {
    base_weights: [0.1, 0.5, -1, 0, 0],
    default_left: [1, 0, 0, 0, 0],
    loss_changes: [3, 0, 0, 1, 1],
    split_conditions: [1.5, 0.25, -0.5, 0, 0],
    split_indices: [0, 0, 0, 1, 1],
    split_type: [0, 0, 0, 0, 0],
    sum_hessian: [10, 6, 4, 1, 1],
    tree_param: { ...t.tree_param, num_nodes: '5' },
  };
}
