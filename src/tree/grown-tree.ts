/**
 * What every split strategy (hist, exact) shares once a tree is grown: the nodes as grown, γ
 * pruning and the layout into XGBoost's arrays.
 *
 * - Pruning is XGBoost's prune updater: bottom-up, a split whose children are both leaves and
 *   whose loss change is below `gamma` becomes a leaf.
 * - Leaf value = η · (−T_α(G) / (H + λ)), T_α the L1 soft threshold; `base_weights` hold every
 *   node's unscaled weight, `sum_hessian` its H, `loss_changes` its split's gain.
 * - Nodes are laid out breadth-first (XGBoost's order for depth-wise growth).
 */
import type { TreeArrays } from '../boost/model.js';
import type { BoostParams } from '../boost/params.js';
import type { NumpyRandom } from '../random/numpy.js';
import type { KernelExports } from '../runtime/kernel.js';

/** What growing a tree reads of the boosting parameters, and η. */
export type GrowOptions = Pick<BoostParams, 'maxDepth' | 'maxLeaves' | 'minChildWeight' | 'lambda' | 'alpha' | 'gamma' | 'colsampleBylevel' | 'colsampleBynode'> & { eta: number };

/** A node as grown; children are indices into the grown list (−1: leaf). */
export interface GrownNode {
  parent: number;
  G: number;
  H: number;
  gain: number;
  feature: number;
  /** x < condition goes left. */
  condition: number;
  defaultLeft: boolean;
  left: number;
  right: number;
}

/** The split strategies' common shape (train.ts drives either). */
export interface Grower {
  /**
   * Grows a tree on rows `sample` (ascending ids) over `allowed` features with the pairs at `gh`:
   * the kernel address of n float32 (g, h) by row id, in the grower's instance.
   */
  grow(sample: Uint32Array, gh: number, allowed: Uint8Array, options: GrowOptions, rng: NumpyRandom): TreeArrays;
  /**
   * `margin[r·nClass + cls] +=` the last tree's leaf value of every sampled row r, `margin` being
   * the kernel address of n × nClass float32 margins in the grower's instance.
   */
  addLeafValues(tree: TreeArrays, margin: number, nClass: number, cls: number): void;
  dispose(): void;
}

/** Loss changes at or below this are no split (XGBoost's kRtEps). */
export const RT_EPS = 1e-6;

/**
 * Prunes `nodes` (children after parents) by γ and lays them out; `slot[i]` is grown node i's
 * laid-out index (−1: pruned away). Plain loops: V8 compiles this once per fit, and callbacks
 * and a Map made that compile cost more than the layouts it sped up.
 */
export function layoutTree(nodes: GrownNode[], o: GrowOptions): { tree: TreeArrays; slot: Int32Array } {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const nd = nodes[i];
    if (nd.left < 0 || nodes[nd.left].left >= 0 || nodes[nd.right].left >= 0 || nd.gain >= o.gamma) continue;
    nd.left = nd.right = -1;
  }
  const order = new Int32Array(nodes.length);
  const slot = new Int32Array(nodes.length).fill(-1);
  let size = 1;
  for (let k = 0; k < size; k++) {
    slot[order[k]] = k;
    const nd = nodes[order[k]];
    if (nd.left >= 0) {
      order[size++] = nd.left;
      order[size++] = nd.right;
    }
  }
  const tree: TreeArrays = {
    left_children: new Int32Array(size), right_children: new Int32Array(size), split_indices: new Int32Array(size),
    split_conditions: new Float32Array(size), default_left: new Uint8Array(size), base_weights: new Float32Array(size),
    loss_changes: new Float32Array(size), sum_hessian: new Float32Array(size),
  };
  for (let k = 0; k < size; k++) {
    const nd = nodes[order[k]];
    const w = nd.H > 0 ? -softThreshold(nd.G, o.alpha) / (nd.H + o.lambda) : 0; // XGBoost's CalcWeight
    tree.base_weights[k] = w;
    tree.sum_hessian[k] = nd.H;
    if (nd.left < 0) {
      tree.left_children[k] = tree.right_children[k] = -1;
      tree.split_conditions[k] = o.eta * w;
    } else {
      tree.left_children[k] = slot[nd.left];
      tree.right_children[k] = slot[nd.right];
      tree.split_indices[k] = nd.feature;
      tree.split_conditions[k] = nd.condition;
      tree.default_left[k] = nd.defaultLeft ? 1 : 0;
      tree.loss_changes[k] = nd.gain;
    }
  }
  return { tree, slot };
}

function softThreshold(g: number, alpha: number): number {
  return g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;
}

/** A random `fraction` (at least one) of the features set in `from`; `from` itself at 1. */
export function sampleFeatures(from: Uint8Array, fraction: number, rng: NumpyRandom): Uint8Array {
  if (fraction >= 1) return from;
  const pool: number[] = [];
  from.forEach((on, f) => on && pool.push(f));
  const keep = Math.max(1, Math.floor(fraction * pool.length));
  for (let i = 0; i < keep; i++) {
    const j = i + Math.floor(rng.random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const out = new Uint8Array(from.length);
  for (let i = 0; i < keep; i++) out[pool[i]] = 1;
  return out;
}

/** Each node's features: `colsampleBylevel` of `allowed` for the level, then `colsampleBynode` of that per node (masks: k × m bytes). */
export function sampleMasks(masks: Uint8Array, allowed: Uint8Array, options: GrowOptions, rng: NumpyRandom): void {
  const m = allowed.length;
  const levelSet = sampleFeatures(allowed, options.colsampleBylevel, rng);
  for (let at = 0; at < masks.length; at += m) masks.set(sampleFeatures(levelSet, options.colsampleBynode, rng), at);
}

/**
 * A tree the kernel laid out (assembly/tree/grown.ts) at `out`, arrays of `cap` entries each:
 * its first `size` nodes.
 */
export function laidOut(kern: KernelExports, out: number, cap: number, size: number): TreeArrays {
  const buf = kern.memory.buffer;
  const i32 = (j: number) => new Int32Array(buf, out + 4 * j * cap, size).slice();
  const f32 = (j: number) => new Float32Array(buf, out + 4 * j * cap, size).slice();
  return {
    left_children: i32(0), right_children: i32(1), split_indices: i32(2), split_conditions: f32(3),
    base_weights: f32(4), loss_changes: f32(5), sum_hessian: f32(6), default_left: new Uint8Array(buf, out + 28 * cap, size).slice(),
  };
}
