/**
 * Grows one regression tree on gradient pairs by histogram split search (kernels in
 * assembly/tree/histogram.ts), depth-wise as XGBoost's `hist` and `approx` do: BuildHistogram →
 * EvaluateSplits → ApplySplit (partition) for every node of a level.
 *
 * Where the bins come from (`Proposal`):
 * - `hist`: quantiles of the data, once for the whole fit;
 * - `approx`, `global`: a hessian-weighted quantile sketch of the tree's rows, once per tree;
 * - `approx`, `local`: the same of each node's rows, per node (its rows re-binned).
 * With cuts shared by a node and its children (hist, global), the smaller child's histogram is
 * built and the larger one's derived by subtraction; local cuts need both built.
 *
 * A node splits when its best loss change exceeds RT_EPS, both sides keep hessian ≥
 * `minChildWeight`, its depth < `maxDepth`, and (when `maxLeaves` > 0) the tree has fewer leaves
 * than that; then grown-tree.ts prunes by γ and lays the tree out. Column sampling: the caller's
 * per-tree set, then `colsampleBylevel` of it per level and `colsampleBynode` of that per node.
 *
 * The binned matrix and the node-ordered rows (ids, gradient pairs and a copy of their codes, see
 * assembly/tree/histogram.ts) live in kernel memory for the whole fit; `dispose()` frees them.
 */
import type { TreeArrays } from '../boost/model.js';
import { KernelBlocks } from '../runtime/blocks.js';
import { HeapScope, f32At, u32At } from '../runtime/heap.js';
import { withKernel, type KernelExports } from '../runtime/kernel.js';
import type { NumpyRandom } from '../random/numpy.js';
import { layoutCuts, type Cuts } from './binning.js';
import { ColumnSketches } from './sketch.js';
import { RT_EPS, layoutTree, sampleFeatures, type GrowOptions, type GrownNode, type Grower } from './grown-tree.js';

interface Node extends GrownNode {
  id: number;
  from: number;
  to: number;
  hist: number;
}

const FLT_MAX = 3.4028234663852886e38;

/** Fixed cuts (hist), or sketched from hessians per tree or per node (approx). */
export type Proposal = { kind: 'fixed'; cuts: Cuts } | { kind: 'tree' | 'node'; maxBin: number; eps: number };

type Block = 'x' | 'bins' | 'codes' | 'rows' | 'gh' | 'scratchRows' | 'scratchGh' | 'scratchCodes' | 'histOff' | 'nBins' | 'cuts' | 'cutPtr' | 'mask';

export class HistogramGrower implements Grower {
  private readonly blocks: KernelBlocks<Block>;
  private readonly histBytes: number;
  /** The cuts in use (the fixed ones, or the last tree's / node's). */
  private cuts: Cuts;
  /** The last tree's nodes as grown (each with its range of `rows`), and where each ended up. */
  private nodes: Node[] = [];
  private slot = new Map<number, number>();

  /** `X` (n × m row-major float32) into kernel memory: binned once (fixed cuts) or kept raw. */
  constructor(X: Float32Array, private readonly n: number, private readonly m: number, private readonly proposal: Proposal) {
    const fixed = proposal.kind === 'fixed';
    const maxBin = fixed ? 256 : proposal.maxBin;
    this.histBytes = 16 * (fixed ? proposal.cuts.histPairs : m * (maxBin + 1));
    this.cuts = fixed ? proposal.cuts : layoutCuts(new Float32Array(0), new Int32Array(m + 1));
    this.blocks = withKernel((kern) => {
      const blocks = new KernelBlocks<Block>(kern, {
        x: fixed ? 0 : X.byteLength, bins: fixed ? n * m : 0, codes: n * m, rows: n * 4, gh: n * 8, scratchRows: n * 4, scratchGh: n * 8,
        scratchCodes: n * m, histOff: m * 4, nBins: m * 4, cuts: m * maxBin * 4, cutPtr: (m + 1) * 4, mask: m,
      });
      try {
        if (fixed) {
          const x = new KernelBlocks(kern, { x: X.byteLength });
          try {
            x.set(kern, 'x', X);
            this.useCuts(kern, blocks, this.cuts);
            kern.tree_bin_rows(x.ptr.x, m, 0, 0, n, blocks.ptr.cuts, blocks.ptr.cutPtr, blocks.ptr.bins);
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

  grow(sample: Uint32Array, gh: Float32Array, allowed: Uint8Array, options: GrowOptions, rng: NumpyRandom): TreeArrays {
    const p = this.blocks.ptr;
    return this.blocks.within((kern) => {
      const ns = sample.length;
      u32At(kern, p.rows, ns).set(sample);
      const pairs = f32At(kern, p.gh, 2 * ns);
      let G = 0;
      let H = 0;
      for (let i = 0; i < ns; i++) {
        const r = sample[i];
        pairs[2 * i] = gh[2 * r];
        pairs[2 * i + 1] = gh[2 * r + 1];
        G += pairs[2 * i];
        H += pairs[2 * i + 1];
      }
      const hists: number[] = [];
      const newHist = () => {
        const at = kern.mem_alloc(this.histBytes);
        hists.push(at);
        new Uint8Array(kern.memory.buffer, at, this.histBytes).fill(0);
        return at;
      };
      const local = this.proposal.kind === 'node';
      try {
        if (this.proposal.kind === 'fixed') kern.tree_gather_rows(p.bins, this.m, p.rows, ns, p.codes);
        else if (!local) this.sketchAndBin(kern, 0, ns);
        this.nodes = [];
        const root = this.node(-1, 0, ns, G, H, newHist());
        if (!local) kern.tree_build_histogram(p.codes, this.m, p.gh, 0, ns, p.histOff, root.hist);
        let level = [root];
        let leaves = 1;
        for (let depth = 0; depth < options.maxDepth && level.length > 0; depth++) {
          const levelSet = sampleFeatures(allowed, options.colsampleBylevel, rng);
          const next: Node[] = [];
          for (const nd of level) {
            if (options.maxLeaves > 0 && leaves >= options.maxLeaves) break;
            if (local) {
              this.sketchAndBin(kern, nd.from, nd.to);
              kern.tree_build_histogram(p.codes, this.m, p.gh, nd.from, nd.to, p.histOff, nd.hist);
            }
            new Uint8Array(kern.memory.buffer, p.mask, this.m).set(sampleFeatures(levelSet, options.colsampleBynode, rng));
            const gain = kern.tree_best_split(nd.hist, this.m, p.histOff, p.nBins, p.mask, nd.G, nd.H, options.lambda, options.alpha, options.minChildWeight);
            if (!(gain > RT_EPS)) continue;
            const f = kern.tree_split_feature();
            const bin = kern.tree_split_bin();
            Object.assign(nd, { gain, feature: f, condition: this.condition(f, bin), defaultLeft: kern.tree_split_default_left() !== 0 });
            const GL = kern.tree_split_left_g();
            const HL = kern.tree_split_left_h();
            const nl = kern.tree_partition(p.codes, this.m, p.rows, p.gh, nd.from, nd.to, f, bin, this.cuts.nBins[f], nd.defaultLeft ? 1 : 0, p.scratchRows, p.scratchGh, p.scratchCodes);
            const mid = nd.from + nl;
            const smallLeft = nl <= nd.to - mid;
            const small = newHist();
            if (local) new Uint8Array(kern.memory.buffer, nd.hist, this.histBytes).fill(0); // rebuilt with the child's own cuts
            else {
              kern.tree_build_histogram(p.codes, this.m, p.gh, smallLeft ? nd.from : mid, smallLeft ? mid : nd.to, p.histOff, small);
              kern.tree_subtract_histogram(nd.hist, small, nd.hist, this.cuts.histPairs);
            }
            const left = this.node(nd.id, nd.from, mid, GL, HL, smallLeft ? small : nd.hist);
            const right = this.node(nd.id, mid, nd.to, nd.G - GL, nd.H - HL, smallLeft ? nd.hist : small);
            nd.left = left.id;
            nd.right = right.id;
            next.push(left, right);
            leaves++;
          }
          level = next;
        }
        const { tree, slot } = layoutTree(this.nodes, options);
        this.slot = slot;
        return tree;
      } finally {
        for (const at of hists) kern.mem_free(at);
      }
    });
  }

  addLeafValues(tree: TreeArrays, margin: Float32Array, nClass: number, cls: number): void {
    this.blocks.within((kern) => {
      const rows = u32At(kern, this.blocks.ptr.rows, this.n);
      for (const [index, k] of this.slot) {
        if (tree.left_children[k] >= 0) continue;
        const { from, to } = this.nodes[index];
        const v = tree.split_conditions[k];
        for (let i = from; i < to; i++) {
          const at = rows[i] * nClass + cls;
          margin[at] = Math.fround(margin[at] + v);
        }
      }
    });
  }

  dispose(): void {
    this.blocks.free();
  }

  /** Installs `cuts` in kernel memory (values, ptr, layout). */
  private useCuts(kern: KernelExports, blocks: KernelBlocks<Block>, cuts: Cuts): void {
    this.cuts = cuts;
    blocks.set(kern, 'cuts', cuts.values);
    blocks.set(kern, 'cutPtr', cuts.ptr);
    blocks.set(kern, 'histOff', cuts.histOff);
    blocks.set(kern, 'nBins', cuts.nBins);
  }

  /** Sketches the positions [from, to) (hessian-weighted), installs the cuts and re-bins them. */
  private sketchAndBin(kern: KernelExports, from: number, to: number): void {
    const { maxBin, eps } = this.proposal as { maxBin: number; eps: number };
    const p = this.blocks.ptr;
    const heap = new HeapScope(kern);
    try {
      const sketches = new ColumnSketches(kern, heap, this.m, Math.max(1, to - from), eps);
      sketches.push(p.x, p.rows + 4 * from, to - from, p.gh + 8 * from + 4, 2);
      const { values, ptr } = sketches.cuts(maxBin);
      this.useCuts(kern, this.blocks, layoutCuts(values, ptr));
    } finally {
      heap.dispose();
    }
    kern.tree_bin_rows(p.x, this.m, p.rows, from, to, p.cuts, p.cutPtr, p.codes);
  }

  /** The threshold of "bins ≤ bin go left": the next cut, or −FLT_MAX (bin −1: only missing rows go left). */
  private condition(f: number, bin: number): number {
    return bin < 0 ? -FLT_MAX : this.cuts.values[this.cuts.ptr[f] + bin];
  }

  private node(parent: number, from: number, to: number, G: number, H: number, hist: number): Node {
    const nd: Node = { id: this.nodes.length, parent, from, to, G, H, hist, gain: 0, feature: -1, condition: 0, defaultLeft: false, left: -1, right: -1 };
    this.nodes.push(nd);
    return nd;
  }
}
