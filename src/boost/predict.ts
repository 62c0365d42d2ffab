/**
 * Margins and leaf ids of a boosted forest, walked in WebAssembly (assembly/tree/predict.ts):
 * XGBoost's rule (x < condition goes left, NaN follows default_left) and its float32 sums in
 * tree order, so margins equal XGBoost's bit for bit.
 *
 * The walker reads the forest packed into one 16-byte record per node (layout in the kernel's
 * header), each tree's nodes renumbered breadth-first so that a right child sits next to its
 * left sibling and leaves loop on themselves. The packed form is built once per `ForestArrays`
 * object and stays in kernel memory (runtime/resident.ts) until that object is collected, so a
 * model's later calls copy only rows. Forests are treated as immutable once predicted with.
 */
import { HeapScope, f32At, u32At } from '../runtime/heap.js';
import { withKernel, type KernelExports } from '../runtime/kernel.js';
import { Resident } from '../runtime/resident.js';
import type { ForestArrays } from './model.js';

/**
 * Rows per kernel call: the first call takes FIRST_ROWS, each later one twice the last, up to
 * ROWS. V8 starts a process's WebAssembly in its baseline tier and switches a function to
 * optimised code only between calls; the walker is optimised after one short call, whereas a
 * first 4k-row call ran ~8× slower than the next. Calls of ROWS bound the input copy.
 */
const FIRST_ROWS = 64;
const ROWS = 1 << 12;

/**
 * Adds trees [tFrom, tTo) of `forest` to `margin` (n × nClass, row-major) for the rows of `X`
 * (n × m float32, row-major).
 */
export function addTreeMargins(forest: ForestArrays, X: Float32Array, n: number, m: number, nClass: number, margin: Float32Array, tFrom = 0, tTo = forest.tree_info.length): void {
  if (tTo <= tFrom) return;
  inRowBlocks(forest, X, n, m, nClass, (kern, f, x, rows, out, r0, scratch) => {
    f32At(kern, out, rows * nClass).set(margin.subarray(r0 * nClass, (r0 + rows) * nClass));
    kern.tree_predict_margin(x, m, rows, f.nodes, f.trees, tFrom, tTo, nClass, out, scratch);
    margin.set(f32At(kern, out, rows * nClass), r0 * nClass);
  });
}

/** Leaf ids (within each tree) every row reaches: n × nTrees, row-major. */
export function leafIds(forest: ForestArrays, X: Float32Array, n: number, m: number): Int32Array {
  const nt = forest.tree_info.length;
  const ids = new Int32Array(n * nt);
  if (nt === 0) return ids;
  const { localId } = packed(forest);
  inRowBlocks(forest, X, n, m, nt, (kern, f, x, rows, out, r0, scratch) => {
    kern.tree_predict_leaf(x, m, rows, f.nodes, f.trees, nt, out, scratch);
    const nodes = u32At(kern, out, rows * nt);
    for (let i = 0; i < nodes.length; i++) ids[r0 * nt + i] = localId[nodes[i]];
  });
  return ids;
}

/**
 * Hands `each` the rows of `X` in growing blocks (FIRST_ROWS, then doubling up to ROWS; copied
 * to `x`), with the packed forest's addresses, an output block of `width` 4-byte values per row
 * and the walker's scratch.
 */
function inRowBlocks(
  forest: ForestArrays, X: Float32Array, n: number, m: number, width: number,
  each: (kern: KernelExports, f: Readonly<Record<'nodes' | 'trees', number>>, x: number, rows: number, out: number, r0: number, scratch: number) => void,
): void {
  if (n === 0) return;
  const { resident } = packed(forest);
  withKernel((kern) => {
    const heap = new HeapScope(kern);
    try {
      const f = resident.in(kern);
      const rows = Math.min(n, ROWS);
      const x = heap.alloc(rows * m * 4);
      const out = heap.alloc(rows * width * 4);
      const scratch = heap.alloc(kern.tree_predict_scratch_bytes(m));
      for (let r0 = 0, step = FIRST_ROWS; r0 < n; r0 += step, step = Math.min(2 * step, ROWS)) {
        const r1 = Math.min(n, r0 + step);
        f32At(kern, x, (r1 - r0) * m).set(X.subarray(r0 * m, r1 * m));
        each(kern, f, x, r1 - r0, out, r0, scratch);
      }
    } finally {
      heap.dispose();
    }
  });
}

interface PackedForest {
  resident: Resident<'nodes' | 'trees'>;
  /** Packed node index → the node's id within its tree (XGBoost's, for `leafIds`). */
  localId: Int32Array;
}

const packs = new WeakMap<ForestArrays, PackedForest>();

function packed(forest: ForestArrays): PackedForest {
  let p = packs.get(forest);
  if (!p) {
    p = pack(forest);
    packs.set(forest, p);
  }
  return p;
}

/** A leaf's key: above every row's key, so a row at a leaf stays there. */
const LEAF_KEY = 0x7fffffff;

/**
 * The kernel's order-preserving integer key of a float32's bits (assembly/tree/predict.ts):
 * negatives have their magnitude bits flipped. A condition of −0 keys to −1, which no row has
 * (the kernel reads a row's −0 as +0), so it splits as +0 does.
 */
function keyOf(bits: number): number {
  return bits ^ ((bits >> 31) >>> 1);
}

/**
 * Node and tree records (the kernel's layout) of the nodes reachable from each root, in
 * breadth-first order; deleted nodes are left out.
 */
function pack(forest: ForestArrays): PackedForest {
  const { tree_offsets: offsets, tree_info: info, left_children: left, right_children: right, split_indices: split, default_left: dleft } = forest;
  const condBits = new Int32Array(forest.split_conditions.buffer, forest.split_conditions.byteOffset, forest.split_conditions.length);
  const nt = info.length;
  const nodes = new Int32Array(4 * left.length);
  const trees = new Int32Array(4 * nt);
  const localId = new Int32Array(left.length);
  const depth = new Int32Array(left.length);
  let next = 0;
  for (let t = 0; t < nt; t++) {
    const base = offsets[t];
    const root = next;
    let maxDepth = 0;
    localId[next++] = 0;
    // the packed indices [root, next) form the queue: children are appended in visiting order
    for (let i = root; i < next; i++) {
      const g = base + localId[i];
      const rec = 4 * i;
      if (left[g] < 0) {
        // a self-loop reading feature 0's NaN-left key (offset 0), which never reaches LEAF_KEY
        nodes[rec] = i;
        nodes[rec + 2] = LEAF_KEY;
        nodes[rec + 3] = condBits[g];
        maxDepth = Math.max(maxDepth, depth[i]);
        continue;
      }
      nodes[rec] = next;
      // the first key of a feature's pair sends NaN left, the second right
      nodes[rec + 1] = 8 * split[g] + (dleft[g] ? 0 : 4);
      nodes[rec + 2] = keyOf(condBits[g]);
      localId[next] = left[g];
      localId[next + 1] = right[g];
      depth[next] = depth[next + 1] = depth[i] + 1;
      next += 2;
    }
    trees[4 * t] = root;
    trees[4 * t + 1] = maxDepth;
    trees[4 * t + 2] = info[t];
  }
  return { resident: new Resident({ nodes: nodes.subarray(0, 4 * next), trees }, forest), localId: localId.subarray(0, next) };
}

/** Rows per probability call: bounds the kernel copies of huge predictions. */
const PROBA_ROWS = 1 << 16;

/**
 * Probabilities of n rows of k margins (kernel tree_predict_proba): [1 − p, p] per row for
 * k = 1 (binary:logistic), the row's softmax for k ≥ 2.
 */
export function marginProba(margins: Float32Array, k: number): Float32Array {
  const n = margins.length / k;
  const width = k === 1 ? 2 : k;
  const proba = new Float32Array(n * width);
  if (n === 0) return proba;
  withKernel((kern) => {
    const heap = new HeapScope(kern);
    try {
      const rows = Math.min(n, PROBA_ROWS);
      const m = heap.alloc(rows * k * 4);
      const out = heap.alloc(rows * width * 4);
      for (let r0 = 0; r0 < n; r0 += rows) {
        const r1 = Math.min(n, r0 + rows);
        f32At(kern, m, (r1 - r0) * k).set(margins.subarray(r0 * k, r1 * k));
        kern.tree_predict_proba(m, r1 - r0, k, out);
        proba.set(f32At(kern, out, (r1 - r0) * width), r0 * width);
      }
    } finally {
      heap.dispose();
    }
  });
  return proba;
}
