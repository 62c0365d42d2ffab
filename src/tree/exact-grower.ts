/**
 * Grows one regression tree by exact greedy split search, XGBoost's `exact`: the columns are
 * sorted once into blocks at construction (with each one's list of missing rows); the tree grows
 * in the kernel (assembly/tree/exact-tree.ts), one call per level: each level scans every block
 * once for all its nodes together, then moves the rows to their children. Split rules, pruning
 * and layout as in grown-tree.ts; thresholds are the midpoints between neighbouring distinct
 * values. Column sampling by level and node draws from `rng` here, as the other growers do.
 */
import type { TreeArrays } from '../boost/model.js';
import { KernelBlocks } from '../runtime/blocks.js';
import { bytesAt } from '../runtime/heap.js';
import { withKernel } from '../runtime/kernel.js';
import type { NumpyRandom } from '../random/numpy.js';
import { laidOut, sampleMasks, type GrowOptions, type Grower } from './grown-tree.js';

type Block = 'x' | 'vals' | 'rows' | 'colPtr' | 'missPtr' | 'rowNode' | 'side' | 'work' | 'scratch';

export class ExactGrower implements Grower {
  private readonly blocks: KernelBlocks<Block>;
  /** The kernel's tree state (tree_exact_tree_new; 0: none yet), reused tree after tree. */
  private tree = 0;

  /** Copies `X` (n × m row-major float32) in and sorts its columns into blocks. */
  constructor(X: Float32Array, private readonly n: number, private readonly m: number) {
    this.blocks = withKernel((kern) => {
      const blocks = new KernelBlocks<Block>(kern, {
        ...{ x: X.byteLength, vals: X.byteLength, rows: X.byteLength, colPtr: (m + 1) * 4, missPtr: (m + 1) * 4, rowNode: n * 4, side: n },
        // a tree's copy of the blocks grouped by node: value, row, g, h per entry; scratch to split a segment
        ...{ work: 4 * X.byteLength, scratch: 16 * n },
      });
      const keys = new KernelBlocks(kern, { keys: n * 8 });
      try {
        blocks.set(kern, 'x', X);
        const p = blocks.ptr;
        kern.tree_column_blocks(p.x, n, m, keys.ptr.keys, p.vals, p.rows, p.colPtr, p.missPtr);
      } catch (err) {
        blocks.free();
        throw err;
      } finally {
        keys.free();
      }
      return blocks;
    });
  }

  grow(sample: Uint32Array, gh: number, allowed: Uint8Array, options: GrowOptions, rng: NumpyRandom): TreeArrays {
    const p = this.blocks.ptr;
    return this.blocks.within((kern) => {
      this.tree ||= kern.tree_exact_tree_new(Math.min(2 * sample.length + 1, 63), this.m) >>> 0; // grows as needed; addresses read unsigned
      const t = this.tree;
      const s = new KernelBlocks(kern, { sample: sample.byteLength, allowed: this.m });
      try {
        s.set(kern, 'sample', sample);
        s.set(kern, 'allowed', allowed);
        kern.tree_exact_tree_begin(t, s.ptr.sample, sample.length, this.n, gh, p.rowNode, p.vals, p.rows, p.colPtr, s.ptr.allowed, p.work);
        // column sampling per level and node draws from rng here; without it every node has `allowed`
        const masked = options.colsampleBylevel < 1 || options.colsampleBynode < 1;
        for (let k = 1, depth = 0; k > 0; depth++) {
          if (masked && depth < options.maxDepth) sampleMasks(bytesAt(kern, kern.tree_grown_mask(t) >>> 0, k * this.m), allowed, options, rng);
          k = kern.tree_exact_tree_level(
            t, masked ? 1 : 0, s.ptr.allowed, options.maxDepth, options.maxLeaves, options.lambda, options.alpha, options.minChildWeight,
            p.x, this.n, p.rows, p.missPtr, p.rowNode, p.side, gh, p.work, p.scratch,
          );
        }
      } finally {
        s.free();
      }
      const size = kern.tree_exact_tree_layout(t, options.gamma, options.lambda, options.alpha, options.eta);
      return laidOut(kern, kern.tree_grown_out(t) >>> 0, kern.tree_grown_cap(t), size);
    });
  }

  addLeafValues(_tree: TreeArrays, margin: number, nClass: number, cls: number): void {
    this.blocks.within((kern) => kern.tree_exact_tree_add_leaf_values(this.tree, this.blocks.ptr.rowNode, this.n, margin, nClass, cls));
  }

  dispose(): void {
    this.blocks.free((kern) => {
      if (this.tree) kern.tree_exact_tree_free(this.tree);
    });
    this.tree = 0;
  }
}
