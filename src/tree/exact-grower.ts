/**
 * Grows one regression tree by exact greedy split search (kernels in assembly/tree/exact.ts),
 * XGBoost's `exact`: the columns are sorted once into blocks at construction (with each one's
 * list of missing rows); each level scans every block once for all its nodes together, then moves the rows to their children. Split
 * rules, pruning and layout as in grown-tree.ts; thresholds are the midpoints between
 * neighbouring distinct values.
 */
import type { TreeArrays } from '../boost/model.js';
import { KernelBlocks } from '../runtime/blocks.js';
import { f32At } from '../runtime/heap.js';
import { withKernel, type KernelExports } from '../runtime/kernel.js';
import type { NumpyRandom } from '../random/numpy.js';
import { RT_EPS, layoutTree, sampleFeatures, type GrowOptions, type GrownNode, type Grower } from './grown-tree.js';

type Block = 'x' | 'vals' | 'rows' | 'colPtr' | 'missPtr' | 'rowNode' | 'side' | 'gh' | 'work' | 'scratch';

/** The column segments of a level's k nodes (kernels tree_exact_root, tree_exact_level), and how to split them for the next. */
interface Segments {
  blocks: KernelBlocks<'seg'>;
  k: number;
  /** The level's nodes' first child in the next level (−1: a leaf), once the level is split. */
  child?: Int32Array;
}

export class ExactGrower implements Grower {
  private readonly blocks: KernelBlocks<Block>;
  private nodes: GrownNode[] = [];
  private slot: Int32Array = new Int32Array(0);
  private segments?: Segments;

  /** Copies `X` (n × m row-major float32) in and sorts its columns into blocks. */
  constructor(X: Float32Array, private readonly n: number, private readonly m: number) {
    this.blocks = withKernel((kern) => {
      const blocks = new KernelBlocks<Block>(kern, {
        ...{ x: X.byteLength, vals: X.byteLength, rows: X.byteLength, colPtr: (m + 1) * 4, missPtr: (m + 1) * 4, rowNode: n * 4, side: n, gh: n * 8 },
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

  grow(sample: Uint32Array, gh: Float32Array, allowed: Uint8Array, options: GrowOptions, rng: NumpyRandom): TreeArrays {
    const p = this.blocks.ptr;
    return this.blocks.within((kern) => {
      f32At(kern, p.gh, 2 * this.n).set(gh);
      const [G, H] = this.start(kern, sample);
      this.segments = this.rootSegments(kern, allowed);
      this.nodes = [{ parent: -1, G, H, gain: 0, feature: -1, condition: 0, defaultLeft: false, left: -1, right: -1 }];
      let level = [0];
      let leaves = 1;
      for (let depth = 0; level.length > 0; depth++) {
        const next: number[] = [];
        const splits = depth < options.maxDepth ? this.search(kern, level, allowed, options, rng) : undefined;
        const split = new Int32Array(level.length).fill(-1);
        const thr = new Float32Array(level.length);
        const left = new Uint8Array(level.length);
        const child = new Int32Array(level.length).fill(-1);
        const leafId = Int32Array.from(level);
        level.forEach((id, i) => {
          if (!splits || !(splits.gain[i] > RT_EPS) || (options.maxLeaves > 0 && leaves >= options.maxLeaves)) return;
          const nd = this.nodes[id];
          Object.assign(nd, { gain: splits.gain[i], feature: splits.feature[i], condition: splits.thr[i], defaultLeft: splits.left[i] === 1 });
          nd.left = this.nodes.push({ parent: id, G: splits.GL[i], H: splits.HL[i], gain: 0, feature: -1, condition: 0, defaultLeft: false, left: -1, right: -1 }) - 1;
          nd.right = this.nodes.push({ parent: id, G: nd.G - splits.GL[i], H: nd.H - splits.HL[i], gain: 0, feature: -1, condition: 0, defaultLeft: false, left: -1, right: -1 }) - 1;
          split[i] = nd.feature;
          thr[i] = nd.condition;
          left[i] = splits.left[i];
          child[i] = next.length;
          next.push(nd.left, nd.right);
          leaves++;
        });
        const arrays = new KernelBlocks(kern, { split: split.byteLength, thr: thr.byteLength, left: left.byteLength, child: child.byteLength, leafId: leafId.byteLength });
        try {
          arrays.set(kern, 'split', split);
          arrays.set(kern, 'thr', thr);
          arrays.set(kern, 'left', left);
          arrays.set(kern, 'child', child);
          arrays.set(kern, 'leafId', leafId);
          const a = arrays.ptr;
          kern.tree_exact_apply(p.x, this.m, this.n, p.rowNode, a.split, a.thr, a.left, a.child, a.leafId, p.side);
        } finally {
          arrays.free();
        }
        if (this.segments) this.segments.child = child;
        level = next;
      }
      this.segments?.blocks.free();
      this.segments = undefined;
      const { tree, slot } = layoutTree(this.nodes, options);
      this.slot = slot;
      return tree;
    });
  }

  /** Puts the sampled rows in the root (rowNode 0, the others −1); returns their totals G, H. */
  private start(kern: KernelExports, sample: Uint32Array): [number, number] {
    const s = new KernelBlocks(kern, { sample: sample.byteLength, sums: 16 });
    try {
      s.set(kern, 'sample', sample);
      kern.tree_exact_start(s.ptr.sample, sample.length, this.n, this.blocks.ptr.gh, this.blocks.ptr.rowNode, s.ptr.sums);
      const sums = new Float64Array(kern.memory.buffer, s.ptr.sums, 2);
      return [sums[0], sums[1]];
    } finally {
      s.free();
    }
  }

  /** The root's segments: the sampled rows (rowNode 0) of the allowed features. */
  private rootSegments(kern: KernelExports, allowed: Uint8Array): Segments {
    this.segments?.blocks.free();
    const m = this.m;
    const blocks = new KernelBlocks(kern, { seg: 8 * m });
    const s = new KernelBlocks(kern, { allowed: m });
    try {
      s.set(kern, 'allowed', allowed);
      const p = this.blocks.ptr;
      kern.tree_exact_root(p.vals, p.rows, p.colPtr, m, p.rowNode, p.gh, s.ptr.allowed, p.work, blocks.ptr.seg);
      return { blocks, k: 1 };
    } catch (err) {
      blocks.free();
      throw err;
    } finally {
      s.free();
    }
  }

  addLeafValues(tree: TreeArrays, marginAt: number, nClass: number, cls: number): void {
    this.blocks.within((kern) => {
      // a row's final code is −2 − (the grown node it ended in); a pruned node's rows belong to
      // the nearest ancestor that kept a place in the tree
      const value = new Float32Array(this.nodes.length);
      this.nodes.forEach((_, id) => {
        let at = id;
        while (this.slot[at] < 0) at = this.nodes[at].parent;
        value[id] = tree.split_conditions[this.slot[at]];
      });
      const s = new KernelBlocks(kern, { values: value.byteLength });
      try {
        s.set(kern, 'values', value);
        kern.boost_add_code_values(this.blocks.ptr.rowNode, this.n, s.ptr.values, marginAt, nClass, cls);
      } finally {
        s.free();
      }
    });
  }

  dispose(): void {
    this.segments?.blocks.free();
    this.blocks.free();
  }

  /** Best split of every level node (kernel tree_exact_level). */
  private search(kern: KernelExports, level: number[], allowed: Uint8Array, options: GrowOptions, rng: NumpyRandom) {
    const k = level.length;
    const m = this.m;
    const levelSet = sampleFeatures(allowed, options.colsampleBylevel, rng);
    const mask = new Uint8Array(k * m);
    for (let i = 0; i < k; i++) mask.set(sampleFeatures(levelSet, options.colsampleBynode, rng), i * m);
    // the level's segments, split from the last level's unless they are the root's
    const last = this.segments!;
    const segments = last.child ? { blocks: new KernelBlocks(kern, { seg: 4 * m * (k + 1) }), k } : last;
    const s = new KernelBlocks(kern, { G: k * 8, H: k * 8, mask: k * m, child: 4 * last.k, sums: k * 24, gain: k * 8, feature: k * 4, thr: k * 4, left: k, GL: k * 8, HL: k * 8 });
    try {
      s.set(kern, 'G', Float64Array.from(level, (id) => this.nodes[id].G));
      s.set(kern, 'H', Float64Array.from(level, (id) => this.nodes[id].H));
      s.set(kern, 'mask', mask);
      s.set(kern, 'gain', new Float64Array(k).fill(-Infinity));
      if (last.child) s.set(kern, 'child', last.child);
      const p = this.blocks.ptr;
      const q = s.ptr;
      kern.tree_exact_level(
        p.work, segments.blocks.ptr.seg, last.blocks.ptr.seg, last.child ? last.k : 0, q.child, p.side, p.scratch, p.rows, this.n * m,
        p.missPtr, m, p.rowNode, p.gh, k, q.G, q.H, q.mask, options.lambda, options.alpha, options.minChildWeight, q.sums,
        q.gain, q.feature, q.thr, q.left, q.GL, q.HL,
      );
      if (segments !== last) {
        last.blocks.free();
        this.segments = segments;
      }
      const buf = kern.memory.buffer;
      return {
        gain: new Float64Array(buf, q.gain, k).slice(),
        feature: new Int32Array(buf, q.feature, k).slice(),
        thr: new Float32Array(buf, q.thr, k).slice(),
        left: new Uint8Array(buf, q.left, k).slice(),
        GL: new Float64Array(buf, q.GL, k).slice(),
        HL: new Float64Array(buf, q.HL, k).slice(),
      };
    } finally {
      s.free();
      if (segments !== this.segments) segments.blocks.free();
    }
  }
}
