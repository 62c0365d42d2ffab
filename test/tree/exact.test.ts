// The exact greedy kernels (assembly/tree/exact.ts) against plain TS references on random inputs
// (fast-check): NaN-heavy, constant and duplicate-heavy columns, nodes of any size, rows outside
// the level. tree_column_blocks against a sort; tree_exact_level against a brute force over
// every threshold between two distinct values of a node and every side for its missing rows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeapScope, f32At } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel.js';
import { inKernel } from '../helpers/kernel.js';

const f32 = Math.fround;

/** Values that repeat (ties decide thresholds), or spread ones. */
const valueArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 2, arbitrary: fc.float({ min: -1000, max: 1000, noNaN: true }) },
);

/** One column: NaN-heavy, constant (possibly all NaN), or mostly present. */
const columnArb = (n: number) =>
  fc.oneof(
    fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(NaN) }, { weight: 1, arbitrary: valueArb }), { minLength: n, maxLength: n }),
    fc.oneof(valueArb, fc.constant(NaN)).map((v) => new Array<number>(n).fill(v)),
    fc.array(fc.oneof({ weight: 6, arbitrary: valueArb }, { weight: 1, arbitrary: fc.constant(NaN) }), { minLength: n, maxLength: n }),
  );

interface Level {
  n: number;
  m: number;
  X: Float32Array;
  g: Float32Array;
  h: Float32Array;
  /** Each row's level node, or −1 (a row of no node searched). */
  rowNode: Int32Array;
  nodes: number;
  /** nodes × m bytes. */
  mask: Uint8Array;
}

const levelArb = fc
  .record({ n: fc.integer({ min: 0, max: 30 }), m: fc.integer({ min: 1, max: 4 }), nodes: fc.integer({ min: 1, max: 3 }) })
  .chain(({ n, m, nodes }) =>
    fc
      .record({
        columns: fc.array(columnArb(n), { minLength: m, maxLength: m }),
        g: fc.array(fc.float({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
        h: fc.array(fc.float({ min: f32(0.02), max: 2, noNaN: true }), { minLength: n, maxLength: n }),
        rowNode: fc.array(fc.integer({ min: -1, max: nodes - 1 }), { minLength: n, maxLength: n }),
        mask: fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(0) }), { minLength: nodes * m, maxLength: nodes * m }),
      })
      .map(({ columns, g, h, rowNode, mask }): Level => {
        const X = new Float32Array(n * m);
        for (let r = 0; r < n; r++) for (let f = 0; f < m; f++) X[r * m + f] = columns[f][r];
        return { n, m, X, g: Float32Array.from(g), h: Float32Array.from(h), rowNode: Int32Array.from(rowNode), nodes, mask: Uint8Array.from(mask) };
      }),
  );

interface Blocks {
  vals: Float32Array;
  rows: Int32Array;
  colPtr: Int32Array;
  missPtr: Int32Array;
}

function kernelBlocks(k: KernelExports, heap: HeapScope, X: Float32Array, n: number, m: number): Blocks & { at: { vals: number; rows: number; colPtr: number; missPtr: number } } {
  const at = { vals: heap.alloc(4 * n * m), rows: heap.alloc(4 * n * m), colPtr: heap.alloc(4 * (m + 1)), missPtr: heap.alloc(4 * (m + 1)) };
  k.tree_column_blocks(heap.copyIn(X), n, m, heap.alloc(8 * n), at.vals, at.rows, at.colPtr, at.missPtr);
  const buf = k.memory.buffer;
  return {
    at,
    vals: f32At(k, at.vals, n * m).slice(),
    rows: new Int32Array(buf, at.rows, n * m).slice(),
    colPtr: new Int32Array(buf, at.colPtr, m + 1).slice(),
    missPtr: new Int32Array(buf, at.missPtr, m + 1).slice(),
  };
}

describe('tree_column_blocks', () => {
  it('sorts each column\'s present values with their rows (ties, −0 and +0 alike, by row) and lists its missing rows in order', () => {
    fc.assert(
      fc.property(levelArb, ({ n, m, X }) => {
        const b = inKernel((k, heap) => kernelBlocks(k, heap, X, n, m));
        for (let f = 0; f < m; f++) {
          const rows = Array.from({ length: n }, (_, r) => r);
          // −0 and +0 are one value: their rows in order
          const present = rows.filter((r) => !Number.isNaN(X[r * m + f])).sort((a, c) => X[a * m + f] - X[c * m + f] || a - c);
          const missing = rows.filter((r) => Number.isNaN(X[r * m + f]));
          expect(Array.from(b.rows.subarray(b.colPtr[f], b.colPtr[f + 1]))).toEqual(present);
          expect(Array.from(b.vals.subarray(b.colPtr[f], b.colPtr[f + 1]))).toEqual(present.map((r) => X[r * m + f]));
          expect(Array.from(b.rows.subarray(n * m - b.missPtr[f + 1], n * m - b.missPtr[f]))).toEqual(missing);
        }
      }),
      { numRuns: 300 },
    );
  });
});

const score = (g: number, h: number, lambda: number, alpha: number) => {
  if (!(h > 0)) return 0;
  const t = g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;
  return (t * t) / (h + lambda);
};

interface Candidate {
  gain: number;
  /** The two sides, unordered. */
  partition: string;
  children: number;
}

/**
 * Every split the kernel documents for node `nd`: each threshold between two distinct present
 * values of an allowed feature, its missing rows right, and left when it has any; and, when it
 * has both present and missing rows, present against missing. Both sides need hessian ≥ mcw.
 */
function bruteForce(L: Level, nd: number, lambda: number, alpha: number, mcw: number): { candidates: Candidate[]; parent: number } {
  const rows = Array.from({ length: L.n }, (_, r) => r).filter((r) => L.rowNode[r] === nd);
  const sum = (rs: number[], v: Float32Array) => rs.reduce((s, r) => s + v[r], 0);
  const parent = score(sum(rows, L.g), sum(rows, L.h), lambda, alpha);
  const candidates: Candidate[] = [];
  const offer = (left: number[]) => {
    const right = rows.filter((r) => !left.includes(r));
    const [HL, HR] = [sum(left, L.h), sum(right, L.h)];
    if (!(HL >= mcw && HR >= mcw)) return;
    const children = score(sum(left, L.g), HL, lambda, alpha) + score(sum(right, L.g), HR, lambda, alpha);
    const partition = [left, right].map((s) => [...s].sort((a, b) => a - b).join(',')).sort().join('|');
    candidates.push({ gain: children - parent, partition, children });
  };
  for (let f = 0; f < L.m; f++) {
    if (!L.mask[nd * L.m + f]) continue;
    const x = (r: number) => L.X[r * L.m + f];
    const present = rows.filter((r) => !Number.isNaN(x(r)));
    const missing = rows.filter((r) => Number.isNaN(x(r)));
    const distinct = [...new Set(present.map(x))].sort((a, b) => a - b);
    for (let i = 1; i < distinct.length; i++) {
      const below = present.filter((r) => x(r) < distinct[i]);
      offer(below);
      if (missing.length > 0) offer([...below, ...missing]);
    }
    if (present.length > 0 && missing.length > 0) offer(present);
  }
  return { candidates, parent };
}

/** A level's result as the kernel left it. */
interface Found {
  gain: Float64Array;
  feature: Int32Array;
  thr: Float32Array;
  left: Uint8Array;
  GL: Float64Array;
  HL: Float64Array;
}

/** Checks each node's split against the brute force; returns how many were decided by a clear margin. */
function checkLevel(L: Level, got: Found, lambda: number, alpha: number, mcw: number): number {
  const { n, m } = L;
  let decided = 0;
  for (let nd = 0; nd < L.nodes; nd++) {
    const { candidates, parent } = bruteForce(L, nd, lambda, alpha, mcw);
    if (candidates.length === 0) {
      expect(got.gain[nd]).toBe(-Infinity);
      continue;
    }
    const best = candidates.reduce((a, c) => (c.gain > a.gain ? c : a));
    const tol = 1e-9 * (1 + parent + Math.max(...candidates.map((c) => c.children)));
    expect(Math.abs(got.gain[nd] - best.gain)).toBeLessThanOrEqual(tol);
    const rival = candidates.filter((c) => c.partition !== best.partition).reduce((a, c) => Math.max(a, c.gain), -Infinity);
    if (best.gain - rival <= 1e3 * tol) continue;
    decided++;
    // the kernel's split sends the brute force's best rows left (x < thr; missing by `left`)
    const rows = Array.from({ length: n }, (_, r) => r).filter((r) => L.rowNode[r] === nd);
    const f = got.feature[nd];
    const goesLeft = (r: number) => (Number.isNaN(L.X[r * m + f]) ? got.left[nd] === 1 : L.X[r * m + f] < got.thr[nd]);
    const left = rows.filter(goesLeft);
    const right = rows.filter((r) => !goesLeft(r));
    expect([left, right].map((s) => s.join(',')).sort().join('|')).toBe(best.partition);
    expect(Math.abs(got.GL[nd] - left.reduce((s, r) => s + L.g[r], 0))).toBeLessThanOrEqual(1e-9 * (1 + n));
    expect(Math.abs(got.HL[nd] - left.reduce((s, r) => s + L.h[r], 0))).toBeLessThanOrEqual(1e-9 * (1 + n));
  }
  return decided;
}

/** Up to three levels of one tree: per level, which nodes split (else leaf), each row's side, each node's features. */
const treeArb = levelArb.chain((L) =>
  fc.record({
    L: fc.constant(L),
    allowed: fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(0) }), { minLength: L.m, maxLength: L.m }),
    levels: fc.array(
      fc.record({
        splits: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), { minLength: 4, maxLength: 4 }),
        side: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: L.n, maxLength: L.n }),
        mask: fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(0) }), { minLength: 4 * L.m, maxLength: 4 * L.m }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
);

describe('tree_exact_start', () => {
  it('puts the sampled rows in the root, the others at −1, and sums their pairs in sample order (f64)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            gh: fc.array(fc.float({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2 * n, maxLength: 2 * n }),
            sample: fc.subarray(Array.from({ length: n }, (_, r) => r)),
          }),
        ),
        ({ n, gh, sample }) => {
          const pairs = Float32Array.from(gh);
          let G = 0;
          let H = 0;
          for (const r of sample) {
            G += pairs[2 * r];
            H += pairs[2 * r + 1];
          }
          const got = inKernel((k, heap) => {
            const at = { rowNode: heap.copyIn(new Int32Array(n).fill(7)), sums: heap.alloc(16) };
            k.tree_exact_start(heap.copyIn(Uint32Array.from(sample)), sample.length, n, heap.copyIn(pairs), at.rowNode, at.sums);
            return { rowNode: Array.from(new Int32Array(k.memory.buffer, at.rowNode, n)), sums: Array.from(new Float64Array(k.memory.buffer, at.sums, 2)) };
          });
          expect(got.rowNode).toEqual(Array.from({ length: n }, (_, r) => (sample.includes(r) ? 0 : -1)));
          expect(got.sums).toEqual([G, H]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('tree_exact_root, tree_exact_level', () => {
  it('finds each node\'s best split as a brute force does, level after level, the segments split stably into the children\'s', () => {
    let decided = 0;
    fc.assert(
      fc.property(
        treeArb,
        fc.constantFrom(0, 1, 3),
        fc.constantFrom(0, 0.3),
        fc.constantFrom(0.01, 0.3, 1.5),
        ({ L: base, allowed, levels }, lambda, alpha, mcw) => {
          const { n, m } = base;
          // the root holds the rows the level generator put in a node
          let rowNode = Int32Array.from(base.rowNode, (nd) => (nd >= 0 ? 0 : -1));
          inKernel((k, heap) => {
            const b = kernelBlocks(k, heap, base.X, n, m);
            const gh = new Float32Array(2 * n);
            for (let r = 0; r < n; r++) gh.set([base.g[r], base.h[r]], 2 * r);
            const at = { rowNode: heap.copyIn(rowNode), gh: heap.copyIn(gh), side: heap.alloc(n), work: heap.alloc(16 * n * m), scratch: heap.alloc(16 * n) };
            let seg = heap.alloc(8 * m);
            k.tree_exact_root(b.at.vals, b.at.rows, b.at.colPtr, m, at.rowNode, at.gh, heap.copyIn(Uint8Array.from(allowed)), at.work, seg);
            let nodes = 1;
            let prev = { seg: 0, k: 0, child: 0 };
            for (const level of levels) {
              const mask = Uint8Array.from(level.mask.slice(0, nodes * m), (v, i) => v & allowed[i % m]);
              const L: Level = { ...base, rowNode, nodes, mask };
              const G = new Float64Array(nodes);
              const H = new Float64Array(nodes);
              for (let r = 0; r < n; r++) {
                if (rowNode[r] < 0) continue;
                G[rowNode[r]] += base.g[r];
                H[rowNode[r]] += base.h[r];
              }
              const out = { gain: heap.copyIn(new Float64Array(nodes).fill(-Infinity)), feature: heap.alloc(4 * nodes), thr: heap.alloc(4 * nodes), left: heap.alloc(nodes), GL: heap.alloc(8 * nodes), HL: heap.alloc(8 * nodes) };
              k.tree_exact_level(
                at.work, seg, prev.seg, prev.k, prev.child, at.side, at.scratch, b.at.rows, n * m,
                b.at.missPtr, m, at.rowNode, at.gh, nodes, heap.copyIn(G), heap.copyIn(H), heap.copyIn(mask), lambda, alpha, mcw, heap.alloc(24 * nodes),
                out.gain, out.feature, out.thr, out.left, out.GL, out.HL,
              );
              const buf = k.memory.buffer;
              // each node's segment of an allowed column: its rows with the feature present, in block order, with their pairs
              const segs = new Int32Array(buf, seg, m * (nodes + 1)).slice();
              const work = new DataView(buf, at.work, 16 * n * m);
              for (let f = 0; f < m; f++) {
                const blockRows = allowed[f] ? Array.from(b.rows.subarray(b.colPtr[f], b.colPtr[f + 1])) : [];
                expect(segs[f * (nodes + 1)]).toBe(b.colPtr[f]);
                for (let nd = 0; nd < nodes; nd++) {
                  const entries = [];
                  for (let p = segs[f * (nodes + 1) + nd]; p < segs[f * (nodes + 1) + nd + 1]; p++) {
                    entries.push([work.getFloat32(16 * p, true), work.getInt32(16 * p + 4, true), work.getFloat32(16 * p + 8, true), work.getFloat32(16 * p + 12, true)]);
                  }
                  const want = blockRows.filter((r) => rowNode[r] === nd).map((r) => [base.X[r * m + f], r, base.g[r], base.h[r]]);
                  expect(entries).toEqual(want);
                }
              }
              decided += checkLevel(L, { gain: new Float64Array(buf, out.gain, nodes).slice(), feature: new Int32Array(buf, out.feature, nodes).slice(), thr: f32At(k, out.thr, nodes).slice(), left: new Uint8Array(buf, out.left, nodes).slice(), GL: new Float64Array(buf, out.GL, nodes).slice(), HL: new Float64Array(buf, out.HL, nodes).slice() }, lambda, alpha, mcw);
              // the next level: split nodes get two children (rows by their side), the others' rows leave
              const child = Int32Array.from({ length: nodes }, () => -1);
              let next = 0;
              for (let nd = 0; nd < nodes; nd++) {
                if (!level.splits[nd]) continue;
                child[nd] = next;
                next += 2;
              }
              if (next === 0) break;
              rowNode = Int32Array.from(rowNode, (nd, r) => (nd < 0 ? nd : child[nd] < 0 ? -2 : child[nd] + level.side[r]));
              new Int32Array(buf, at.rowNode, n).set(rowNode);
              new Uint8Array(buf, at.side, n).set(level.side);
              prev = { seg, k: nodes, child: heap.copyIn(child) };
              nodes = next;
              seg = heap.alloc(4 * m * (nodes + 1));
            }
          });
        },
      ),
      { numRuns: 300 },
    );
    expect(decided).toBeGreaterThan(50);
  });
});
