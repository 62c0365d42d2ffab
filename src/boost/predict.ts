/**
 * Margins and leaf ids of a boosted forest, walked in WebAssembly (assembly/tree/predict.ts):
 * XGBoost's rule (x < condition goes left, NaN follows default_left) and its float32 sums in
 * tree order, so margins equal XGBoost's bit for bit.
 */
import { HeapScope, f32At, u32At } from '../runtime/heap.js';
import { withKernel, type KernelExports } from '../runtime/kernel.js';
import type { ForestArrays } from './model.js';

/**
 * Rows per kernel call. Small calls bound the input copy and, above all, let V8 switch to its
 * optimised WebAssembly code as soon as it is ready: a call already running stays in the baseline
 * tier, which made a fresh process's first 100k-row prediction 2× slower with 64k-row calls.
 */
const ROWS = 1 << 12;

/**
 * Adds trees [tFrom, tTo) of `forest` to `margin` (n × nClass, row-major) for the rows of `X`
 * (n × m float32, row-major).
 */
export function addTreeMargins(forest: ForestArrays, X: Float32Array, n: number, m: number, nClass: number, margin: Float32Array, tFrom = 0, tTo = forest.tree_info.length): void {
  if (tTo <= tFrom) return;
  inRowBlocks(forest, X, n, m, nClass, (kern, f, x, rows, out, r0) => {
    f32At(kern, out, rows * nClass).set(margin.subarray(r0 * nClass, (r0 + rows) * nClass));
    kern.tree_predict_margin(x, m, 0, rows, f.left, f.right, f.split, f.cond, f.dleft, f.offsets, f.info, tFrom, tTo, nClass, out);
    margin.set(f32At(kern, out, rows * nClass), r0 * nClass);
  });
}

/** Leaf ids (within each tree) every row reaches: n × nTrees, row-major. */
export function leafIds(forest: ForestArrays, X: Float32Array, n: number, m: number): Int32Array {
  const nt = forest.tree_info.length;
  const ids = new Int32Array(n * nt);
  if (nt === 0) return ids;
  inRowBlocks(forest, X, n, m, nt, (kern, f, x, rows, out, r0) => {
    kern.tree_predict_leaf(x, m, 0, rows, f.left, f.right, f.split, f.cond, f.dleft, f.offsets, 0, nt, out);
    ids.set(new Int32Array(u32At(kern, out, rows * nt).slice().buffer), r0 * nt);
  });
  return ids;
}

/**
 * Copies the forest in, then hands `each` the rows of `X` ROWS at a time (copied to `x`) with an
 * output block of `width` 4-byte values per row.
 */
function inRowBlocks(
  forest: ForestArrays, X: Float32Array, n: number, m: number, width: number,
  each: (kern: KernelExports, f: ReturnType<typeof copyForest>, x: number, rows: number, out: number, r0: number) => void,
): void {
  if (n === 0) return;
  withKernel((kern) => {
    const heap = new HeapScope(kern);
    try {
      const f = copyForest(heap, forest);
      const rows = Math.min(n, ROWS);
      const x = heap.alloc(rows * m * 4);
      const out = heap.alloc(rows * width * 4);
      for (let r0 = 0; r0 < n; r0 += ROWS) {
        const r1 = Math.min(n, r0 + ROWS);
        f32At(kern, x, (r1 - r0) * m).set(X.subarray(r0 * m, r1 * m));
        each(kern, f, x, r1 - r0, out, r0);
      }
    } finally {
      heap.dispose();
    }
  });
}

function copyForest(heap: HeapScope, forest: ForestArrays) {
  return {
    left: heap.copyIn(forest.left_children),
    right: heap.copyIn(forest.right_children),
    // the walker reads a leaf's split feature too (then ignores it): keep it a valid column
    split: heap.copyIn(forest.split_indices.map((f, i) => (forest.left_children[i] < 0 ? 0 : f))),
    cond: heap.copyIn(forest.split_conditions),
    dleft: heap.copyIn(forest.default_left),
    offsets: heap.copyIn(forest.tree_offsets),
    info: heap.copyIn(forest.tree_info),
  };
}
