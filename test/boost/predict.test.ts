// The WebAssembly forest walker and probability kernel (assembly/tree/predict.ts through
// src/boost/predict.ts) against a plain walker written here: random forests in XGBoost's layout
// (node ids in any order, deleted nodes), values that tie with the split conditions, ±0,
// subnormals, ±∞ and NaN, row counts across the kernel's 8-row groups, 64-row blocks and call
// sizes; probabilities against values XGBoost 1.7.4 computed.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DELETED_SPLIT_INDEX, forestFromTrees, probaFromMargins, softmaxRows, type ForestArrays, type TreeArrays } from '../../src/boost/model.js';
import { addTreeMargins, leafIds } from '../../src/boost/predict.js';
import { initSync } from '../../src/runtime/kernel.js';

/**
 * A float32 sigmoid 1/(exp(min(−m, 88.7)) + 1) with float64 exp rounded to float32: an ulp or
 * two off XGBoost's expf for about 3 margins in 10⁴, the reference for "within 2 ulps".
 */
function sigmoid(m: number): number {
  const f = Math.fround;
  return f(1 / f(f(Math.exp(Math.min(-m, f(88.7)))) + 1));
}

const wasm = readFileSync(new URL('../../build/debug.wasm', import.meta.url));
initSync({ module: wasm });

const f32 = Math.fround;
const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

type Shape = { leaf: number } | { feature: number; cond: number; defaultLeft: boolean; left: Shape; right: Shape };

/** Values that tie with the conditions, straddle zero, or sit at float32's edges. */
const POOL = [-2, -1, -0, 0, 1e-40, -1e-40, 0.5, 1, 3.4e38, -3.4e38].map(f32);
const condArb = fc.constantFrom(...POOL);
const xArb = fc.oneof(condArb, fc.constantFrom(NaN, Infinity, -Infinity), fc.float({ noNaN: true, noDefaultInfinity: true }));

const shapeArb = fc.letrec<{ node: Shape }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ leaf: fc.float({ min: -10, max: 10, noNaN: true }).map(f32) }),
    fc.record({ feature: fc.nat({ max: 5 }), cond: condArb, defaultLeft: fc.boolean(), left: tie('node'), right: tie('node') }),
  ),
})).node;

/**
 * XGBoost's arrays for `shape`: the root is node 0, the other ids follow `order` (a random
 * permutation), and `deleted` unreachable leaves marked as XGBoost's pruner marks them are
 * mixed in.
 */
function treeArrays(shape: Shape, m: number, deleted: number, seed: number): TreeArrays {
  const flat: Array<{ shape: Shape; left: number; right: number }> = [];
  const visit = (s: Shape): number => {
    const i = flat.length;
    flat.push({ shape: s, left: -1, right: -1 });
    if ('feature' in s) {
      flat[i].left = visit(s.left);
      flat[i].right = visit(s.right);
    }
    return i;
  };
  visit(shape);
  const n = flat.length + deleted;
  // a seeded shuffle of ids 1 … n − 1: slots ≥ flat.length are the deleted nodes
  const ids = Array.from({ length: n - 1 }, (_, i) => i + 1);
  let s = seed >>> 0;
  for (let i = ids.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const id = (k: number) => (k === 0 ? 0 : ids[k - 1]);
  const t: TreeArrays = {
    left_children: new Int32Array(n).fill(-1),
    right_children: new Int32Array(n).fill(-1),
    split_indices: new Int32Array(n).fill(DELETED_SPLIT_INDEX),
    split_conditions: new Float32Array(n),
    default_left: new Uint8Array(n).fill(1),
    base_weights: new Float32Array(n),
    sum_hessian: new Float32Array(n),
    loss_changes: new Float32Array(n),
  };
  flat.forEach(({ shape: s, left, right }, k) => {
    const i = id(k);
    if ('leaf' in s) {
      t.split_indices[i] = 0;
      t.default_left[i] = 0;
      t.split_conditions[i] = s.leaf;
      return;
    }
    t.left_children[i] = id(left);
    t.right_children[i] = id(right);
    t.split_indices[i] = s.feature % m;
    t.split_conditions[i] = s.cond;
    t.default_left[i] = s.defaultLeft ? 1 : 0;
  });
  return t;
}

/** The node (local id) row `x` reaches in tree t: x < cond goes left, NaN follows default_left. */
function walk(forest: ForestArrays, t: number, x: Float32Array): number {
  const base = forest.tree_offsets[t];
  let node = 0;
  while (forest.left_children[base + node] !== -1) {
    const v = x[forest.split_indices[base + node]];
    const goLeft = Number.isNaN(v) ? forest.default_left[base + node] === 1 : v < forest.split_conditions[base + node];
    node = goLeft ? forest.left_children[base + node] : forest.right_children[base + node];
  }
  return node;
}

const caseArb = fc
  .record({
    m: fc.integer({ min: 1, max: 6 }),
    n: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 60, max: 200 })),
    nClass: fc.integer({ min: 1, max: 3 }),
    trees: fc.array(fc.record({ shape: shapeArb, deleted: fc.nat({ max: 3 }), seed: fc.nat() }), { maxLength: 6 }),
  })
  .chain(({ m, n, nClass, trees }) =>
    fc.record({
      m: fc.constant(m),
      n: fc.constant(n),
      nClass: fc.constant(nClass),
      trees: fc.constant(trees),
      info: fc.array(fc.nat({ max: nClass - 1 }), { minLength: trees.length, maxLength: trees.length }),
      X: fc.array(xArb, { minLength: n * m, maxLength: n * m }),
      start: fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: n * nClass, maxLength: n * nClass }),
      range: fc.tuple(fc.nat({ max: trees.length }), fc.nat({ max: trees.length })),
    }),
  );

describe('forest walker', () => {
  it('equals a plain walker: x < condition left, NaN → default_left, float32 adds in tree order', () => {
    fc.assert(
      fc.property(caseArb, ({ m, n, nClass, trees, info, X: xs, start, range }) => {
        const forest = forestFromTrees(trees.map((t) => treeArrays(t.shape, m, t.deleted, t.seed)), info);
        const X = Float32Array.from(xs);
        const [tFrom, tTo] = [Math.min(...range), Math.max(...range)];
        const want = Float32Array.from(start);
        const leaves = new Int32Array(n * trees.length);
        for (let r = 0; r < n; r++) {
          const x = X.subarray(r * m, (r + 1) * m);
          for (let t = 0; t < trees.length; t++) {
            const node = walk(forest, t, x);
            leaves[r * trees.length + t] = node;
            if (t < tFrom || t >= tTo) continue;
            const at = r * nClass + info[t];
            want[at] = f32(want[at] + forest.split_conditions[forest.tree_offsets[t] + node]);
          }
        }
        const got = Float32Array.from(start);
        addTreeMargins(forest, X, n, m, nClass, got, tFrom, tTo);
        expect(bits(got)).toEqual(bits(want)); // bit for bit
        expect(leafIds(forest, X, n, m)).toEqual(leaves);
      }),
      { numRuns: 300 },
    );
  });

  it('sums many trees in float32, in order (not in float64)', () => {
    // one-leaf trees 1, 2⁻²⁴, 2⁻²⁴: each float32 add rounds 1 + 2⁻²⁴ back to 1 (ties to even)
    const leaf = (v: number) => treeArrays({ leaf: v }, 1, 0, 0);
    const forest = forestFromTrees([leaf(1), leaf(2 ** -24), leaf(2 ** -24)], [0, 0, 0]);
    const margin = new Float32Array(1);
    addTreeMargins(forest, new Float32Array(1), 1, 1, 1, margin);
    expect(margin[0]).toBe(1);
  });

  it('walks many rows, across the growing kernel calls, as row by row', () => {
    // depth-3 trees on 3 features; 10,000 rows span calls of 64, 128, … 4,096 rows
    const rng = (() => {
      let s = 7;
      return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    })();
    const shape = (d: number): Shape =>
      d === 0 ? { leaf: f32(rng() - 0.5) } : { feature: Math.floor(rng() * 3), cond: f32(rng()), defaultLeft: rng() < 0.5, left: shape(d - 1), right: shape(d - 1) };
    const forest = forestFromTrees(Array.from({ length: 20 }, (_, i) => treeArrays(shape(3), 3, i % 2, i)), new Array(20).fill(0));
    const n = 10_000;
    const X = Float32Array.from({ length: 3 * n }, () => (rng() < 0.1 ? NaN : f32(rng())));
    const margin = new Float32Array(n);
    addTreeMargins(forest, X, n, 3, 1, margin);
    const want = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      for (let t = 0; t < 20; t++) want[r] = f32(want[r] + forest.split_conditions[forest.tree_offsets[t] + walk(forest, t, X.subarray(3 * r, 3 * r + 3))]);
    }
    expect(bits(margin)).toEqual(bits(want));
  });

  it('keeps a forest in kernel memory and copies it in again for a new instance', () => {
    const forest = forestFromTrees([treeArrays({ feature: 0, cond: 0.5, defaultLeft: true, left: { leaf: 1 }, right: { leaf: 2 } }, 1, 0, 0)], [0]);
    const predict = () => {
      const margin = new Float32Array(3);
      addTreeMargins(forest, Float32Array.of(0, 1, NaN), 3, 1, 1, margin);
      return Array.from(margin);
    };
    expect(predict()).toEqual([1, 2, 1]);
    initSync({ module: wasm }); // a new instance: the resident copy is gone with the old one
    expect(predict()).toEqual([1, 2, 1]);
  });
});

describe('probabilities', () => {
  // Margins of a 100-tree XGBoost 1.7.4 model (inplace_predict, binary:logistic) and its
  // P(class 1), as float32 bits. Picked where exp in float64 rounded to float32 gives another
  // probability than XGBoost's expf.
  const XGBOOST: Array<[number, number]> = [
    [0xbf38f9d9, 0x3ea75620],
    [0xbff7d842, 0x3e0114e8],
    [0xbfadd3e1, 0x3e51786a],
    [0xbf9468fd, 0x3e747f36],
    [0xc018eca6, 0x3dabfe56],
    [0xbeba1193, 0x3ed1fcf6],
    [0xbe3ffda3, 0x3ee8123a],
    [0xbfdbf4a4, 0x3e1bba0e],
  ];
  const fromBits = (b: number[]) => new Float32Array(Uint32Array.from(b).buffer);
  const binary = { objective: 'binary:logistic', numClass: 2 } as const;

  it("binary: [1 − p, p] with XGBoost's float32 sigmoid, bit for bit", () => {
    const margins = fromBits(XGBOOST.map(([m]) => m));
    const proba = probaFromMargins({ ...binary, numFeature: 1, baseScore: 0.5, trees: forestFromTrees([], []) }, margins);
    const p = proba.filter((_, i) => i % 2 === 1);
    expect(bits(p)).toEqual(Uint32Array.from(XGBOOST.map(([, q]) => q)));
    expect(proba.filter((_, i) => i % 2 === 0)).toEqual(p.map((q) => f32(1 - q)));
  });

  it('binary: within 2 ulps of the float64-exp sigmoid everywhere, and clamped below', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -200, max: 200, noNaN: true }), { maxLength: 40 }), (ms) => {
        const margins = Float32Array.from(ms);
        const p = probaFromMargins({ ...binary, numFeature: 1, baseScore: 0.5, trees: forestFromTrees([], []) }, margins).filter((_, i) => i % 2 === 1);
        margins.forEach((m, i) => {
          const want = sigmoid(m);
          expect(Math.abs(p[i] - want)).toBeLessThanOrEqual(2 * ulp(want));
          expect(p[i]).toBeGreaterThan(0);
        });
      }),
    );
  });

  it('softmax: each row sums to 1 and equals expf(m − max) / Σ within 2 ulps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }).chain((k) => fc.tuple(fc.constant(k), fc.array(fc.float({ min: -50, max: 50, noNaN: true }), { minLength: 0, maxLength: 10 * k }))), ([k, ms]) => {
        const margins = Float32Array.from(ms.slice(0, ms.length - (ms.length % k)));
        const p = softmaxRows(margins, k);
        for (let r = 0; r < margins.length / k; r++) {
          const row = margins.subarray(r * k, (r + 1) * k);
          const top = Math.max(...row);
          const e = Array.from(row, (m) => f32(Math.exp(f32(m - top))));
          const total = f32(e.reduce((a, b) => a + b, 0));
          e.forEach((v, c) => expect(Math.abs(p[r * k + c] - f32(v / total))).toBeLessThanOrEqual(2 * ulp(f32(v / total)) + 1e-45));
          expect(Math.abs(p.subarray(r * k, (r + 1) * k).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6 * k);
        }
      }),
    );
  });

  it('softmax sums its float32 terms in float64, as XGBoost does', () => {
    // expf(−17) ≈ 4.1e-8 is below half an ulp of 1: float32 sums of 1 + e + e stay 1, the
    // float64 sum rounds to 1 + 2⁻²³, so p₀ = 1/(1 + 2⁻²³) rounded, not 1
    const p = softmaxRows(Float32Array.of(0, -17, -17), 3);
    expect(p[0]).toBe(f32(1 / f32(1 + 2 ** -23)));
    expect(p[0]).toBeLessThan(1);
  });

  it('regression has none', () => {
    expect(() => probaFromMargins({ objective: 'reg:squarederror', numClass: 1, numFeature: 1, baseScore: 0.5, trees: forestFromTrees([], []) }, new Float32Array(1))).toThrow(/regression objective/);
  });
});

/** The spacing of float32 values at |x|. */
function ulp(x: number): number {
  const a = Math.abs(x);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}
