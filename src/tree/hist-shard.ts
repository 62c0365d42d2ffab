/**
 * The kernel side of histogram split search for a range of features [first, first + m): their
 * bin codes, and the node-ordered rows, gradient pairs and codes (assembly/tree/histogram.ts), in
 * one WebAssembly instance for the whole fit. hist-grower.ts drives one shard on the calling
 * thread and, with `nThreads` > 1, one in each worker (feature-shards.ts); all of them hold every
 * row and partition them identically, so a node is the same range of positions everywhere.
 *
 * Where the bins come from (`Proposal`):
 * - `hist`: quantiles of the data, once for the whole fit;
 * - `approx`, `global`: hessian-weighted quantiles of the tree's rows, once per tree;
 * - `approx`, `local`: the same of each node's rows, per node (its rows re-binned).
 * With cuts shared by a node and its children (hist, global), the smaller child's histogram is
 * built and the larger one's derived by subtraction; local cuts need each node's built anew.
 */
import { KernelBlocks } from '../runtime/blocks.js';
import { HeapScope, bytesAt, f32At, u32At } from '../runtime/heap.js';
import { withKernel, type KernelExports } from '../runtime/kernel.js';
import { hessianCuts, layoutCuts, type Cuts } from './binning.js';

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

const FLT_MAX = 3.4028234663852886e38;
/** Rows binned per kernel call. */
const BIN_ROWS = 1 << 12;
/**
 * Up to this many bytes of codes (fixed cuts), nodes read each row's codes where binning put
 * them, by row id, and partitions move ids and pairs only: the codes stay in cache, and moving
 * them would cost more than the scattered reads. Beyond it each node's codes are kept contiguous
 * and moved with its rows (a scattered read per row would miss the cache).
 */
const BY_ID_BYTES = 4 << 20;

type Block = 'x' | 'bins' | 'codes' | 'rows' | 'gh' | 'scratchRows' | 'scratchGh' | 'scratchCodes' | 'decisions' | 'histOff' | 'nBins' | 'cuts' | 'cutPtr' | 'mask' | 'scratchHist';

export class HistShard {
  private readonly blocks: KernelBlocks<Block>;
  private readonly histBytes: number;
  /** Codes read by row id from `bins` (see BY_ID_BYTES), not copied into node order. */
  private readonly byId: boolean;
  /** The cuts in use (the fixed ones, or the last tree's / node's). */
  private cuts: Cuts;
  /** Histograms of the current tree's nodes by id (hist, global). */
  private hists = new Map<number, number>();

  /**
   * `X`: this shard's m columns of the n rows (row-major float32), binned once (fixed cuts) or
   * kept raw; `first`: the global index of its first feature.
   */
  constructor(X: Float32Array, n: number, private readonly m: number, private readonly proposal: Proposal, readonly first = 0) {
    const fixed = proposal.kind === 'fixed';
    const maxBin = fixed ? 256 : proposal.maxBin;
    this.histBytes = 16 * (fixed ? proposal.cuts.histPairs : m * (maxBin + 1));
    this.byId = fixed && n * m <= BY_ID_BYTES;
    const nodeCodes = this.byId ? 0 : n * m;
    this.cuts = fixed ? proposal.cuts : layoutCuts(new Float32Array(0), new Int32Array(m + 1));
    this.blocks = withKernel((kern) => {
      const blocks = new KernelBlocks<Block>(kern, {
        x: fixed ? 0 : X.byteLength, bins: fixed ? n * m : 0, codes: nodeCodes, rows: n * 4, gh: n * 8, scratchRows: n * 4, scratchGh: n * 8,
        scratchCodes: nodeCodes, decisions: n, histOff: m * 4, nBins: m * 4, cuts: m * maxBin * 4, cutPtr: (m + 1) * 4, mask: m,
        scratchHist: proposal.kind === 'node' ? this.histBytes : 0,
      });
      try {
        if (fixed) {
          const x = new KernelBlocks(kern, { x: X.byteLength });
          try {
            x.set(kern, 'x', X);
            this.useCuts(kern, blocks, this.cuts);
            // in blocks: V8 swaps in its optimised code between calls, never during one
            for (let r = 0; r < n; r += BIN_ROWS) kern.tree_bin_rows(x.ptr.x, m, 0, r, Math.min(n, r + BIN_ROWS), blocks.ptr.cuts, blocks.ptr.cutPtr, blocks.ptr.bins);
          } finally {
            x.free();
          }
        } else blocks.set(kern, 'x', X);
      } catch (err) {
        blocks.free();
        throw err;
      }
      return blocks;
    });
  }

  /**
   * Starts a tree on rows `rows[0 .. ns)` (ascending ids; undefined: all rows) with their pairs
   * `pairs` (g, h).
   */
  begin(rows: Uint32Array | undefined, pairs: Float32Array, ns: number): void {
    const p = this.blocks.ptr;
    this.blocks.within((kern) => {
      this.freeHists(kern);
      const ids = u32At(kern, p.rows, ns);
      if (rows) ids.set(rows.subarray(0, ns));
      else for (let i = 0; i < ns; i++) ids[i] = i;
      f32At(kern, p.gh, 2 * ns).set(pairs.subarray(0, 2 * ns));
      if (this.proposal.kind === 'node') return;
      if (this.proposal.kind === 'tree') this.sketchAndBin(kern, 0, ns);
      else if (!this.byId) kern.tree_gather_rows(p.bins, this.m, p.rows, ns, p.codes);
      const root = this.newHist(kern);
      this.hists.set(0, root);
      this.buildHistogram(kern, 0, ns, root);
    });
  }

  /**
   * The best split of each node over this shard's features allowed by `masks` (nodes.length × M
   * bytes, M = all features): CANDIDATE numbers per node.
   */
  evaluate(nodes: LevelNode[], masks: Uint8Array, M: number, o: SplitParams): Float64Array {
    const p = this.blocks.ptr;
    const out = new Float64Array(nodes.length * CANDIDATE);
    this.blocks.within((kern) => {
      nodes.forEach((nd, i) => {
        let hist = this.hists.get(nd.id)!;
        if (this.proposal.kind === 'node') {
          this.sketchAndBin(kern, nd.from, nd.to);
          hist = p.scratchHist;
          bytesAt(kern, hist, this.histBytes).fill(0);
          this.buildHistogram(kern, nd.from, nd.to, hist);
        }
        bytesAt(kern, p.mask, this.m).set(masks.subarray(i * M + this.first, i * M + this.first + this.m));
        const gain = kern.tree_best_split(hist, this.m, p.histOff, p.nBins, p.mask, nd.G, nd.H, o.lambda, o.alpha, o.minChildWeight);
        const at = i * CANDIDATE;
        out[at] = gain;
        if (!(gain > -Infinity)) return;
        const f = kern.tree_split_feature();
        const bin = kern.tree_split_bin();
        out.set([this.first + f, bin, kern.tree_split_default_left(), kern.tree_split_left_g(), kern.tree_split_left_h(), this.condition(f, bin), this.cuts.nBins[f]], at + 1);
      });
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
    const counts = new Int32Array(splits.length).fill(-1);
    this.blocks.within((kern) => {
      splits.forEach((s, i) => {
        const f = s.feature - this.first;
        if (f < 0 || f >= this.m) return;
        if (!decisions) {
          counts[i] = this.partition(kern, s, f, 0);
          return;
        }
        counts[i] = kern.tree_decide(this.byId ? p.bins : p.codes, this.m, this.byId ? p.rows : 0, s.from, s.to, f, s.bin, s.missing, s.defaultLeft ? 1 : 0, p.decisions);
        decisions.set(bytesAt(kern, p.decisions + s.from, s.to - s.from), s.from);
      });
    });
    return counts;
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
      splits.forEach((s, i) => {
        if (decisions) {
          bytesAt(kern, p.decisions + s.from, s.to - s.from).set(decisions.subarray(s.from, s.to));
          this.partition(kern, s, -1, p.decisions);
        }
        if (!histograms || this.proposal.kind === 'node') return;
        const mid = s.from + counts[i];
        const smallLeft = counts[i] <= s.to - mid;
        const parent = this.hists.get(s.id)!;
        const small = this.newHist(kern);
        this.buildHistogram(kern, smallLeft ? s.from : mid, smallLeft ? mid : s.to, small);
        kern.tree_subtract_histogram(parent, small, parent, this.histBytes >> 4);
        this.hists.set(s.left, smallLeft ? small : parent);
        this.hists.set(s.right, smallLeft ? parent : small);
      });
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

  dispose(): void {
    this.blocks.free((kern) => this.freeHists(kern));
  }

  /** tree_partition of split `s` by local feature f (−1: by the sides at `decisions`); returns the left count. */
  private partition(kern: KernelExports, s: Split, f: number, decisions: number): number {
    const p = this.blocks.ptr;
    const [codes, scratchCodes] = this.byId ? [p.bins, 0] : [p.codes, p.scratchCodes];
    return kern.tree_partition(codes, this.m, p.rows, p.gh, s.from, s.to, f, s.bin, s.missing, s.defaultLeft ? 1 : 0, decisions, p.scratchRows, p.scratchGh, scratchCodes);
  }

  /** Adds the pairs of positions [from, to) into `hist`. */
  private buildHistogram(kern: KernelExports, from: number, to: number, hist: number): void {
    const p = this.blocks.ptr;
    kern.tree_build_histogram(this.byId ? p.bins : p.codes, this.m, this.byId ? p.rows : 0, p.gh, from, to, p.histOff, hist);
  }

  private newHist(kern: KernelExports): number {
    const at = kern.mem_alloc(this.histBytes);
    bytesAt(kern, at, this.histBytes).fill(0);
    return at;
  }

  private freeHists(kern: KernelExports): void {
    for (const at of new Set(this.hists.values())) kern.mem_free(at);
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

  /** Cuts the positions [from, to) by their hessians (approx), installs the cuts and re-bins them. */
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

  /** The threshold of "bins ≤ bin go left": the next cut, or −FLT_MAX (bin −1: only missing rows go left). */
  private condition(f: number, bin: number): number {
    return bin < 0 ? -FLT_MAX : this.cuts.values[this.cuts.ptr[f] + bin];
  }
}
