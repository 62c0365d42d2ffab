/**
 * Grows one regression tree on gradient pairs by histogram split search, depth-wise as XGBoost's
 * `hist` and `approx` do: for every level, BuildHistogram → EvaluateSplits for all its nodes,
 * then ApplySplit (partition) for those that split. The kernel work happens in feature shards
 * (hist-shard.ts; one per thread, feature-shards.ts); this driver keeps the nodes, the column
 * sampling and the stopping rules, so every thread count grows the same tree.
 *
 * A node splits when its best loss change exceeds RT_EPS, both sides keep hessian ≥
 * `minChildWeight`, its depth < `maxDepth`, and (when `maxLeaves` > 0) the tree has fewer leaves
 * than that; then grown-tree.ts prunes by γ and lays the tree out. Column sampling: the caller's
 * per-tree set, then `colsampleBylevel` of it per level and `colsampleBynode` of that per node.
 */
import type { TreeArrays } from '../boost/model.js';
import type { NumpyRandom } from '../random/numpy.js';
import { FeatureShards, type Level } from './feature-shards.js';
import { RT_EPS, layoutTree, sampleFeatures, type GrowOptions, type GrownNode, type Grower } from './grown-tree.js';
import { CANDIDATE, type Proposal, type Split } from './hist-shard.js';

export type { Proposal } from './hist-shard.js';

interface Node extends GrownNode {
  id: number;
  from: number;
  to: number;
}

export class HistogramGrower implements Grower {
  private readonly shards: FeatureShards;
  /** The last tree's nodes as grown (each with its range of positions), and where each ended up. */
  private nodes: Node[] = [];
  private slot: Int32Array = new Int32Array(0);

  /** `X`: n × m row-major float32; `nThreads` shards share the features. */
  constructor(X: Float32Array, private readonly n: number, private readonly m: number, proposal: Proposal, nThreads = 1) {
    this.shards = new FeatureShards(X, n, m, proposal, nThreads);
  }

  grow(sample: Uint32Array, gh: number, allowed: Uint8Array, options: GrowOptions, rng: NumpyRandom): TreeArrays {
    const ns = sample.length;
    // one shard: the whole tree grows in the kernel, the same tree (hist-tree.ts)
    if (this.shards.growsTrees) return this.shards.growTree(ns < this.n ? sample : undefined, gh, ns, allowed, options, rng);
    this.nodes = [];
    let level: Node[] = [];
    const root = (G: number, H: number) => {
      level = [this.node(-1, 0, ns, G, H)];
      return this.masked(level, allowed, options, rng);
    };
    let best: Float64Array | undefined = this.shards.begin(ns < this.n ? sample : undefined, gh, ns, root, options);
    let leaves = 1;
    for (let depth = 0; best; depth++) {
      const splits: Split[] = [];
      const next: Node[] = [];
      for (let i = 0; i < level.length; i++) {
        if (options.maxLeaves > 0 && leaves >= options.maxLeaves) break;
        const at = i * CANDIDATE;
        const gain = best[at];
        if (!(gain > RT_EPS)) continue;
        const nd = level[i];
        const GL = best[at + 4];
        const HL = best[at + 5];
        nd.gain = gain;
        nd.feature = best[at + 1];
        nd.condition = best[at + 6];
        nd.defaultLeft = best[at + 3] !== 0;
        const left = this.node(nd.id, nd.from, nd.to, GL, HL);
        const right = this.node(nd.id, nd.from, nd.to, nd.G - GL, nd.H - HL);
        nd.left = left.id;
        nd.right = right.id;
        splits.push({ id: nd.id, from: nd.from, to: nd.to, feature: nd.feature, bin: best[at + 2], missing: best[at + 7], defaultLeft: nd.defaultLeft, left: left.id, right: right.id });
        next.push(left, right);
        leaves++;
      }
      if (splits.length === 0) break;
      best = this.shards.split(splits, options, (counts) => {
        splits.forEach((s, i) => {
          this.nodes[s.left].to = this.nodes[s.right].from = s.from + counts[i];
        });
        return depth + 1 < options.maxDepth ? this.masked(next, allowed, options, rng) : undefined;
      });
      level = next;
    }
    const { tree, slot } = layoutTree(this.nodes, options);
    this.slot = slot;
    return tree;
  }

  addLeafValues(tree: TreeArrays, margin: number, nClass: number, cls: number): void {
    if (this.shards.growsTrees) {
      this.shards.addTreeLeafValues(margin, nClass, cls);
      return;
    }
    // a laid-out leaf's rows are its grown node's range (a pruned node's lie within its ancestor's)
    let leaves = 0;
    for (let k = 0; k < tree.left_children.length; k++) if (tree.left_children[k] < 0) leaves++;
    const ranges = new Int32Array(2 * leaves);
    const values = new Float32Array(leaves);
    let j = 0;
    for (let index = 0; index < this.nodes.length; index++) {
      const k = this.slot[index];
      if (k < 0 || tree.left_children[k] >= 0) continue;
      ranges[2 * j] = this.nodes[index].from;
      ranges[2 * j + 1] = this.nodes[index].to;
      values[j++] = tree.split_conditions[k];
    }
    this.shards.addLeafValues(ranges, values, margin, nClass, cls);
  }

  dispose(): void {
    this.shards.dispose();
  }

  /** `nodes` with their feature masks: `colsampleBylevel` of `allowed`, then `colsampleBynode` of that per node. */
  private masked(nodes: Node[], allowed: Uint8Array, options: GrowOptions, rng: NumpyRandom): Level {
    const levelSet = sampleFeatures(allowed, options.colsampleBylevel, rng);
    const masks = new Uint8Array(nodes.length * this.m);
    nodes.forEach((_, i) => masks.set(sampleFeatures(levelSet, options.colsampleBynode, rng), i * this.m));
    return { nodes, masks };
  }

  private node(parent: number, from: number, to: number, G: number, H: number): Node {
    const nd: Node = { id: this.nodes.length, parent, from, to, G, H, gain: 0, feature: -1, condition: 0, defaultLeft: false, left: -1, right: -1 };
    this.nodes.push(nd);
    return nd;
  }
}
