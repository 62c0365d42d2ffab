// The boosting trainer through the estimators (treeMethod 'hist'): a hand-worked split, training
// loss going down, missing-value directions, γ pruning, depth / leaf / column-sampling limits,
// early stopping, callbacks, AbortSignal, sample weights, softprob, and bad input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../src/boost/gradient-boosting.js';
import { treeAt, type BoostedModel, type TreeArrays } from '../../src/boost/model.js';
import { NumpyRandom } from '../../src/random/numpy.js';
import { GroveArgumentError, GroveDataError, GroveNotFittedError } from '../../src/runtime/errors.js';
import { initSync } from '../../src/runtime/kernel.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });

const f32 = Math.fround;
const sigmoid = (m: number) => 1 / (1 + Math.exp(-m));

/**
 * n rows of 5 features (x1 takes 5 values, x4 is noise; x0 and x3 missing with rate `missing`),
 * a regression target, a binary label and a 3-class label, all driven by one latent z.
 */
function synthetic(n: number, seed: number, missing = 0) {
  const rng = new NumpyRandom(seed);
  const X: number[][] = [];
  const reg: number[] = [];
  const bin: number[] = [];
  const three: number[] = [];
  for (let r = 0; r < n; r++) {
    const x = [rng.random() * 4, Math.floor(rng.random() * 5), rng.random(), rng.random() * 2 - 1, rng.random()];
    const z = x[0] - 2 + 0.5 * (x[1] - 2) + Math.sin(3 * x[3]) + 0.5 * (rng.random() - 0.5);
    if (rng.random() < missing) x[0] = NaN;
    if (rng.random() < missing) x[3] = NaN;
    X.push(x);
    reg.push(z + 0.3 * rng.random());
    bin.push(rng.random() < sigmoid(2 * z) ? 1 : 0);
    three.push(z < -0.6 ? 0 : z < 0.7 ? 1 : 2);
  }
  return { X, reg, bin, three };
}

const numTrees = (model: BoostedModel) => model.trees.tree_info.length;
const trees = (model: BoostedModel): TreeArrays[] => Array.from({ length: numTrees(model) }, (_, t) => treeAt(model.trees, t));

/** Depth of every reachable node (root 0). */
function depths(tree: TreeArrays): Map<number, number> {
  const out = new Map([[0, 0]]);
  const stack = [0];
  while (stack.length) {
    const i = stack.pop()!;
    if (tree.left_children[i] < 0) continue;
    for (const c of [tree.left_children[i], tree.right_children[i]]) {
      out.set(c, out.get(i)! + 1);
      stack.push(c);
    }
  }
  return out;
}
const leafCount = (tree: TreeArrays) => [...depths(tree).keys()].filter((i) => tree.left_children[i] < 0).length;
const maxDepthOf = (tree: TreeArrays) => Math.max(...depths(tree).values());
const splitNodes = (tree: TreeArrays) => [...depths(tree).keys()].filter((i) => tree.left_children[i] >= 0);

describe('a hand-worked split (reg:squarederror, λ = 1, α = 0.5, η = 0.3, depth 1)', () => {
  // x = 1, 2, 3, 4, y = 1, 2, 6, 8, base score 0.5, so g = 0.5 − y = −0.5, −1.5, −5.5, −7.5 and
  // h = 1. Bins: one per value, cuts 2, 3, 4. With T(G) = sign(G)·max(|G| − α, 0) and
  // score(G, H) = T(G)² / (H + λ):
  //   parent  G = −15, H = 4: T = −14.5, score = 210.25 / 5 = 42.05
  //   x < 2:  L (−0.5, 1) → 0;            R (−14.5, 3) → 14² / 4 = 49;      gain 6.95
  //   x < 3:  L (−2, 2) → 1.5² / 3 = 0.75; R (−13, 2) → 12.5² / 3 = 52.0833; gain 10.78333
  //   x < 4:  L (−7.5, 3) → 7² / 4 = 12.25; R (−7.5, 1) → 7² / 2 = 24.5;    gain −5.3
  // Best: x < 3, loss change 10.783333. Weights −T(G)/(H + λ): root 14.5/5 = 2.9,
  // left 1.5/3 = 0.5, right 12.5/3 = 4.16667; leaves η·w = 0.15 and 1.25.
  // XGBoost 1.7.4 (hist, same parameters, min_child_weight 0) dumps the same tree:
  // [f0<3] gain=10.7833328 cover=4, leaves 0.150000006 and 1.25 (cover 2 each).
  const model = new GradientBoostingRegressor({ nEstimators: 1, maxDepth: 1, learningRate: 0.3, lambda: 1, alpha: 0.5, minChildWeight: 0 })
    .fit([[1], [2], [3], [4]], [1, 2, 6, 8]);
  const t = model.model.trees;

  it('chooses x < 3 with the hand-computed loss change', () => {
    expect(Array.from(t.left_children)).toEqual([1, -1, -1]);
    expect(Array.from(t.right_children)).toEqual([2, -1, -1]);
    expect(t.split_indices[0]).toBe(0);
    expect(t.split_conditions[0]).toBe(3);
    expect(t.default_left[0]).toBe(0); // no missing values: the documented tie rule (right)
    expect(t.loss_changes[0]).toBeCloseTo(10.783333, 5);
    expect(Array.from(t.sum_hessian)).toEqual([4, 2, 2]);
  });

  it('sets leaf values η·(−T_α(G)/(H + λ)) and base weights −T_α(G)/(H + λ)', () => {
    expect(t.split_conditions[1]).toBe(f32(0.15));
    expect(t.split_conditions[2]).toBe(f32(1.25));
    expect(t.base_weights[0]).toBe(f32(2.9));
    expect(t.base_weights[1]).toBe(f32(0.5));
    expect(t.base_weights[2]).toBe(f32(12.5 / 3));
    expect(Array.from(model.predict([[2.9], [3], [NaN]]))).toEqual([f32(0.5 + f32(0.15)), f32(0.5 + 1.25), f32(0.5 + 1.25)]);
  });
});

describe('training loss on the training set', () => {
  const { X, reg, bin, three } = synthetic(400, 1, 0.1);
  const strictlyDecreasing = (h: number[]) => h.slice(1).every((v, i) => v < h[i]);

  it('rmse goes down every round (reg:squarederror)', () => {
    const m = new GradientBoostingRegressor({ nEstimators: 30, learningRate: 0.3, maxDepth: 3 }).fit(X, reg, { evalSet: [[X, reg]], evalMetric: 'rmse' });
    const h = m.evalsResult.validation_0.rmse;
    expect(h).toHaveLength(30);
    expect(strictlyDecreasing(h)).toBe(true);
  });

  it('logloss goes down every round (binary:logistic)', () => {
    const m = new GradientBoostingClassifier({ nEstimators: 30, learningRate: 0.3, maxDepth: 3 }).fit(X, bin, { evalSet: [[X, bin]], evalMetric: ['logloss', 'error'] });
    const h = m.evalsResult.validation_0.logloss;
    expect(h).toHaveLength(30);
    expect(strictlyDecreasing(h)).toBe(true);
    expect(m.evalsResult.validation_0.error).toHaveLength(30);
  });

  it('mlogloss goes down every round (multi:softprob)', () => {
    const m = new GradientBoostingClassifier({ nEstimators: 20, learningRate: 0.3, maxDepth: 3 }).fit(X, three, { evalSet: [[X, three]] });
    const h = m.evalsResult.validation_0.mlogloss;
    expect(h).toHaveLength(20);
    expect(strictlyDecreasing(h)).toBe(true);
  });
});

describe('missing values', () => {
  // x = 1, 2, 3, 4, NaN, NaN; labels 0, 0, 1, 1 and the NaN rows' labels; base score 0.5 so
  // g = p − y = ±0.5, h = 0.25; λ = 1, η = 1, depth 1, minChildWeight 0.
  // NaN rows labelled 1 (with the high side): parent G = −1, H = 1.5, score 0.4;
  //   x < 3, missing right: L (1, 0.5) → 1/1.5; R (−2, 1) → 4/2 = 2; gain 2.26667 (the best);
  //   x < 3, missing left: L (0, 1) → 0; R (−1, 0.5) → 1/1.5; gain 0.26667.
  // NaN rows labelled 0 mirror it: x < 3 with missing left gains 2.26667.
  const X = [[1], [2], [3], [4], [NaN], [NaN]];
  const fit = (nanLabel: number) =>
    new GradientBoostingClassifier({ nEstimators: 1, maxDepth: 1, learningRate: 1, minChildWeight: 0 }).fit(X, [0, 0, 1, 1, nanLabel, nanLabel]);

  it('sends missing rows to the side whose labels they share (default_left), and predicts them there', () => {
    const high = fit(1);
    expect(high.model.trees.split_conditions[0]).toBe(3);
    expect(high.model.trees.default_left[0]).toBe(0);
    expect(high.model.trees.loss_changes[0]).toBeCloseTo(2.266667, 5);
    expect(high.predictRaw([[NaN]])[0]).toBe(high.predictRaw([[4]])[0]);
    expect(high.predictRaw([[4]])[0]).toBeCloseTo(1, 6); // −(−2)/(1 + 1)
    expect(high.predictRaw([[1]])[0]).toBeCloseTo(-2 / 3, 6); // −1/(0.5 + 1)

    const low = fit(0);
    expect(low.model.trees.split_conditions[0]).toBe(3);
    expect(low.model.trees.default_left[0]).toBe(1);
    expect(low.model.trees.loss_changes[0]).toBeCloseTo(2.266667, 5);
    expect(low.predictRaw([[NaN]])[0]).toBe(low.predictRaw([[1]])[0]);
    expect(low.predict([[NaN], [4]])).toEqual([0, 1]);
  });

  it('can split present from missing when missingness is the only signal (as XGBoost\'s hist does)', () => {
    // XGBoost 1.7.4, tree_method hist, max_depth 1, eta 1, lambda 1, min_child_weight 0,
    // base_score 0.5, on x = 1, 1, 1, NaN, NaN, NaN and y = 0, 0, 0, 1, 1, 1:
    //   [f0<2.00001001] yes=1,no=2,missing=2,gain=1.125 → leaves −0.375 (present), 0.375 (missing)
    // (g = ±0.5, h = 1: score(1.5, 3) + score(−1.5, 3) − 0 = 2·2.25/4 = 1.125; w = ∓1.5/4).
    // The same with x = 1, 2, 3 for the present rows gives the same split in XGBoost.
    for (const present of [[1, 1, 1], [1, 2, 3]]) {
      const m = new GradientBoostingRegressor({ nEstimators: 1, maxDepth: 1, learningRate: 1, minChildWeight: 0 })
        .fit([...present.map((v) => [v]), [NaN], [NaN], [NaN]], [0, 0, 0, 1, 1, 1]);
      expect(m.model.trees.loss_changes[0]).toBeCloseTo(1.125, 6);
      expect(Array.from(m.predict([[1], [NaN]]))).toEqual([0.125, 0.875]);
    }
  });
});

describe('against XGBoost 1.7.4 on a small designed set', () => {
  // 80 rows of integer features (few distinct values, so XGBoost's hist cuts and ours coincide),
  // labels from a formula; "missing" blanks every cell with (7·row + 3·col) % 9 = 0. Margins of
  // rows 0–19 after 10 rounds (hist, max_depth 3, eta 0.3, lambda 1, max_bin 256, nthread 1,
  // base_score 0.5), written here from /usr/bin/python3 with xgboost 1.7.4:
  //   X = [[(i*37) % 13, (i*17+5) % 7, (i*i) % 10] for i in range(80)] (float32)
  //   bst = xgb.train(params, xgb.DMatrix(X, y), 10); bst.predict(xgb.DMatrix(X[:20]), output_margin=True)
  const n = 80;
  const dense = Array.from({ length: n }, (_, i) => [(i * 37) % 13, (i * 17 + 5) % 7, (i * i) % 10]);
  const missing = dense.map((row, i) => row.map((v, j) => ((7 * i + 3 * j) % 9 === 0 ? NaN : v)));
  const yReg = dense.map(([a, b, c], i) => f32(a * 0.3 - b + (c % 3) + ((i * 29) % 5) * 0.1));
  const yBin = dense.map(([a, b, c], i) => ((a + 2 * b + c + (i % 3)) % 4 < 2 ? 1 : 0));
  const yMulti = dense.map(([a, b]) => (a + b) % 3);
  const params = { nEstimators: 10, maxDepth: 3, learningRate: 0.3, lambda: 1, maxBin: 256 };
  const XGB = {
    dense: {
      reg: [
        -4.202569, 3.342186, -0.06669107, 2.192348, -1.24797, -3.416289, -0.8933626, -1.090172, 3.168629,
        -0.3760374, 1.911892, -0.9303685, -3.705277, -1.019027, -1.319331, 3.168629, -1.509526, 1.61583,
        -0.9303685, -4.231848,
      ],
      bin: [
        -1.792713, -0.5067369, 0.7722392, 1.970232, -1.193681, -1.916134, -2.425858, 2.630161, -0.5067369,
        0.7722392, 0.6569833, 0.4175428, -1.523786, -1.380473, 1.43794, 0.5863345, 0.01984046, 0.0911436,
        0.2331517, -1.792713,
      ],
      multi: [
        0.2232928, -0.1203566, 2.141339, 0.570324, -0.7494326, 0.2187174, 0.1753764, 1.008985, 0.5056084,
        0.5805249, 1.21156, 0.5444232, 0.5890257, 0.1984361, 0.6099105, 1.036248, 0.2849605, -0.2575863,
        0.9199681, 0.08512031, 0.4080887, 0.253797, 0.4218945, 0.1167377, 0.6571984, 0.3261002, 0.5642093,
        0.8367626, -0.2745053, 0.5056084, 1.255921, -0.3398979, 0.6166409, 0.587003, 0.9496903, 0.1272793,
        0.4627193, 0.3072068, 0.6286745, -0.05327916, 0.08512031, 0.6232281, 0.3824285, 0.9874011, 0.1167377,
        0.6340347, 1.21156, 0.4923108, 0.244816, 0.9023345, 0.4297048, 0.5805249, 1.083977, 0.6099105,
        0.5665428, 0.2200199, 0.1272793, 0.0332172, 0.2452482, 0.4592514,
      ],
    },
    missing: {
      reg: [
        -3.830882, 3.097869, 0.2802697, 2.386718, -0.7075294, -3.568448, -1.114523, -1.189617, 3.097869,
        -0.4940629, 1.864243, -0.6315705, -3.861836, -0.8862178, -1.189617, 1.205061, -1.384378, 1.550094,
        -0.158891, -3.947622,
      ],
      bin: [
        -1.37643, -0.8821107, -0.05609611, 1.80923, -0.3485451, -2.33017, -1.729898, 2.155759, -1.441223,
        1.083319, 0.3670019, 1.183764, -1.896109, -1.731219, 1.991663, 1.991663, 0.05451582, 0.8470575,
        1.083319, -2.172537,
      ],
      multi: [
        0.154097, 0.01591456, 1.875059, 1.568549, -0.6730177, 0.8703309, -0.2194801, 0.9104488, 0.828254,
        0.1993207, 0.6203449, 0.495111, 0.1441047, 0.2251496, 0.495111, 0.6641628, 1.066819, 0.2891036,
        1.440115, 0.8094579, -0.6216996, 0.5169094, 0.273503, 0.9561089, 0.9321159, 0.4034211, 0.9937431,
        1.153986, 0.01591456, -0.4445763, 0.6562236, -0.2594901, 0.4721951, -0.05464102, 0.1000096, 0.828254,
        0.9717047, 0.2158528, 0.2891036, 0.1454423, -0.2890273, 0.4398748, 0.3036989, 1.002105, 0.8023749,
        0.7611828, 1.789671, -0.7696347, -0.02073437, 1.003111, 0.495111, 0.3690613, -0.1343501, 0.495111,
        1.3098, 0.7130334, -0.4445763, -0.2623591, 0.242916, 0.6222467,
      ],
    },
  };
  const expectMargins = (got: Float32Array, want: number[]) => {
    expect(got.length).toBe(want.length);
    got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
  };

  for (const kind of ['dense', 'missing'] as const) {
    const X = kind === 'dense' ? dense : missing;
    it(`${kind}: reg:squarederror and binary:logistic margins match XGBoost's within 1e-5`, () => {
      expectMargins(new GradientBoostingRegressor(params).fit(X, yReg).predictRaw(X.slice(0, 20)), XGB[kind].reg);
      expectMargins(new GradientBoostingClassifier(params).fit(X, yBin).predictRaw(X.slice(0, 20)), XGB[kind].bin);
    });
    // with missing values XGBoost's trees use present-vs-missing splits ([f2<18.0000095] in
    // class 0's first tree), which our candidates lack (see 'missing values' above)
    it(`${kind}: multi:softprob margins match XGBoost's within 1e-5`, () => {
      expectMargins(new GradientBoostingClassifier(params).fit(X, yMulti).predictRaw(X.slice(0, 20)), XGB[kind].multi);
    });
  }
});

describe('regularisation and limits', () => {
  // x = 1 … 16; y = 0 ×4, 1 ×4, 100 ×4, 101 ×4; base 0.5 so g = 0.5 − y, h = 1; λ = 1, η = 1,
  // depth 2, score(G, H) = G²/(H + 1).
  //   root: G = 0 + (4 − 804) = −800, H = 16: x < 9 gains 0 + 800²/9 − 800²/17 = 33464.05;
  //   left child (G = 0, H = 8): x < 5 splits G = ±2 on H = 4 each: gain 2·4/5 − 0 = 1.6;
  //   right child (G = −800, H = 8): its best split loses (−398 and −402 on H = 4: 64001.6 −
  //   71111.1 < 0), so it stays a leaf. Leaves: ∓2/5 on the left, 800/9 on the right.
  const X = Array.from({ length: 16 }, (_, i) => [i + 1]);
  const y = [0, 0, 0, 0, 1, 1, 1, 1, 100, 100, 100, 100, 101, 101, 101, 101];
  const fit = (gamma: number) => new GradientBoostingRegressor({ nEstimators: 1, maxDepth: 2, learningRate: 1, gamma }).fit(X, y).model.trees;

  it('γ prunes splits that gain less than γ, bottom-up, and keeps the rest', () => {
    const full = fit(0);
    expect(Array.from(full.left_children)).toEqual([1, 3, -1, -1, -1]);
    expect(Array.from(full.split_conditions.subarray(0, 2))).toEqual([9, 5]);
    expect(full.loss_changes[0]).toBeCloseTo(33464.05, 1);
    expect(full.loss_changes[1]).toBeCloseTo(1.6, 5);
    expect(Array.from(full.split_conditions.subarray(2))).toEqual([f32(800 / 9), f32(-0.4), f32(0.4)]);
    const pruned = fit(1.7); // above 1.6, far below 33464
    expect(Array.from(pruned.left_children)).toEqual([1, -1, -1]);
    expect(pruned.split_conditions[0]).toBe(9);
    expect(pruned.split_conditions[1]).toBeCloseTo(0, 12); // the former split node's η·w = −0/(8 + 1)
    expect(pruned.split_conditions[2]).toBe(f32(800 / 9));
    expect(Array.from(fit(1.5).left_children)).toEqual(Array.from(full.left_children)); // 1.6 ≥ γ stays
    const stump = fit(1e5); // the root's gain is below γ too once its children are leaves
    expect(stump.left_children.length).toBe(1);
    expect(stump.split_conditions[0]).toBe(f32(800 / 17));
  });

  const { X: Xs, reg } = synthetic(500, 2, 0.05);

  it('maxDepth bounds every tree\'s depth (and is reached)', () => {
    const ts = trees(new GradientBoostingRegressor({ nEstimators: 10, maxDepth: 3 }).fit(Xs, reg).model);
    expect(Math.max(...ts.map(maxDepthOf))).toBe(3);
  });

  it('maxLeaves bounds every tree\'s leaves (and is reached)', () => {
    const ts = trees(new GradientBoostingRegressor({ nEstimators: 10, maxDepth: 6, maxLeaves: 5 }).fit(Xs, reg).model);
    expect(Math.max(...ts.map(leafCount))).toBe(5);
  });

  it('colsample fractions keep at least one feature (per tree, level and node)', () => {
    const wide = Xs.map((row) => [...row, ...row]); // 10 features
    const byTree = trees(new GradientBoostingRegressor({ nEstimators: 12, maxDepth: 3, colsampleBytree: 0.01 }).fit(wide, reg).model);
    const used = new Set<number>();
    for (const t of byTree) {
      const fs = new Set(splitNodes(t).map((i) => t.split_indices[i]));
      expect(fs.size).toBe(1);
      fs.forEach((f) => used.add(f));
    }
    expect(used.size).toBeGreaterThan(1); // a different feature per tree, not always the same
    const half = trees(new GradientBoostingRegressor({ nEstimators: 12, maxDepth: 4, colsampleBytree: 0.5 }).fit(wide, reg).model);
    for (const t of half) expect(new Set(splitNodes(t).map((i) => t.split_indices[i])).size).toBeLessThanOrEqual(5);
    const byLevel = trees(new GradientBoostingRegressor({ nEstimators: 12, maxDepth: 3, colsampleBylevel: 0.01 }).fit(wide, reg).model);
    for (const t of byLevel) {
      const d = depths(t);
      for (let level = 0; level < 3; level++) {
        const fs = new Set(splitNodes(t).filter((i) => d.get(i) === level).map((i) => t.split_indices[i]));
        expect(fs.size).toBeLessThanOrEqual(1);
      }
      expect(splitNodes(t).length).toBeGreaterThan(0);
    }
    const byNode = trees(new GradientBoostingRegressor({ nEstimators: 5, maxDepth: 3, colsampleBynode: 0.01 }).fit(wide, reg).model);
    for (const t of byNode) expect(splitNodes(t).length).toBeGreaterThan(0);
  });

  it('subsample and column sampling follow the seed: same seed, same model; another seed, another', () => {
    const fit = (seed: number) =>
      new GradientBoostingRegressor({ nEstimators: 8, maxDepth: 3, subsample: 0.5, colsampleBynode: 0.5, seed }).fit(Xs, reg, { evalSet: [[Xs, reg]] });
    const a = fit(1);
    expect(fit(1).predictRaw(Xs)).toEqual(a.predictRaw(Xs));
    expect(fit(2).predictRaw(Xs)).not.toEqual(a.predictRaw(Xs));
    const h = a.evalsResult.validation_0.rmse;
    expect(h[h.length - 1]).toBeLessThan(0.8 * h[0]);
    // half the rows per tree: each root covers about 250 of the 500 (hessian 1 per row)
    const covers = trees(a.model).map((t) => t.sum_hessian[0]);
    for (const c of covers) expect(Math.abs(c - 250)).toBeLessThan(50);
    expect(new Set(covers).size).toBeGreaterThan(1);
  });

  it('λ = 0 with minChildWeight = 0 keeps every gain, leaf and prediction finite', () => {
    // wide-ranging targets make G − G_L a rounding residue where a child's upper bins are empty
    // (H − H_L exactly 0 with unit hessians): T(δ)²/(0 + 0) = ∞ must not win (XGBoost's CalcGain
    // and CalcWeight return 0 when H ≤ 0)
    const rng = new NumpyRandom(7);
    const Xw = Array.from({ length: 3000 }, () => [Math.floor(rng.random() * 50), rng.random() * 3, Math.floor(rng.random() * 4)]);
    const yw = Xw.map((r) => Math.exp(r[1] * 6) * (1 + rng.random()) + r[0] * 1e-4);
    const m = new GradientBoostingRegressor({ lambda: 0, minChildWeight: 0, nEstimators: 10, maxDepth: 8, learningRate: 0.3 }).fit(Xw, yw);
    const t = m.model.trees;
    expect(t.loss_changes.every(Number.isFinite)).toBe(true);
    expect(t.split_conditions.every(Number.isFinite)).toBe(true);
    expect(m.predict(Xw).every(Number.isFinite)).toBe(true);
  });
});

describe('early stopping, callbacks and cancellation', () => {
  const train = synthetic(300, 3, 0.1);
  const valid = synthetic(300, 4, 0.1);
  const options = { nEstimators: 200, learningRate: 0.5, maxDepth: 6, seed: 5 };

  it('keeps the rounds up to the best one and stops earlyStoppingRounds after it', () => {
    const m = new GradientBoostingClassifier(options).fit(train.X, train.bin, { evalSet: [[valid.X, valid.bin]], earlyStoppingRounds: 5, evalMetric: 'logloss' });
    const h = m.evalsResult.validation_0.logloss;
    const best = h.indexOf(Math.min(...h));
    expect(m.bestIteration).toBe(best);
    expect(h.length).toBe(best + 6); // stopped 5 rounds after the best: overfitting at η 0.5
    expect(numTrees(m.model)).toBe(best + 1);
    // the kept model is the one trained for best + 1 rounds
    const short = new GradientBoostingClassifier({ ...options, nEstimators: best + 1 }).fit(train.X, train.bin);
    expect(m.predictRaw(valid.X)).toEqual(short.predictRaw(valid.X));
  });

  it('watches the last eval set and maximises auc; keeps numClass trees per round', () => {
    const m = new GradientBoostingClassifier(options).fit(train.X, train.three, {
      evalSet: [[train.X, train.three], [valid.X, valid.three]],
      earlyStoppingRounds: 3,
      evalMetric: ['merror', 'mlogloss'],
    });
    const h = m.evalsResult.validation_1.merror;
    expect(m.bestIteration).toBe(h.indexOf(Math.min(...h)));
    expect(h.length).toBeLessThan(200);
    expect(numTrees(m.model)).toBe(3 * (m.bestIteration! + 1));
    const auc = new GradientBoostingClassifier(options).fit(train.X, train.bin, { evalSet: [[valid.X, valid.bin]], earlyStoppingRounds: 4, evalMetric: 'auc' });
    const a = auc.evalsResult.validation_0.auc;
    expect(auc.bestIteration).toBe(a.indexOf(Math.max(...a)));
  });

  it('stops after the round where a callback returns true or \'stop\'', () => {
    for (const said of [true, 'stop'] as const) {
      const seen: number[] = [];
      const m = new GradientBoostingRegressor({ nEstimators: 50 }).fit(train.X, train.reg, {
        evalSet: [[valid.X, valid.reg]],
        callbacks: [(info) => {
          seen.push(info.iteration);
          expect(info.evals.validation_0.rmse).toBeGreaterThan(0);
          return info.iteration === 3 ? said : undefined;
        }],
      });
      expect(seen).toEqual([0, 1, 2, 3]);
      expect(numTrees(m.model)).toBe(4);
      expect(m.evalsResult.validation_0.rmse).toHaveLength(4);
      expect(m.bestIteration).toBeUndefined();
    }
  });

  it('an AbortSignal aborted from a callback stops training with its reason', () => {
    const controller = new AbortController();
    const reason = new Error('enough');
    const rounds: number[] = [];
    const m = new GradientBoostingRegressor({ nEstimators: 50 });
    expect(() =>
      m.fit(train.X, train.reg, {
        signal: controller.signal,
        callbacks: [(info) => {
          rounds.push(info.iteration);
          if (info.iteration === 2) controller.abort(reason);
        }],
      }),
    ).toThrow(reason);
    expect(rounds).toEqual([0, 1, 2]);
    expect(() => m.model).toThrow(GroveNotFittedError); // no half-fitted state
    // already aborted: no round runs
    const calls: number[] = [];
    expect(() => m.fit(train.X, train.reg, { signal: controller.signal, callbacks: [(i) => void calls.push(i.iteration)] })).toThrow(reason);
    expect(calls).toEqual([]);
  });
});

describe('typed labels', () => {
  it('grow the model the same labels in an array grow, classes 0 … K − 1 or not', () => {
    const rng = new NumpyRandom(5);
    const X = Array.from({ length: 60 }, () => [rng.random(), rng.random()]);
    const params = { nEstimators: 3, maxDepth: 3 };
    for (const y of [X.map((r) => (r[0] > 0.5 ? 1 : 0)), X.map((r) => Math.floor(3 * r[1])), X.map((r) => (r[0] > 0.4 ? 7 : 2))]) {
      const plain = new GradientBoostingClassifier(params).fit(X, y);
      for (const typed of [Float32Array.from(y), Int32Array.from(y), Float64Array.from(y)]) {
        const model = new GradientBoostingClassifier(params).fit(X, typed);
        expect(model.classes).toEqual(plain.classes);
        expect(model.model.trees).toEqual(plain.model.trees);
      }
    }
  });
});

describe('sample weights and softprob', () => {
  it('a weight of 2 grows the same trees as the row written twice', () => {
    // few distinct values per feature, so both data sets get the same cuts (one bin per value)
    const rng = new NumpyRandom(11);
    const X = Array.from({ length: 120 }, () => [Math.floor(rng.random() * 9), Math.floor(rng.random() * 30) / 3, rng.random() < 0.2 ? NaN : Math.floor(rng.random() * 4)]);
    const yReg = X.map((r) => r[0] - 2 * r[1] + (Number.isNaN(r[2]) ? 3 : r[2]) + Math.floor(rng.random() * 3));
    const yBin = yReg.map((v) => (v > -4 ? 1 : 0));
    const twice = X.map((_, i) => (i % 3 === 0 ? 2 : 1));
    const dup = X.flatMap((row, i) => (twice[i] === 2 ? [row, row] : [row]));
    const dupOf = (y: number[]) => y.flatMap((v, i) => (twice[i] === 2 ? [v, v] : [v]));
    const params = { nEstimators: 5, maxDepth: 4, learningRate: 0.3 };
    const pairs: Array<[BoostedModel, BoostedModel]> = [
      [new GradientBoostingRegressor(params).fit(X, yReg, { sampleWeight: twice }).model, new GradientBoostingRegressor(params).fit(dup, dupOf(yReg)).model],
      [new GradientBoostingClassifier(params).fit(X, yBin, { sampleWeight: twice }).model, new GradientBoostingClassifier(params).fit(dup, dupOf(yBin)).model],
    ];
    for (const [weighted, duplicated] of pairs) {
      const a = weighted.trees;
      const b = duplicated.trees;
      expect(a.left_children.length).toBeGreaterThan(5);
      for (const name of ['left_children', 'right_children', 'split_indices', 'split_conditions', 'default_left', 'tree_offsets'] as const) expect(a[name]).toEqual(b[name]);
      a.split_conditions.forEach((v, i) => expect(v).toBeCloseTo(b.split_conditions[i], 6));
      a.sum_hessian.forEach((v, i) => expect(v).toBeCloseTo(b.sum_hessian[i], 4));
    }
  });

  it('multi:softprob on 3 classes: one tree per class per round, probabilities summing to 1', () => {
    const { X, three } = synthetic(300, 6);
    const labels = three.map((k) => ['setosa', 'versicolor', 'virginica'][k]);
    const m = new GradientBoostingClassifier({ nEstimators: 10, maxDepth: 3 }).fit(X, labels);
    expect(m.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(m.model.objective).toBe('multi:softprob');
    expect(m.model.numClass).toBe(3);
    expect(Array.from(m.model.trees.tree_info)).toEqual(Array.from({ length: 30 }, (_, t) => t % 3));
    const P = m.predictProba(X);
    const raw = m.predictRaw(X);
    expect(P.length).toBe(900);
    for (let r = 0; r < 300; r++) {
      const e = [0, 1, 2].map((k) => Math.exp(raw[3 * r + k]));
      const s = e[0] + e[1] + e[2];
      expect(P[3 * r] + P[3 * r + 1] + P[3 * r + 2]).toBeCloseTo(1, 6);
      for (let k = 0; k < 3; k++) expect(P[3 * r + k]).toBeCloseTo(e[k] / s, 6);
    }
    const predicted = m.predict(X);
    expect(predicted.filter((v, i) => v === labels[i]).length / 300).toBeGreaterThan(0.9);
  });
});

describe('bad input gives clear errors', () => {
  const X = [[1, 2], [3, 4], [5, 6]];
  const reg = () => new GradientBoostingRegressor({ nEstimators: 2 });
  const clf = () => new GradientBoostingClassifier({ nEstimators: 2 });

  it('labels outside the objective\'s domain, NaN labels', () => {
    expect(() => clf().fit(X, [0, 0, 0])).toThrow(/y has 1 distinct label\(s\); a classifier needs at least 2/);
    expect(() => clf().fit(X, [0, 1, 1], { evalSet: [[X, [0, 1, 2]]] })).toThrow(/evalSet\[0\]\[2\] = 2 is not a class of y \(0, 1\)/);
    expect(() => reg().fit(X, [1, NaN, 2])).toThrow(GroveDataError);
    expect(() => reg().fit(X, [1, NaN, 2])).toThrow(/y\[1\] is NaN; labels must be finite numbers/);
    expect(() => reg().fit(X, [1, Infinity, 2])).toThrow(/y\[1\] is Infinity/);
    expect(() => clf().fit(X, [0, NaN, 1])).toThrow(/y\[1\] is NaN; labels must be finite numbers or strings/);
    // typed labels: the first NaN or ±Infinity by index
    expect(() => clf().fit(X, Float32Array.of(0, Infinity, NaN))).toThrow(/y\[1\] is Infinity; labels must be finite numbers or strings/);
    expect(() => clf().fit(X, Float64Array.of(1, 0, -Infinity))).toThrow(/y\[2\] is -Infinity/);
    expect(() => clf().fit(X, Float64Array.of(NaN, 0, 1))).toThrow(/y\[0\] is NaN/);
    expect(() => reg().fit(X, [1, '2' as unknown as number, 3])).toThrow(/y\[1\] is 2; labels must be finite numbers/);
  });

  it('0 rows, ragged rows, y of the wrong length, non-numeric or infinite X', () => {
    expect(() => reg().fit([], [])).toThrow(/X has no rows/);
    expect(() => reg().fit({ data: new Float32Array(0), rows: 0, cols: 3 }, [])).toThrow(/X has no rows/);
    expect(() => clf().fit([], [])).toThrow(GroveDataError);
    expect(() => reg().fit([[1, 2], [3], [5, 6]], [1, 2, 3])).toThrow(/X row 1 has 1 values, row 0 has 2/);
    expect(() => reg().fit(X, [1, 2])).toThrow(/y has 2 labels for 3 rows of X/);
    expect(() => clf().fit(X, [0, 1, 0, 1])).toThrow(/y has 4 labels for 3 rows of X/);
    expect(() => reg().fit([[1, 'a' as unknown as number], [3, 4], [5, 6]], [1, 2, 3])).toThrow(/X\[0\]\[1\] is "a", not a number/);
    expect(() => reg().fit([[1, Infinity], [3, 4], [5, 6]], [1, 2, 3])).toThrow(/X\[0\]\[1\] is Infinity/);
    // typed data: the first ±Infinity (or a float64 beyond float32's range) is named by row and column
    expect(() => reg().fit({ data: Float32Array.of(1, 2, 3, 4, -Infinity, Infinity), rows: 3, cols: 2 }, [1, 2, 3])).toThrow(/X\[2\]\[0\] is -Infinity/);
    expect(() => reg().fit({ data: Float32Array.of(1, 2, 3, Infinity, -Infinity, 6), rows: 3, cols: 2 }, [1, 2, 3])).toThrow(/X\[1\]\[1\] is Infinity/);
    expect(() => reg().fit({ data: Float64Array.of(1, 2, 3, 4, 5, 1e39), rows: 3, cols: 2 }, [1, 2, 3])).toThrow(/X\[2\]\[1\] is Infinity/);
    expect(() => reg().fit(X, [1, 2, 3], { sampleWeight: [1, -1, 1] })).toThrow(/sampleWeight\[1\] is -1/);
    expect(() => reg().fit(X, [1, 2, 3], { sampleWeight: [1, 1] })).toThrow(/sampleWeight has 2 entries for 3 rows/);
    expect(() => reg().fit(X, [1, 2, 3], { evalSet: [[[[1]], [1]]] })).toThrow(/evalSet\[0\] has 1 columns, X has 2/);
  });

  it('unknown options and out-of-range parameters, named with what is accepted', () => {
    expect(() => new GradientBoostingRegressor({ max_depth: 3 } as never)).toThrow(GroveArgumentError);
    expect(() => new GradientBoostingRegressor({ max_depth: 3 } as never)).toThrow(/unknown option "max_depth" \(known: nEstimators, /);
    expect(() => new GradientBoostingRegressor({ maxDepth: 0 })).toThrow(/maxDepth must be an integer in \[1, 30\]. Got 0/);
    expect(() => new GradientBoostingRegressor({ learningRate: 0 })).toThrow(/learningRate must be a number > 0. Got 0/);
    expect(() => new GradientBoostingRegressor({ subsample: 1.5 })).toThrow(/subsample must be a number in \(0, 1\]. Got 1.5/);
    expect(() => new GradientBoostingRegressor({ treeMethod: 'fast' as never })).toThrow(/treeMethod must be one of exact, approx, hist/);
    expect(() => new GradientBoostingClassifier({ baseScore: 1 }).fit(X, [0, 1, 1])).toThrow(/baseScore must be a probability in \(0, 1\)/);
    expect(() => reg().fit(X, [1, 2, 3], { earlyStopping: 3 } as never)).toThrow(/unknown option "earlyStopping"/);
    expect(() => reg().fit(X, [1, 2, 3], { earlyStoppingRounds: 3 })).toThrow(/earlyStoppingRounds needs an evalSet/);
    expect(() => reg().fit(X, [1, 2, 3], { earlyStoppingRounds: 0, evalSet: [[X, [1, 2, 3]]] })).toThrow(/earlyStoppingRounds must be an integer ≥ 1. Got 0/);
  });

  it('an evalMetric that does not fit the objective', () => {
    expect(() => reg().fit(X, [1, 2, 3], { evalSet: [[X, [1, 2, 3]]], evalMetric: 'auc' })).toThrow(/evalMetric "auc" does not fit reg:squarederror \(use rmse, mae\)/);
    expect(() => clf().fit(X, [0, 1, 1], { evalSet: [[X, [0, 1, 1]]], evalMetric: 'mlogloss' })).toThrow(/evalMetric "mlogloss" does not fit binary:logistic/);
    expect(() => clf().fit(X, [0, 1, 2], { evalSet: [[X, [0, 1, 2]]], evalMetric: 'auc' })).toThrow(/evalMetric "auc" does not fit multi:softprob/);
    expect(() => reg().fit(X, [1, 2, 3], { evalMetric: 'r2' as never })).toThrow(/evalMetric must be among logloss, error, auc, rmse, mae, mlogloss, merror. Got r2/);
  });

  it('fitted state before fit, and prediction with the wrong width', () => {
    expect(() => reg().predict(X)).toThrow(GroveNotFittedError);
    expect(() => clf().classes).toThrow(GroveNotFittedError);
    expect(() => reg().bestIteration).toThrow(GroveNotFittedError);
    const m = reg().fit(X, [1, 2, 3]);
    expect(() => m.predict([[1, 2, 3]])).toThrow(/X has 3 columns, the model 2/);
  });
});
