/**
 * The training rows' margins, labels, weights and gradient pairs, kept in kernel memory for a
 * whole fit: each round computes the pairs from the margins there (boost_gradients, XGBoost 1.7's
 * formulas in float32; objective.ts has the contract), the growers read them there, and add each
 * tree's leaf values there (boost_add_leaf_values): no per-row data crosses into JavaScript.
 */
import { KernelBlocks } from '../runtime/blocks.js';
import { f32At } from '../runtime/heap.js';
import { withKernel } from '../runtime/kernel.js';
import type { BoostObjective } from './model.js';

const KIND: Record<BoostObjective, number> = { 'reg:squarederror': 0, 'binary:logistic': 1, 'multi:softprob': 2 };

export class TrainingMargins {
  private readonly blocks: KernelBlocks<'margin' | 'y' | 'w' | 'gh'>;
  private readonly n: number;

  /** Margins n × groups (row-major) start at `base`; `weight` per row (scalePosWeight applied). */
  constructor(private readonly objective: BoostObjective, y: Float32Array, weight: Float32Array, private readonly groups: number, base: number) {
    const n = (this.n = y.length);
    this.blocks = withKernel((kern) => {
      const blocks = new KernelBlocks(kern, { margin: 4 * n * groups, y: 4 * n, w: 4 * n, gh: 8 * n * groups });
      f32At(kern, blocks.ptr.margin, n * groups).fill(base);
      blocks.set(kern, 'y', y);
      blocks.set(kern, 'w', weight);
      return blocks;
    });
  }

  /** The margins' kernel address, for growers holding their buffers in the same instance. */
  get address(): number {
    return this.blocks.ptr.margin;
  }

  /** Computes every group's gradient pairs of the current margins (see `pairs`). */
  gradients(): void {
    const p = this.blocks.ptr;
    this.blocks.within((kern) => kern.boost_gradients(KIND[this.objective], p.margin, p.y, p.w, this.n, this.groups, p.gh));
  }

  /** The kernel address of group k's pairs (f32 g, h by row id, n of them), valid until the next `gradients`. */
  pairs(k: number): number {
    return this.blocks.ptr.gh + 8 * this.n * k;
  }

  /** Lets `fn` change a copy of the margins, then keeps its changes (rows a tree did not sample). */
  edit(fn: (margin: Float32Array) => void): void {
    const size = this.n * this.groups;
    const margin = this.blocks.within((kern) => f32At(kern, this.blocks.ptr.margin, size).slice());
    fn(margin);
    this.blocks.within((kern) => this.blocks.set(kern, 'margin', margin));
  }

  dispose(): void {
    this.blocks.free();
  }
}
