/**
 * Histogram split search split by features across threads (`nThreads`, the notes' column-block
 * parallelism): shard 0 runs on the calling thread, the others each in a worker with a
 * WebAssembly instance of its own. Every shard holds all rows but only its features' codes: it
 * builds those histograms and proposes its best split per node; the best of the proposals wins
 * (ties: the lower feature, as one shard scanning all features would choose). The shard holding a
 * split's feature decides each row's side into shared memory, then every shard partitions by it
 * (all at once), so every shard keeps the same node order. A tree level costs two blocking
 * round trips; everything per row (rows, pairs, sides) goes through
 * SharedArrayBuffers, and the result equals one shard's bit for bit.
 *
 * Workers exist where a runtime registers a spawner (the Node entry, worker-threads.node.ts); the
 * calling thread waits for them with Atomics.wait, so `fit` stays synchronous.
 */
import type { TreeArrays } from '../boost/model.js';
import type { NumpyRandom } from '../random/numpy.js';
import { GroveArgumentError } from '../runtime/errors.js';
import { f32At } from '../runtime/heap.js';
import { withKernel } from '../runtime/kernel.js';
import type { GrowOptions } from './grown-tree.js';
import { layoutCuts } from './binning.js';
import { CANDIDATE, HistShard, type LevelNode, type Proposal, type Split, type SplitParams } from './hist-shard.js';

/** Per-row data the shards share: the tree's rows and pairs, and the sides a partition chose. */
export interface SharedRows {
  rows: Uint32Array;
  pairs: Float32Array;
  decisions: Uint8Array;
}

/** What a worker's shard is asked (shard-worker.ts answers). */
export type ShardRequest =
  | { op: 'init'; X: Float32Array; n: number; m: number; first: number; M: number; proposal: Proposal; shared: SharedRows }
  | { op: 'begin'; ns: number; all: boolean; level: Level; params: SplitParams }
  | { op: 'partition'; splits: Split[] }
  | { op: 'finish'; splits: Split[]; counts: Int32Array; level?: Level; params: SplitParams };

/** Nodes to evaluate, with their feature masks (nodes.length × all features bytes). */
export interface Level {
  nodes: LevelNode[];
  masks: Uint8Array;
}

/** A worker holding one shard: `send` returns at once, `receive` blocks for the next reply (and throws its error). */
export interface ShardLink {
  send(request: ShardRequest, transfer?: ArrayBuffer[]): void;
  receive(): unknown;
  close(): void;
}

/** Starts `count` shard workers; registered by runtimes that have blocking workers. */
export type ShardSpawner = (count: number) => ShardLink[];

let spawner: ShardSpawner | undefined;

const NO_REPLIES: readonly unknown[] = Object.freeze([]);

export function setShardSpawner(spawn: ShardSpawner): void {
  spawner = spawn;
}

export class FeatureShards {
  private readonly local: HistShard;
  private readonly links: ShardLink[] = [];
  private readonly shared?: SharedRows;

  /** Splits the M columns of `X` (n × M) into min(nThreads, M) contiguous ranges, one per shard. */
  constructor(X: Float32Array, n: number, private readonly M: number, proposal: Proposal, nThreads: number) {
    const k = Math.max(1, Math.min(nThreads, M));
    const bound = (i: number) => Math.round((i * M) / k);
    if (k > 1 && !spawner) {
      throw new GroveArgumentError('nThreads > 1 needs worker threads with a blocking wait (Node, Deno, Bun); this runtime has none: use nThreads: 1');
    }
    this.local = new HistShard(k === 1 ? X : columns(X, n, M, 0, bound(1)), n, bound(1), forFeatures(proposal, 0, bound(1)), 0);
    if (k === 1) return;
    try {
      this.shared = {
        rows: new Uint32Array(new SharedArrayBuffer(4 * n)),
        pairs: new Float32Array(new SharedArrayBuffer(8 * n)),
        decisions: new Uint8Array(new SharedArrayBuffer(n)),
      };
      this.links = spawner!(k - 1);
      this.links.forEach((link, i) => {
        const [c0, c1] = [bound(i + 1), bound(i + 2)];
        const part = columns(X, n, M, c0, c1);
        link.send({ op: 'init', X: part, n, m: c1 - c0, first: c0, M, proposal: forFeatures(proposal, c0, c1), shared: this.shared! }, [part.buffer as ArrayBuffer]);
      });
      this.receiveAll();
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /**
   * Starts a tree on rows `rows[0 .. ns)` (undefined: all rows), every row's (g, h) by row id at
   * kernel address `pairs`; returns the best splits (see evaluate) of the level `root(G, H)`
   * makes of the tree's totals.
   */
  begin(rows: Uint32Array | undefined, pairs: number, ns: number, root: (G: number, H: number) => Level, params: SplitParams): Float64Array {
    if (this.shared) {
      if (rows) this.shared.rows.set(rows.subarray(0, ns));
      const shared = this.shared;
      withKernel((kern) => shared.pairs.set(f32At(kern, pairs, shared.pairs.length)));
    }
    const level = root(...this.local.begin(rows, pairs, ns));
    this.sendAll({ op: 'begin', ns, all: !rows, level, params });
    return this.best(this.local.evaluate(level.nodes, level.masks, this.M, params));
  }

  /**
   * Partitions every split node and builds its children's histograms, then evaluates the level
   * `next(leftCounts)` returns (if any): the best split of each of its nodes over all shards,
   * CANDIDATE numbers per node (see hist-shard.ts). Among shards, those holding the split
   * features first record each row's side (in parallel, for the nodes each holds); then every
   * shard partitions by the sides, builds histograms and evaluates.
   */
  split(splits: Split[], params: SplitParams, next: (counts: Int32Array) => Level | undefined): Float64Array | undefined {
    this.sendAll({ op: 'partition', splits });
    const counts = this.local.partitionOwn(splits, this.shared?.decisions);
    for (const theirs of this.receiveAll() as Int32Array[]) theirs.forEach((c, i) => c >= 0 && (counts[i] = c));
    const level = next(counts);
    this.sendAll({ op: 'finish', splits, counts, level, params });
    this.local.finishSplits(splits, counts, level !== undefined, this.shared?.decisions);
    if (!level) {
      this.receiveAll();
      return undefined;
    }
    return this.best(this.local.evaluate(level.nodes, level.masks, this.M, params));
  }

  /** The workers' candidates merged into `mine`: the higher gain wins, ties stay with the lower feature. */
  private best(mine: Float64Array): Float64Array {
    for (const theirs of this.receiveAll() as Float64Array[]) {
      for (let at = 0; at < mine.length; at += CANDIDATE) if (theirs[at] > mine[at]) mine.set(theirs.subarray(at, at + CANDIDATE), at);
    }
    return mine;
  }

  /** Whether growTree can grow the trees: one shard (no workers) that can grow them whole. */
  get growsTrees(): boolean {
    return this.links.length === 0 && this.local.growsTrees;
  }

  /** The one shard's whole tree in the kernel (HistShard.growTree); only where growsTrees. */
  growTree(rows: Uint32Array | undefined, pairs: number, ns: number, allowed: Uint8Array, options: GrowOptions, rng: NumpyRandom): TreeArrays {
    return this.local.growTree(rows, pairs, ns, allowed, options, rng);
  }

  /** See HistShard.addTreeLeafValues. */
  addTreeLeafValues(margin: number, groups: number, cls: number): void {
    this.local.addTreeLeafValues(margin, groups, cls);
  }

  /** See HistShard.addLeafValues (the calling thread's shard holds the margins' instance). */
  addLeafValues(ranges: Int32Array, values: Float32Array, margin: number, groups: number, cls: number): void {
    this.local.addLeafValues(ranges, values, margin, groups, cls);
  }

  dispose(): void {
    for (const link of this.links) link.close();
    this.local.dispose();
  }

  private sendAll(request: ShardRequest): void {
    for (const link of this.links) link.send(request);
  }

  private receiveAll(): readonly unknown[] {
    // no shard to hear from: a constant, not [].map(), whose result V8 saw with two maps and so
    // deoptimised the grower it was inlined in, costing a second compile per fit
    return this.links.length === 0 ? NO_REPLIES : this.links.map((link) => link.receive());
  }
}

/** Columns [c0, c1) of row-major `X` (n × M) as their own row-major matrix. */
function columns(X: Float32Array, n: number, M: number, c0: number, c1: number): Float32Array {
  const w = c1 - c0;
  const out = new Float32Array(n * w);
  for (let r = 0, at = 0; r < n; r++) for (let c = r * M + c0; c < r * M + c1; c++) out[at++] = X[c];
  return out;
}

/** `proposal` for features [c0, c1): fixed cuts sliced to them; sketch settings as they are. */
function forFeatures(proposal: Proposal, c0: number, c1: number): Proposal {
  if (proposal.kind !== 'fixed') return proposal;
  const { values, ptr } = proposal.cuts;
  return { kind: 'fixed', cuts: layoutCuts(values.slice(ptr[c0], ptr[c1]), ptr.slice(c0, c1 + 1).map((p) => p - ptr[c0])) };
}
