/**
 * Item-based k-nearest-neighbour recommendation (SPEC 3; ../shared/data/movielens/
 * EVAL-PROTOCOL.md): cosine between item columns, the diagonal dropped, the K largest of each
 * item's row kept (S_K), and R(u, s) = Σ_{t ∈ I_u} x_ut · S_K[t, s] over the items the user has
 * not seen, only positive scores. Kernels: assembly/cf/knn.ts. The fitted S_K lives in JS typed
 * arrays; each scoring call copies what it needs into kernel memory and frees it.
 */
import { GroveArgumentError, GroveNotFittedError } from '../runtime/errors.js';
import { HeapScope, f32At, u32At } from '../runtime/heap.js';
import { withKernel, type KernelExports } from '../runtime/kernel.js';
import type { Csr, Id, Interactions } from './interactions.js';

export interface ItemKnnOptions {
  /** Neighbours kept per item. Default 20. */
  k?: number;
}

export interface Recommendation {
  item: Id;
  score: number;
}

/** Rows of the kept neighbours: row r is `index/value[r·k .. r·k + length[r])`, best first. */
export interface TopK {
  k: number;
  index: Int32Array;
  value: Float32Array;
  length: Int32Array;
}

/** Users scored per kernel call, so the engine can swap in optimised code between calls. */
const BATCH = 256;

export class ItemKnnRecommender {
  readonly k: number;
  private fitted?: { data: Interactions; sim: TopK };

  constructor(options: ItemKnnOptions = {}) {
    for (const key of Object.keys(options)) {
      if (key !== 'k') throw new GroveArgumentError(`ItemKnnRecommender: unknown option "${key}" (known: k)`);
    }
    this.k = options.k ?? 20;
    if (!Number.isInteger(this.k) || this.k < 1) throw new GroveArgumentError(`ItemKnnRecommender: k must be an integer ≥ 1. Got ${String(options.k)}`);
  }

  /** Computes S_K from the interactions (forgets any earlier fit); returns `this`. */
  fit(data: Interactions): this {
    if (data.nnz === 0) throw new GroveArgumentError('ItemKnnRecommender.fit: the interactions are empty');
    const users: Csr = { indptr: data.indptr, indices: data.indices, values: data.values };
    this.fitted = { data, sim: cosineTopK(data.byItem, users, data.nItems, Math.min(this.k, Math.max(1, data.nItems - 1))) };
    return this;
  }

  /** The kept neighbours of every item (dense item indices; see `Interactions.itemId`). */
  get similarities(): TopK {
    return this.state().sim;
  }

  /** The `n` items most similar to `item`. */
  similarItems(item: Id, n = 10): Recommendation[] {
    const { data, sim } = this.state();
    const t = data.itemIndex(item);
    if (t < 0) throw new GroveArgumentError(`ItemKnnRecommender.similarItems: unknown item ${JSON.stringify(item)}`);
    const out: Recommendation[] = [];
    for (let r = 0; r < Math.min(n, sim.length[t]); r++) out.push({ item: data.itemId(sim.index[t * sim.k + r]), score: sim.value[t * sim.k + r] });
    return out;
  }

  /** The top `n` unseen items of `user`, best first (fewer when fewer score above 0). */
  recommend(user: Id, n = 10): Recommendation[] {
    const { data } = this.state();
    const u = data.userIndex(user);
    if (u < 0) throw new GroveArgumentError(`ItemKnnRecommender.recommend: unknown user ${JSON.stringify(user)}`);
    return this.recommendAll(n, [u])[0];
  }

  /**
   * Top `n` for each user (dense user indices `users`, default all), in that order, as
   * `{ item, score }` lists with the original item ids.
   */
  recommendAll(n = 10, users?: ArrayLike<number>): Recommendation[][] {
    const { data, sim } = this.state();
    if (!Number.isInteger(n) || n < 1) throw new GroveArgumentError(`ItemKnnRecommender.recommendAll: n must be an integer ≥ 1. Got ${String(n)}`);
    const list = users ?? Array.from({ length: data.nUsers }, (_, u) => u);
    const scored = scoreTopN(data, sim, n, list);
    return Array.from(list, (_, i) => {
      const recs: Recommendation[] = [];
      for (let r = 0; r < scored.length[i]; r++) recs.push({ item: data.itemId(scored.index[i * n + r]), score: scored.value[i * n + r] });
      return recs;
    });
  }

  private state(): { data: Interactions; sim: TopK } {
    if (!this.fitted) throw new GroveNotFittedError('ItemKnnRecommender: call fit() first');
    return this.fitted;
  }
}

const padded = (n: number) => (n + 3) & ~3;

/** Cosine top-K between the rows of `entities` through its transpose (kernel cf_cosine_topk). */
export function cosineTopK(entities: Csr, transpose: Csr, nEntities: number, k: number): TopK {
  return withKernel((kern) => {
    const heap = new HeapScope(kern);
    try {
      const e = copyCsr(heap, entities);
      const t = copyCsr(heap, transpose);
      const invNorm = zeroed(kern, heap, padded(nEntities) * 4);
      kern.cf_inverse_norms(e.indptr, e.values, nEntities, invNorm);
      const acc = zeroed(kern, heap, padded(nEntities) * 4);
      const scratch = heap.alloc(8 * k);
      const outIdx = heap.alloc(nEntities * k * 4);
      const outSim = heap.alloc(nEntities * k * 4);
      const outLen = heap.alloc(nEntities * 4);
      for (let from = 0; from < nEntities; from += BATCH) {
        const to = Math.min(nEntities, from + BATCH);
        kern.cf_cosine_topk(e.indptr, e.indices, e.values, t.indptr, t.indices, t.values, nEntities, invNorm, k, from, to, acc, scratch, outIdx, outSim, outLen);
      }
      return {
        k,
        index: new Int32Array(u32At(kern, outIdx, nEntities * k).slice().buffer),
        value: f32At(kern, outSim, nEntities * k).slice(),
        length: new Int32Array(u32At(kern, outLen, nEntities).slice().buffer),
      };
    } finally {
      heap.dispose();
    }
  });
}

function scoreTopN(data: Interactions, sim: TopK, n: number, users: ArrayLike<number>): { index: Int32Array; value: Float32Array; length: Int32Array } {
  return withKernel((kern) => {
    const heap = new HeapScope(kern);
    try {
      // the selected users' rows, contiguous, so one batch is a range
      const ptr = new Uint32Array(users.length + 1);
      for (let i = 0; i < users.length; i++) {
        const u = users[i];
        if (!(u >= 0 && u < data.nUsers)) throw new GroveArgumentError(`recommendAll: user index ${u} out of range [0, ${data.nUsers})`);
        ptr[i + 1] = ptr[i] + data.indptr[u + 1] - data.indptr[u];
      }
      const idx = new Uint32Array(ptr[users.length]);
      const val = new Float32Array(ptr[users.length]);
      for (let i = 0; i < users.length; i++) {
        const u = users[i];
        idx.set(data.indices.subarray(data.indptr[u], data.indptr[u + 1]), ptr[i]);
        val.set(data.values.subarray(data.indptr[u], data.indptr[u + 1]), ptr[i]);
      }
      const rows = copyCsr(heap, { indptr: ptr, indices: idx, values: val });
      const simIdx = heap.copyIn(sim.index);
      const simVal = heap.copyIn(sim.value);
      const simLen = heap.copyIn(sim.length);
      const width = padded(data.nItems);
      const ones = heap.alloc(width * 4);
      f32At(kern, ones, width).fill(1);
      const acc = zeroed(kern, heap, width * 4);
      const scratch = heap.alloc(8 * n);
      const recIdx = heap.alloc(users.length * n * 4);
      const recScore = heap.alloc(users.length * n * 4);
      const recLen = heap.alloc(users.length * 4);
      for (let from = 0; from < users.length; from += BATCH) {
        const to = Math.min(users.length, from + BATCH);
        kern.cf_item_scores_topn(rows.indptr, rows.indices, rows.values, data.nItems, simIdx, simVal, simLen, sim.k, n, from, to, ones, acc, scratch, recIdx, recScore, recLen);
      }
      return {
        index: new Int32Array(u32At(kern, recIdx, users.length * n).slice().buffer),
        value: f32At(kern, recScore, users.length * n).slice(),
        length: new Int32Array(u32At(kern, recLen, users.length).slice().buffer),
      };
    } finally {
      heap.dispose();
    }
  });
}

function copyCsr(heap: HeapScope, m: Csr): { indptr: number; indices: number; values: number } {
  return { indptr: heap.copyIn(m.indptr), indices: heap.copyIn(m.indices), values: heap.copyIn(m.values) };
}

function zeroed(kern: KernelExports, heap: HeapScope, bytes: number): number {
  const ptr = heap.alloc(bytes);
  new Uint8Array(kern.memory.buffer, ptr, bytes).fill(0);
  return ptr;
}
