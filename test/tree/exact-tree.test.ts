// The exact tree grown in the kernel (assembly/tree/exact-tree.ts through ExactGrower) against a
// plain TypeScript driver of the same level kernels: the level loop of grown-tree.ts' rules
// (kRtEps, maxDepth, maxLeaves), γ pruning and the breadth-first layout by layoutTree, and the
// leaf values added to the margins row by row. The kernels it drives are checked against brute
// force in exact.test.ts; here the node bookkeeping, the layout and the margins must agree bit
// for bit, on random data, sampled rows and features, column sampling by level and node, and
// trees large enough to outgrow the kernel's first node capacity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TreeArrays } from '../../src/boost/model.js';
import { f32At } from '../../src/runtime/heap.js';
import { withKernel, type KernelExports } from '../../src/runtime/kernel.js';
import type { HeapScope } from '../../src/runtime/heap.js';
import { NumpyRandom } from '../../src/random/numpy.js';
import { ExactGrower } from '../../src/tree/exact-grower.js';
import { RT_EPS, layoutTree, sampleFeatures, type GrowOptions, type GrownNode } from '../../src/tree/grown-tree.js';
import { inKernel } from '../helpers/kernel.js';

const cellArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(NaN) },
  { weight: 3, arbitrary: fc.integer({ min: -4, max: 4 }) },
  { weight: 3, arbitrary: fc.float({ min: -100, max: 100, noNaN: true }) },
);

const caseArb = fc
  .record({ n: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 200, max: 400 })), m: fc.integer({ min: 1, max: 4 }) })
  .chain(({ n, m }) =>
    fc.record({
      n: fc.constant(n),
      m: fc.constant(m),
      X: fc.array(cellArb, { minLength: n * m, maxLength: n * m }),
      g: fc.array(fc.float({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
      h: fc.array(fc.float({ min: Math.fround(0.01), max: 2, noNaN: true }), { minLength: n, maxLength: n }),
      inSample: fc.array(fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), { minLength: n, maxLength: n }),
      allowed: fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(0) }), { minLength: m, maxLength: m }),
      options: fc.record({
        maxDepth: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 7, max: 10 })),
        maxLeaves: fc.constantFrom(0, 0, 3, 40),
        minChildWeight: fc.constantFrom(0, 0.05, 1),
        lambda: fc.constantFrom(0, 1),
        alpha: fc.constantFrom(0, 0.2),
        gamma: fc.constantFrom(0, 0.3),
        colsampleBylevel: fc.constantFrom(1, 1, 0.5),
        colsampleBynode: fc.constantFrom(1, 1, 0.6),
        eta: fc.constantFrom(0.3, 1),
      }),
      seed: fc.integer({ min: 0, max: 1000 }),
    }),
  );

/** The level loop as plain TypeScript over tree_exact_root / tree_exact_level / tree_exact_apply, then layoutTree. */
function reference(k: KernelExports, heap: HeapScope, c: { n: number; m: number; X: Float32Array; gh: Float32Array; sample: Uint32Array; allowed: Uint8Array }, o: GrowOptions, rng: NumpyRandom) {
  const { n, m } = c;
  const at = { vals: heap.alloc(4 * n * m), rows: heap.alloc(4 * n * m), colPtr: heap.alloc(4 * (m + 1)), missPtr: heap.alloc(4 * (m + 1)), X: heap.copyIn(c.X) };
  k.tree_column_blocks(at.X, n, m, heap.alloc(8 * n), at.vals, at.rows, at.colPtr, at.missPtr);
  const rowNode = new Int32Array(n).fill(-1);
  let G = 0;
  let H = 0;
  for (const r of c.sample) {
    rowNode[r] = 0;
    G += c.gh[2 * r];
    H += c.gh[2 * r + 1];
  }
  const p = { rowNode: heap.copyIn(rowNode), gh: heap.copyIn(c.gh), side: heap.alloc(n), work: heap.alloc(16 * n * m), scratch: heap.alloc(16 * n), allowed: heap.copyIn(c.allowed) };
  let seg = heap.alloc(8 * m);
  k.tree_exact_root(at.vals, at.rows, at.colPtr, m, p.rowNode, p.gh, p.allowed, p.work, seg);
  const nodes: GrownNode[] = [{ parent: -1, G, H, gain: 0, feature: -1, condition: 0, defaultLeft: false, left: -1, right: -1 }];
  let level = [0];
  let leaves = 1;
  let prev = { seg: 0, k: 0, child: 0 };
  for (let depth = 0; level.length > 0; depth++) {
    const kk = level.length;
    const split = new Int32Array(kk).fill(-1);
    const thr = new Float32Array(kk);
    const left = new Uint8Array(kk);
    const child = new Int32Array(kk).fill(-1);
    const next: number[] = [];
    if (depth < o.maxDepth) {
      const levelSet = sampleFeatures(c.allowed, o.colsampleBylevel, rng);
      const mask = new Uint8Array(kk * m);
      for (let i = 0; i < kk; i++) mask.set(sampleFeatures(levelSet, o.colsampleBynode, rng), i * m);
      const now = prev.k > 0 ? heap.alloc(4 * m * (kk + 1)) : seg;
      const out = { gain: heap.copyIn(new Float64Array(kk).fill(-Infinity)), feature: heap.alloc(4 * kk), thr: heap.alloc(4 * kk), left: heap.alloc(kk), GL: heap.alloc(8 * kk), HL: heap.alloc(8 * kk) };
      k.tree_exact_level(
        p.work, now, seg, prev.k, prev.child, p.side, p.scratch, at.rows, n * m, at.missPtr, m, p.rowNode, p.gh, kk,
        heap.copyIn(Float64Array.from(level, (id) => nodes[id].G)), heap.copyIn(Float64Array.from(level, (id) => nodes[id].H)), heap.copyIn(mask),
        o.lambda, o.alpha, o.minChildWeight, heap.alloc(24 * kk), out.gain, out.feature, out.thr, out.left, out.GL, out.HL,
      );
      seg = now;
      const buf = k.memory.buffer;
      const gain = new Float64Array(buf, out.gain, kk).slice();
      const feature = new Int32Array(buf, out.feature, kk).slice();
      const thrs = f32At(k, out.thr, kk).slice();
      const lefts = new Uint8Array(buf, out.left, kk).slice();
      const GL = new Float64Array(buf, out.GL, kk).slice();
      const HL = new Float64Array(buf, out.HL, kk).slice();
      level.forEach((id, i) => {
        if (!(gain[i] > RT_EPS) || (o.maxLeaves > 0 && leaves >= o.maxLeaves)) return;
        const nd = nodes[id];
        Object.assign(nd, { gain: gain[i], feature: feature[i], condition: thrs[i], defaultLeft: lefts[i] === 1 });
        nd.left = nodes.push({ parent: id, G: GL[i], H: HL[i], gain: 0, feature: -1, condition: 0, defaultLeft: false, left: -1, right: -1 }) - 1;
        nd.right = nodes.push({ parent: id, G: nd.G - GL[i], H: nd.H - HL[i], gain: 0, feature: -1, condition: 0, defaultLeft: false, left: -1, right: -1 }) - 1;
        [split[i], thr[i], left[i], child[i]] = [nd.feature, nd.condition, lefts[i], next.length];
        next.push(nd.left, nd.right);
        leaves++;
      });
      prev = { seg, k: kk, child: heap.copyIn(child) };
    }
    k.tree_exact_apply(at.X, m, n, p.rowNode, heap.copyIn(split), heap.copyIn(thr), heap.copyIn(left), heap.copyIn(child), heap.copyIn(Int32Array.from(level)), p.side);
    level = next;
  }
  const { tree, slot } = layoutTree(nodes, o);
  // each row's margin: the leaf value of the grown node it ended in (a pruned one's: its nearest kept ancestor's)
  const codes = new Int32Array(k.memory.buffer, p.rowNode, n).slice();
  const margin = new Float32Array(n);
  codes.forEach((code, r) => {
    if (code > -2) return;
    let id = -2 - code;
    while (slot[id] < 0) id = nodes[id].parent;
    margin[r] = 0 + tree.split_conditions[slot[id]]; // as a float32 add to 0 gives it (−0 becomes +0)
  });
  return { tree, margin };
}

interface Case {
  n: number;
  m: number;
  X: number[];
  g: number[];
  h: number[];
  inSample: boolean[];
  allowed: number[];
  options: GrowOptions;
  seed: number;
}

/** Grows the case's tree both ways; returns its number of nodes. */
function check({ n, m, X, g, h, inSample, allowed, options, seed }: Case): number {
  const c = {
    n,
    m,
    X: Float32Array.from(X),
    gh: Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? g[i >> 1] : h[i >> 1])),
    sample: Uint32Array.from(inSample.flatMap((on, r) => (on ? [r] : []))),
    allowed: Uint8Array.from(allowed),
  };
  const want = inKernel((k, heap) => reference(k, heap, c, options, new NumpyRandom(seed)));
  const grower = new ExactGrower(c.X, n, m);
  // pairs and margins in blocks of their own: the grower enters the kernel itself
  const [gh, at] = withKernel((k) => [k.mem_alloc(Math.max(1, c.gh.byteLength)), k.mem_alloc(4 * n)]);
  try {
    withKernel((k) => f32At(k, gh, 2 * n).set(c.gh));
    const got = grower.grow(c.sample, gh, c.allowed, options, new NumpyRandom(seed));
    for (const key of Object.keys(want.tree) as (keyof TreeArrays)[]) expect(Array.from(got[key]), key).toEqual(Array.from(want.tree[key]));
    withKernel((k) => f32At(k, at, n).fill(0));
    grower.addLeafValues(got, at, 1, 0);
    expect(Array.from(withKernel((k) => f32At(k, at, n).slice()))).toEqual(Array.from(want.margin));
    return got.left_children.length;
  } finally {
    grower.dispose();
    withKernel((k) => [gh, at].forEach((p) => k.mem_free(p)));
  }
}

describe('ExactGrower (tree_exact_tree_*)', () => {
  it('grows, prunes, lays out and adds leaf values as the TypeScript driver of the same level kernels does', () => {
    let nodes = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        nodes += check(c);
      }),
      { numRuns: 150 },
    );
    expect(nodes).toBeGreaterThan(1500);
  });

  it('does so for trees that outgrow the kernel\'s first room (63 nodes)', () => {
    const spread = fc.float({ min: -100, max: 100, noNaN: true });
    const bigArb = fc.record({
      n: fc.constant(500),
      m: fc.constant(3),
      X: fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(NaN) }, { weight: 9, arbitrary: spread }), { minLength: 1500, maxLength: 1500 }),
      g: fc.array(fc.float({ min: -2, max: 2, noNaN: true }), { minLength: 500, maxLength: 500 }),
      h: fc.array(fc.float({ min: Math.fround(0.01), max: 2, noNaN: true }), { minLength: 500, maxLength: 500 }),
      inSample: fc.array(fc.boolean(), { minLength: 500, maxLength: 500 }),
      allowed: fc.constant([1, 1, 1] as number[]),
      options: fc.record({
        maxDepth: fc.constant(9), maxLeaves: fc.constantFrom(0, 100), minChildWeight: fc.constant(0), lambda: fc.constant(1), alpha: fc.constant(0),
        gamma: fc.constantFrom(0, 0.3), colsampleBylevel: fc.constant(1), colsampleBynode: fc.constantFrom(1, 0.7), eta: fc.constant(0.3),
      }),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    let large = 0;
    fc.assert(
      fc.property(bigArb, (c) => {
        if (check(c) > 63) large++;
      }),
      { numRuns: 30 },
    );
    // γ 0.3 prunes some of these trees under 63 nodes (24–30 of 30 were larger in four runs):
    // 8 runs needing 5 large ones failed once in CI; 30 needing 11 leave no real chance of that
    expect(large).toBeGreaterThan(10);
  });
});
