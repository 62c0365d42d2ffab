/**
 * Margins and leaf ids of a boosted forest, walked in WebAssembly (assembly/tree/predict.ts):
 * XGBoost's rule (x < condition goes left, NaN follows default_left) and its float32 sums in
 * tree order, so margins equal XGBoost's bit for bit.
 */
import { HeapScope, f32At, u32At } from '../runtime/heap.js';
import { withKernel } from '../runtime/kernel.js';
import type { ForestArrays } from './model.js';

/** Rows per kernel call (bounds the input copy). */
const ROWS = 1 << 16;

/**
 * Adds trees [tFrom, tTo) of `forest` to `margin` (n × nClass, row-major) for the rows of `X`
 * (n × m float32, row-major).
 */
export function addTreeMargins(forest: ForestArrays, X: Float32Array, n: number, m: number, nClass: number, margin: Float32Array, tFrom = 0, tTo = forest.tree_info.length): void {
  if (n === 0 || tTo <= tFrom) return;
  withKernel((kern) => {
    const heap = new HeapScope(kern);
    try {
      const f = copyForest(heap, forest);
      const rows = Math.min(n, ROWS);
      const x = heap.alloc(rows * m * 4);
      const out = heap.alloc(rows * nClass * 4);
      for (let r0 = 0; r0 < n; r0 += ROWS) {
        const r1 = Math.min(n, r0 + ROWS);
        f32At(kern, x, (r1 - r0) * m).set(X.subarray(r0 * m, r1 * m));
        const view = f32At(kern, out, (r1 - r0) * nClass);
        view.set(margin.subarray(r0 * nClass, r1 * nClass));
        kern.tree_predict_margin(x, m, 0, r1 - r0, f.left, f.right, f.split, f.cond, f.dleft, f.offsets, f.info, tFrom, tTo, nClass, out);
        margin.set(f32At(kern, out, (r1 - r0) * nClass), r0 * nClass);
      }
    } finally {
      heap.dispose();
    }
  });
}

/** Leaf ids (within each tree) every row reaches: n × nTrees, row-major. */
export function leafIds(forest: ForestArrays, X: Float32Array, n: number, m: number): Int32Array {
  const nt = forest.tree_info.length;
  const ids = new Int32Array(n * nt);
  if (n === 0 || nt === 0) return ids;
  withKernel((kern) => {
    const heap = new HeapScope(kern);
    try {
      const f = copyForest(heap, forest);
      const rows = Math.min(n, ROWS);
      const x = heap.alloc(rows * m * 4);
      const out = heap.alloc(rows * nt * 4);
      for (let r0 = 0; r0 < n; r0 += ROWS) {
        const r1 = Math.min(n, r0 + ROWS);
        f32At(kern, x, (r1 - r0) * m).set(X.subarray(r0 * m, r1 * m));
        kern.tree_predict_leaf(x, m, 0, r1 - r0, f.left, f.right, f.split, f.cond, f.dleft, f.offsets, 0, nt, out);
        ids.set(new Int32Array(u32At(kern, out, (r1 - r0) * nt).slice().buffer), r0 * nt);
      }
    } finally {
      heap.dispose();
    }
  });
  return ids;
}

function copyForest(heap: HeapScope, forest: ForestArrays) {
  return {
    left: heap.copyIn(forest.left_children),
    right: heap.copyIn(forest.right_children),
    split: heap.copyIn(forest.split_indices),
    cond: heap.copyIn(forest.split_conditions),
    dleft: heap.copyIn(forest.default_left),
    offsets: heap.copyIn(forest.tree_offsets),
    info: heap.copyIn(forest.tree_info),
  };
}
