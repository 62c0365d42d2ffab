/**
 * What item- and user-based KNN share (kernels in assembly/cf/knn.ts): cosine top-K between the
 * rows of a CSR matrix, batch top-N scoring, and the recommender shell (options, fitted state,
 * id mapping). The fitted neighbour lists live in JS typed arrays; each kernel call copies what
 * it needs into kernel memory and frees it.
 */
import { GroveArgumentError, GroveNotFittedError } from '../runtime/errors.js';
import { HeapScope, f32At, u32At } from '../runtime/heap.js';
import { withKernel, type KernelExports } from '../runtime/kernel.js';
import type { Csr, Id, Interactions } from './interactions.js';

export interface KnnOptions {
  /** Neighbours kept per row. Default 20. */
  k?: number;
}

export interface Recommendation {
  item: Id;
  score: number;
}

/** Kept neighbours: row r is `index/value[r·k .. r·k + length[r])`, best first (dense indices). */
export interface TopK {
  k: number;
  index: Int32Array;
  value: Float32Array;
  length: Int32Array;
}

/** Rows per kernel call, so the engine can swap in optimised code between calls. */
const BATCH = 256;

export abstract class KnnRecommender {
  readonly k: number;
  private fitted?: { data: Interactions; sim: TopK };

  constructor(protected readonly name: string, options: KnnOptions) {
    if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${name}: options must be an object`);
    for (const key of Object.keys(options)) {
      if (key !== 'k') throw new GroveArgumentError(`${name}: unknown option "${key}" (known: k)`);
    }
    this.k = options.k ?? 20;
    if (!Number.isInteger(this.k) || this.k < 1) throw new GroveArgumentError(`${name}: k must be an integer ≥ 1. Got ${String(options.k)}`);
  }

  /** Computes the neighbour lists (forgetting any earlier fit); returns `this`. */
  fit(data: Interactions): this {
    if (data.nnz === 0) throw new GroveArgumentError(`${this.name}.fit: the interactions are empty`);
    this.fitted = { data, sim: this.neighbours(data) };
    return this;
  }

  /** The kept neighbours of every row (dense indices). */
  get similarities(): TopK {
    return this.state().sim;
  }

  /** The top `n` unseen items of `user`, best first (fewer when fewer score above 0). */
  recommend(user: Id, n = 10): Recommendation[] {
    const u = this.state().data.userIndex(user);
    if (u < 0) throw new GroveArgumentError(`${this.name}.recommend: unknown user ${JSON.stringify(user)}`);
    return this.recommendAll(n, [u])[0];
  }

  /** Top `n` for each user (dense user indices, default all), in that order. */
  recommendAll(n = 10, users?: ArrayLike<number>): Recommendation[][] {
    const { data, sim } = this.state();
    if (!Number.isInteger(n) || n < 1) throw new GroveArgumentError(`${this.name}.recommendAll: n must be an integer ≥ 1. Got ${String(n)}`);
    const list = Int32Array.from(users ?? Array.from({ length: data.nUsers }, (_, u) => u));
    for (const u of list) {
      if (!(u >= 0 && u < data.nUsers)) throw new GroveArgumentError(`${this.name}.recommendAll: user index ${u} out of range [0, ${data.nUsers})`);
    }
    const top = this.score(data, sim, n, list);
    return Array.from(list, (_, i) =>
      Array.from({ length: top.length[i] }, (_, r) => ({ item: data.itemId(top.index[i * n + r]), score: top.value[i * n + r] })),
    );
  }

  protected state(): { data: Interactions; sim: TopK } {
    if (!this.fitted) throw new GroveNotFittedError(`${this.name}: call fit() first`);
    return this.fitted;
  }

  protected abstract neighbours(data: Interactions): TopK;
  protected abstract score(data: Interactions, sim: TopK, n: number, users: Int32Array): TopK;
}

/** The user-major CSR of the interactions. */
export function byUser(data: Interactions): Csr {
  return { indptr: data.indptr, indices: data.indices, values: data.values };
}

const padded = (n: number) => (n + 3) & ~3;

/** Cosine top-K between the rows of `rows` through its transpose (kernel cf_cosine_topk). */
export function cosineTopK(rows: Csr, transpose: Csr, nRows: number, k: number): TopK {
  k = Math.min(k, Math.max(1, nRows - 1));
  return withKernel((kern) => {
    const heap = new HeapScope(kern);
    try {
      const e = copyCsr(heap, rows);
      const t = copyCsr(heap, transpose);
      const invNorm = zeroed(kern, heap, padded(nRows) * 4);
      kern.cf_inverse_norms(e.indptr, e.values, nRows, invNorm);
      const acc = zeroed(kern, heap, padded(nRows) * 4);
      const out = allocTopK(heap, nRows, k);
      for (let from = 0; from < nRows; from += BATCH) {
        const to = Math.min(nRows, from + BATCH);
        kern.cf_cosine_topk(e.indptr, e.indices, e.values, t.indptr, t.indices, t.values, nRows, invNorm, k, from, to, acc, out.heap, out.index, out.value, out.length);
      }
      return copyTopK(kern, out, nRows, k);
    } finally {
      heap.dispose();
    }
  });
}

export type Scorer = 'item' | 'user';

/**
 * Top-N unseen items for `users` (dense indices): item-based from the items' neighbour lists,
 * or user-based from the users' (kernel cf_scores_topn).
 */
export function scoreTopN(scorer: Scorer, data: Interactions, sim: TopK, n: number, users: Int32Array): TopK {
  return withKernel((kern) => {
    const heap = new HeapScope(kern);
    try {
      const m = copyCsr(heap, byUser(data));
      const simIdx = heap.copyIn(sim.index);
      const simVal = heap.copyIn(sim.value);
      const simLen = heap.copyIn(sim.length);
      const list = heap.copyIn(users);
      const width = padded(data.nItems);
      const ones = heap.alloc(width * 4);
      f32At(kern, ones, width).fill(1);
      const acc = zeroed(kern, heap, width * 4);
      const out = allocTopK(heap, users.length, n);
      const mode = scorer === 'item' ? 0 : 1;
      for (let from = 0; from < users.length; from += BATCH) {
        const to = Math.min(users.length, from + BATCH);
        kern.cf_scores_topn(mode, m.indptr, m.indices, m.values, data.nItems, simIdx, simVal, simLen, sim.k, n, list, from, to, ones, acc, out.heap, out.index, out.value, out.length);
      }
      return copyTopK(kern, out, users.length, n);
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

function allocTopK(heap: HeapScope, rows: number, k: number) {
  return { heap: heap.alloc(8 * k), index: heap.alloc(rows * k * 4), value: heap.alloc(rows * k * 4), length: heap.alloc(rows * 4) };
}

function copyTopK(kern: KernelExports, out: ReturnType<typeof allocTopK>, rows: number, k: number): TopK {
  return {
    k,
    index: new Int32Array(u32At(kern, out.index, rows * k).slice().buffer),
    value: f32At(kern, out.value, rows * k).slice(),
    length: new Int32Array(u32At(kern, out.length, rows).slice().buffer),
  };
}
