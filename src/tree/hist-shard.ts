/**
 * The kernel side of histogram split search for a range of features [first, first + m): their
 * bin codes, and the node-ordered rows, gradient pairs and codes (assembly/tree/histogram.ts), in
 * one WebAssembly instance for the whole fit. hist-grower.ts drives one shard on the calling
 * thread and, with `nThreads` > 1, one in each worker (feature-shards.ts); all of them hold every
 * row and partition them identically, so a node is the same range of positions everywhere.
 *
 * Where the bins come from (`Proposal`):
 * - `hist`: quantiles of the data, once for the whole fit;
 * - `approx`, `global`: hessian-weighted quantiles of the tree's rows, once per tree, read from
 *   columns sorted once (no sort per tree), and every row re-binned by a walk of them;
 * - `approx`, `local`: the same of each node's rows, per node (its rows re-binned).
 * With cuts shared by a node and its children (hist, global), the smaller child's histogram is
 * built and the larger one's derived by subtraction; local cuts need each node's built anew.
 */
import { KernelBlocks } from '../runtime/blocks.js';
import { HeapScope, bytesAt, f32At, u32At } from '../runtime/heap.js';
import { checkStatus } from '../runtime/errors.js';
import { withKernel, type KernelExports } from '../runtime/kernel.js';
import type { TreeArrays } from '../boost/model.js';
import type { NumpyRandom } from '../random/numpy.js';
import { blockHessianCuts, hessianCuts, layoutCuts, type Cuts } from './binning.js';
import { laidOut, sampleMasks, type GrowOptions } from './grown-tree.js';

/** Fixed cuts (hist), or cut by hessians per tree or per node (approx). */
export type Proposal = { kind: 'fixed'; cuts: Cuts } | { kind: 'tree' | 'node'; maxBin: number };

/** A node to evaluate: its positions [from, to) and gradient sums. */
export interface LevelNode {
  id: number;
  from: number;
  to: number;
  G: number;
  H: number;
}

/** A chosen split: node `id` → children `left`, `right`; `feature` is a global index. */
export interface Split {
  id: number;
  from: number;
  to: number;
  feature: number;
  bin: number;
  /** The feature's missing-bin code in the cuts the split was found with. */
  missing: number;
  defaultLeft: boolean;
  left: number;
  right: number;
}

export interface SplitParams {
  lambda: number;
  alpha: number;
  minChildWeight: number;
}

/**
 * `evaluate` returns CANDIDATE numbers per node: gain (−∞: none), global feature, bin,
 * default-left (0/1), G and H of the left side, the threshold, the missing code.
 */
export const CANDIDATE = 8;
/** f64s per node given to tree_best_splits: its histogram's address, G, H. */
const NODE = 3;
/** i32s per split record of tree_partition_splits / tree_split_histograms (see histogram.ts). */
const SPLIT = 9;
/** Rows binned per kernel call. */
const BIN_ROWS = 1 << 12;

type Block = 'x' | 'sortedVals' | 'sortedRows' | 'colPtr' | 'missPtr' | 'wById' | 'bins' | 'codes' | 'rows' | 'gh' | 'sums' | 'scratchRows' | 'scratchGh' | 'scratchCodes' | 'decisions' | 'histOff' | 'nBins' | 'cuts' | 'cutPtr' | 'mask' | 'scratchHist';

export class HistShard {
  /**
   * Up to this many bytes of codes (fixed cuts), nodes read each row's codes where binning put
   * them, and its pair, by row id, and partitions move ids only: codes and pairs stay in cache
   * (a node's ids ascend, so the reads go forward), and moving them would cost more than the
   * scattered reads. Beyond it each node's codes and pairs are kept contiguous and moved with its
   * rows (a scattered read per row would miss the cache). Tests lower it (in their own thread)
   * to run small data through both layouts.
   */
  static byIdBytes = 4 << 20;

  private readonly blocks: KernelBlocks<Block>;
  private readonly histBytes: number;
  /** Codes read by row id from `bins` (see byIdBytes), not copied into node order. */
  private readonly byId: boolean;
  /** The cuts in use (the fixed ones, or the last tree's / node's). */
  private cuts: Cuts;
  /** Where each column starts in the sorted blocks (approx, global). */
  private colPtr = new Int32Array(0);
  /** Histograms of the current tree's nodes by id (hist, global), in the blocks below. */
  private hists = new Map<number, number>();
  /** The current tree's histogram memory: the root's, then one block per level. */
  private histBlocks: number[] = [];
  /** The kernel's tree state for growTree (0: none yet). */
  private tree = 0;
  /** Where the kernels read the current tree's pairs: by row id (`byId`), else `gh` in node order. */
  private gh = 0;

  /**
   * `X`: this shard's m columns of the n rows (row-major float32): binned once (fixed cuts),
   * sorted by column (approx, global) or kept raw (local); `first`: the global index of its first
   * feature.
   */
  constructor(X: Float32Array, private readonly n: number, private readonly m: number, private readonly proposal: Proposal, readonly first = 0) {
    const { kind } = proposal;
    const maxBin = kind === 'fixed' ? 256 : proposal.maxBin;
    this.histBytes = 16 * (kind === 'fixed' ? proposal.cuts.histPairs : m * (maxBin + 1));
    // codes by row id in `bins`: once (fixed) or per tree (tree); local cuts bin each node's rows in node order
    const binned = kind !== 'node';
    this.byId = binned && n * m <= HistShard.byIdBytes;
    const nodeCodes = this.byId ? 0 : n * m;
    const sorted = kind === 'tree' ? n * m * 4 : 0;
    this.cuts = kind === 'fixed' ? proposal.cuts : layoutCuts(new Float32Array(0), new Int32Array(m + 1));
    this.blocks = withKernel((kern) => {
      const blocks = new KernelBlocks<Block>(kern, {
        x: kind === 'node' ? X.byteLength : 0, bins: binned ? n * m : 0, codes: nodeCodes, rows: n * 4, gh: n * 8, sums: 16, scratchRows: n * 4, scratchGh: this.byId ? 0 : n * 8,
        scratchCodes: nodeCodes, decisions: n, histOff: m * 4, nBins: m * 4, cuts: m * maxBin * 4, cutPtr: (m + 1) * 4, mask: m,
        scratchHist: kind === 'node' ? this.histBytes : 0,
        sortedVals: sorted, sortedRows: sorted, colPtr: kind === 'tree' ? (m + 1) * 4 : 0, missPtr: kind === 'tree' ? (m + 1) * 4 : 0, wById: kind === 'tree' ? n * 4 : 0,
      });
      try {
        if (kind === 'node') blocks.set(kern, 'x', X);
        else {
          const x = new KernelBlocks(kern, { x: X.byteLength, keys: kind === 'tree' ? n * 8 : 0 });
          try {
            x.set(kern, 'x', X);
            const p = blocks.ptr;
            if (kind === 'tree') {
              // each column sorted once: every tree's sketch and binning walk it
              kern.tree_column_blocks(x.ptr.x, n, m, x.ptr.keys, p.sortedVals, p.sortedRows, p.colPtr, p.missPtr);
              this.colPtr = Int32Array.from(new Int32Array(kern.memory.buffer, p.colPtr, m + 1));
            } else {
              this.useCuts(kern, blocks, this.cuts);
              // in blocks: V8 swaps in its optimised code between calls, never during one
              for (let r = 0; r < n; r += BIN_ROWS) kern.tree_bin_rows(x.ptr.x, m, 0, r, Math.min(n, r + BIN_ROWS), p.cuts, p.cutPtr, p.bins);
            }
          } finally {
            x.free();
          }
        }
      } catch (err) {
        blocks.free();
        throw err;
      }
      return blocks;
    });
  }

  /**
   * Starts a tree on rows `rows[0 .. ns)` (ascending ids; undefined: all rows) with every row's
   * (g, h) by row id: at kernel address `pairs` of this instance, or in an array (a worker's
   * shard, from shared memory); returns the tree's totals G, H. With codes by row id the pairs
   * are read where they are (partitions move ids only); else they are gathered into node order.
   */
  begin(rows: Uint32Array | undefined, pairs: number | Float32Array, ns: number): [number, number] {
    const p = this.blocks.ptr;
    return this.blocks.within((kern) => {
      this.freeHists(kern);
      if (rows) u32At(kern, p.rows, ns).set(rows.subarray(0, ns));
      let byRow = pairs as number;
      if (typeof pairs !== 'number') {
        // into this instance: where they stay by row id, or where they are gathered from
        byRow = this.byId ? p.gh : p.scratchGh;
        f32At(kern, byRow, 2 * this.n).set(pairs);
      }
      this.gh = this.byId ? byRow : p.gh;
      kern.tree_begin(p.rows, rows ? 0 : 1, byRow, this.byId ? 0 : p.gh, ns, p.sums);
      const sums = new Float64Array(kern.memory.buffer, p.sums, 2);
      const totals: [number, number] = [sums[0], sums[1]];
      if (this.proposal.kind === 'node') return totals;
      if (this.proposal.kind === 'tree') this.cutTree(kern, ns);
      if (!this.byId) kern.tree_gather_rows(p.bins, this.m, p.rows, ns, p.codes);
      const root = this.newHist(kern);
      this.hists.set(0, root);
      this.buildHistogram(kern, 0, ns, root);
      return totals;
    });
  }

  /**
   * The best split of each node over this shard's features allowed by `masks` (nodes.length × M
   * bytes, M = all features): CANDIDATE numbers per node.
   */
  evaluate(nodes: LevelNode[], masks: Uint8Array, M: number, o: SplitParams): Float64Array {
    const out = new Float64Array(nodes.length * CANDIDATE);
    this.blocks.within((kern) => {
      if (this.proposal.kind !== 'node') {
        this.bestSplits(kern, nodes, 0, nodes.length, masks, M, o, out);
        return;
      }
      // local cuts: each node cut, binned and scanned in turn, its histogram in scratchHist
      const p = this.blocks.ptr;
      for (let i = 0; i < nodes.length; i++) {
        const { from, to } = nodes[i];
        this.sketchAndBin(kern, from, to);
        bytesAt(kern, p.scratchHist, this.histBytes).fill(0);
        this.buildHistogram(kern, from, to, p.scratchHist);
        this.bestSplits(kern, nodes, i, i + 1, masks, M, o, out);
      }
    });
    return out;
  }

  /**
   * For the nodes of `splits` whose feature this shard holds: alone (no `decisions`), partitions
   * them; among shards, writes each row's side to `decisions` (by position) for every shard to
   * partition by. Returns each split's left count (−1 where another shard holds the feature).
   */
  partitionOwn(splits: Split[], decisions?: Uint8Array): Int32Array {
    const p = this.blocks.ptr;
    return this.blocks.within((kern) => {
      if (!decisions) return this.partitionSplits(kern, splits, (s) => this.local(s.feature));
      const counts = new Int32Array(splits.length).fill(-1);
      splits.forEach((s, i) => {
        const f = this.local(s.feature);
        if (f < 0) return;
        counts[i] = kern.tree_decide(this.byId ? p.bins : p.codes, this.m, this.byId ? p.rows : 0, s.from, s.to, f, s.bin, s.missing, s.defaultLeft ? 1 : 0, p.decisions);
        decisions.set(bytesAt(kern, p.decisions + s.from, s.to - s.from), s.from);
      });
      return counts;
    });
  }

  /**
   * Among shards (`decisions` given), partitions every node of `splits` by the sides recorded;
   * then, if the children will be evaluated (`histograms`), builds their histograms: the smaller
   * child's, and the larger one's as parent − smaller (hist, global; local cuts build each
   * node's when it is evaluated).
   */
  finishSplits(splits: Split[], counts: Int32Array, histograms: boolean, decisions?: Uint8Array): void {
    const p = this.blocks.ptr;
    this.blocks.within((kern) => {
      if (decisions) {
        bytesAt(kern, p.decisions, decisions.length).set(decisions);
        this.partitionSplits(kern, splits, () => -1);
      }
      if (!histograms || this.proposal.kind === 'node' || splits.length === 0) return;
      const heap = new HeapScope(kern);
      try {
        // the smaller children's histograms, one block per level; the larger ones take their parents'
        const level = kern.mem_alloc(splits.length * this.histBytes);
        this.histBlocks.push(level);
        const table = this.splitTable(kern, heap, splits);
        splits.forEach((s, i) => {
          const small = level + i * this.histBytes;
          const parent = this.hists.get(s.id)!;
          table[SPLIT * i + 6] = counts[i];
          table[SPLIT * i + 7] = parent;
          table[SPLIT * i + 8] = small;
          const smallLeft = counts[i] <= s.to - s.from - counts[i];
          this.hists.set(s.left, smallLeft ? small : parent);
          this.hists.set(s.right, smallLeft ? parent : small);
        });
        kern.tree_split_histograms(table.byteOffset, splits.length, this.byId ? p.bins : p.codes, this.m, this.byId ? p.rows : 0, this.gh, p.histOff, this.histBytes >> 4);
      } finally {
        heap.dispose();
      }
    });
  }

  /**
   * Adds `values[j]` to the margins (kernel address `margin`, n × groups float32, column `cls`)
   * of the rows at positions [ranges[2j], ranges[2j + 1]): the leaves of the last tree.
   */
  addLeafValues(ranges: Int32Array, values: Float32Array, margin: number, groups: number, cls: number): void {
    this.blocks.within((kern) => {
      const heap = new HeapScope(kern);
      try {
        kern.boost_add_leaf_values(this.blocks.ptr.rows, heap.copyIn(ranges), heap.copyIn(values), values.length, margin, groups, cls);
      } finally {
        heap.dispose();
      }
    });
  }

  /** Whether growTree can grow this shard's trees: it holds every feature and cuts are not per node. */
  get growsTrees(): boolean {
    return this.first === 0 && this.proposal.kind !== 'node';
  }

  /**
   * Grows a whole tree in the kernel (assembly/tree/hist-tree.ts) on rows `rows[0 .. ns)` as
   * `begin` starts it: one call per level, the splits, partitions and histograms as evaluate /
   * partitionOwn / finishSplits make them for HistogramGrower, the masks drawn from `rng` in the
   * same order. Only where `growsTrees` and this shard holds every feature.
   */
  growTree(rows: Uint32Array | undefined, pairs: number, ns: number, allowed: Uint8Array, options: GrowOptions, rng: NumpyRandom): TreeArrays {
    const [G, H] = this.begin(rows, pairs, ns);
    const p = this.blocks.ptr;
    return this.blocks.within((kern) => {
      this.tree ||= kern.tree_hist_tree_new(Math.min(2 * ns + 1, 63), this.m) >>> 0; // grows as needed; addresses read unsigned
      const t = this.tree;
      kern.tree_hist_tree_begin(t, G, H, ns, this.hists.get(0)!);
      bytesAt(kern, p.mask, this.m).set(allowed);
      const masked = options.colsampleBylevel < 1 || options.colsampleBynode < 1;
      const [codes, histRows, scratchCodes] = this.byId ? [p.bins, p.rows, 0] : [p.codes, 0, p.scratchCodes];
      for (let k = 1; k > 0; ) {
        if (masked) sampleMasks(bytesAt(kern, kern.tree_grown_mask(t) >>> 0, k * this.m), allowed, options, rng);
        k = kern.tree_hist_tree_level(
          t, masked ? 1 : 0, p.mask, options.maxDepth, options.maxLeaves, options.lambda, options.alpha, options.minChildWeight,
          codes, p.rows, histRows, this.gh, p.histOff, p.nBins, p.cuts, p.cutPtr, this.histBytes, p.decisions, p.scratchRows, p.scratchGh, scratchCodes,
        );
      }
      const size = kern.tree_hist_tree_layout(t, options.gamma, options.lambda, options.alpha, options.eta);
      return laidOut(kern, kern.tree_grown_out(t) >>> 0, kern.tree_grown_cap(t), size);
    });
  }

  /** Adds the leaf values of growTree's last tree to the margins (kernel address `margin`, n × groups float32, column `cls`) of its rows. */
  addTreeLeafValues(margin: number, groups: number, cls: number): void {
    this.blocks.within((kern) => kern.tree_hist_tree_add_leaf_values(this.tree, this.blocks.ptr.rows, margin, groups, cls));
  }

  dispose(): void {
    this.blocks.free((kern) => {
      this.freeHists(kern);
      if (this.tree) kern.tree_hist_tree_free(this.tree);
    });
    this.tree = 0;
  }

  /** The local index of global feature `feature` (−1: another shard's). */
  private local(feature: number): number {
    const f = feature - this.first;
    return f >= 0 && f < this.m ? f : -1;
  }

  /**
   * tree_partition_splits of `splits` by the local feature `feature(s)` gives (−1: by the sides
   * at `decisions`); returns each split's left count.
   */
  private partitionSplits(kern: KernelExports, splits: Split[], feature: (s: Split) => number): Int32Array {
    const p = this.blocks.ptr;
    const heap = new HeapScope(kern);
    try {
      const table = this.splitTable(kern, heap, splits);
      splits.forEach((s, i) => {
        table[SPLIT * i + 2] = feature(s);
        table[SPLIT * i + 3] = s.bin;
        table[SPLIT * i + 4] = s.missing;
        table[SPLIT * i + 5] = s.defaultLeft ? 1 : 0;
      });
      const [codes, scratchCodes] = this.byId ? [p.bins, 0] : [p.codes, p.scratchCodes];
      kern.tree_partition_splits(table.byteOffset, splits.length, codes, this.m, p.rows, this.gh, p.decisions, p.scratchRows, p.scratchGh, scratchCodes);
      const counts = new Int32Array(splits.length);
      for (let i = 0; i < splits.length; i++) counts[i] = table[SPLIT * i + 6];
      return counts;
    } finally {
      heap.dispose();
    }
  }

  /** A split record per split (see histogram.ts), in `heap`, with each one's range filled in. */
  private splitTable(kern: KernelExports, heap: HeapScope, splits: Split[]): Int32Array {
    const table = new Int32Array(kern.memory.buffer, heap.alloc(4 * SPLIT * splits.length), SPLIT * splits.length);
    splits.forEach((s, i) => {
      table[SPLIT * i] = s.from;
      table[SPLIT * i + 1] = s.to;
    });
    return table;
  }

  /** tree_best_splits of nodes [from, to) into their places in `out`, features made global. */
  private bestSplits(kern: KernelExports, nodes: LevelNode[], from: number, to: number, masks: Uint8Array, M: number, o: SplitParams, out: Float64Array): void {
    const p = this.blocks.ptr;
    const count = to - from;
    const heap = new HeapScope(kern);
    try {
      // the node table, the answers and the masks in one block, written and read in place
      const at = heap.alloc(8 * (NODE + CANDIDATE) * count + this.m * count);
      const buf = kern.memory.buffer;
      const table = new Float64Array(buf, at, NODE * count);
      const got = new Float64Array(buf, at + 8 * NODE * count, CANDIDATE * count);
      const mine = new Uint8Array(buf, at + 8 * (NODE + CANDIDATE) * count, this.m * count);
      for (let i = 0; i < count; i++) {
        const nd = nodes[from + i];
        table[NODE * i] = this.proposal.kind === 'node' ? p.scratchHist : this.hists.get(nd.id)!;
        table[NODE * i + 1] = nd.G;
        table[NODE * i + 2] = nd.H;
        const row = (from + i) * M + this.first;
        mine.set(masks.subarray(row, row + this.m), this.m * i);
      }
      kern.tree_best_splits(at, count, this.m, p.histOff, p.nBins, mine.byteOffset, p.cuts, p.cutPtr, o.lambda, o.alpha, o.minChildWeight, got.byteOffset);
      for (let i = 0; i < count; i++) if (got[CANDIDATE * i + 1] >= 0) got[CANDIDATE * i + 1] += this.first;
      out.set(got, CANDIDATE * from);
    } finally {
      heap.dispose();
    }
  }

  /** Adds the pairs of positions [from, to) into `hist`. */
  private buildHistogram(kern: KernelExports, from: number, to: number, hist: number): void {
    const p = this.blocks.ptr;
    kern.tree_build_histogram(this.byId ? p.bins : p.codes, this.m, this.byId ? p.rows : 0, this.gh, from, to, p.histOff, hist);
  }

  private newHist(kern: KernelExports): number {
    const at = kern.mem_alloc(this.histBytes);
    this.histBlocks.push(at);
    bytesAt(kern, at, this.histBytes).fill(0);
    return at;
  }

  private freeHists(kern: KernelExports): void {
    for (const at of this.histBlocks) kern.mem_free(at);
    this.histBlocks = [];
    this.hists.clear();
  }

  /** Installs `cuts` in kernel memory (values, ptr, layout). */
  private useCuts(kern: KernelExports, blocks: KernelBlocks<Block>, cuts: Cuts): void {
    this.cuts = cuts;
    blocks.set(kern, 'cuts', cuts.values);
    blocks.set(kern, 'cutPtr', cuts.ptr);
    blocks.set(kern, 'histOff', cuts.histOff);
    blocks.set(kern, 'nBins', cuts.nBins);
  }

  /**
   * Cuts the tree's rows (positions [0, ns)) by their hessians from the sorted blocks (approx,
   * global), installs the cuts and bins every row by id into `bins`.
   */
  private cutTree(kern: KernelExports, ns: number): void {
    const { maxBin } = this.proposal as { maxBin: number };
    const p = this.blocks.ptr;
    const heap = new HeapScope(kern);
    try {
      const status = kern.tree_sketch_row_weights(p.rows, ns, this.gh + 4, 2, this.byId ? 1 : 0, this.n, p.wById);
      if (status < 0) checkStatus(status, kern, 'sketch', ['rows', 'ns', 'weights']);
      this.useCuts(kern, this.blocks, blockHessianCuts(kern, heap, { vals: p.sortedVals, rows: p.sortedRows, colPtr: this.colPtr }, p.wById, ns, maxBin));
    } finally {
      heap.dispose();
    }
    kern.tree_bin_blocks(p.sortedVals, p.sortedRows, p.colPtr, p.missPtr, this.n * this.m, this.m, p.cuts, p.cutPtr, p.bins);
  }

  /** Cuts the positions [from, to) by their hessians (approx, local), installs the cuts and re-bins them in node order. */
  private sketchAndBin(kern: KernelExports, from: number, to: number): void {
    const { maxBin } = this.proposal as { maxBin: number };
    const p = this.blocks.ptr;
    const heap = new HeapScope(kern);
    try {
      this.useCuts(kern, this.blocks, hessianCuts(kern, heap, p.x, this.m, p.rows + 4 * from, to - from, p.gh + 8 * from + 4, 2, maxBin));
    } finally {
      heap.dispose();
    }
    kern.tree_bin_rows(p.x, this.m, p.rows, from, to, p.cuts, p.cutPtr, p.codes);
  }
}
