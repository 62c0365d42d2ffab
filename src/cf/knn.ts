/**
 * What item- and user-based KNN share (kernels in assembly/cf/knn.ts): top-K similarity between
 * the rows of a CSR matrix, batch top-N scoring, and the recommender shell (options, fitted
 * state, id mapping, recommend options, explanations).
 *
 * Similarities (`similarity` option), between the compared rows (items for item-KNN, users for
 * user-KNN):
 * - `cosine` (default): x·y / (‖x‖‖y‖) over the stored values;
 * - `pearson`: cosine after centring each row on its own mean over its stored entries (absent
 *   entries count as that mean — the usual sparse form; not re-centred per co-rated pair);
 * - `adjustedCosine`: cosine after centring each entry on the mean of its *other* side (for
 *   item-KNN the user's mean rating, as in Sarwar et al. 2001);
 * - `jaccard`: |X ∩ Y| / |X ∪ Y| over which entries are stored, values ignored.
 * `shrinkage` λ multiplies a similarity by c / (c + λ), c the number of co-occurring entries, so
 * pairs supported by few users (or items) count less. Only positive similarities are kept; the
 * K largest per row, equal values ordered by the smaller index.
 *
 * The fitted matrix and neighbour lists stay in kernel memory between calls (`dispose()` frees
 * them; otherwise they are freed when the model is garbage-collected).
 */
import { GroveArgumentError, GroveNotFittedError } from '../runtime/errors.js';
import { HeapScope, f32At, u32At } from '../runtime/heap.js';
import { withKernel, type KernelExports } from '../runtime/kernel.js';
import { Resident } from '../runtime/resident.js';
import type { Csr, Id, Interactions } from './interactions.js';

export type Similarity = 'cosine' | 'adjustedCosine' | 'pearson' | 'jaccard';
export const SIMILARITIES: readonly Similarity[] = ['cosine', 'adjustedCosine', 'pearson', 'jaccard'];

export interface KnnOptions {
  /** Neighbours kept per row. Default 20. */
  k?: number;
  /** Default `cosine`. */
  similarity?: Similarity;
  /** λ ≥ 0 in sim · c / (c + λ). Default 0 (none). */
  shrinkage?: number;
}

export interface RecommendOptions {
  /** Leave out the items the user already has. Default true. */
  excludeSeen?: boolean;
  /** Items never to recommend (ids unknown to the model are ignored). */
  filterItems?: Iterable<Id>;
  /** Recommend only among these items (ids unknown to the model are ignored). */
  candidates?: Iterable<Id>;
}

export interface Recommendation {
  item: Id;
  score: number;
}

/** One term of a score: `contribution = similarity · value`. */
export interface Contribution {
  /** Item-KNN: an item the user has; user-KNN: a neighbour of the user who has the item. */
  neighbour: Id;
  similarity: number;
  /** The neighbour's stored value: the user's score of that item, or the neighbour's of the item. */
  value: number;
  contribution: number;
}

export interface Explanation {
  /** The sum of the contributions (0 when none). */
  score: number;
  /** Largest first. */
  contributions: Contribution[];
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

export interface Fitted {
  data: Interactions;
  sim: TopK;
  state: Resident<'indptr' | 'indices' | 'values' | 'simIdx' | 'simVal' | 'simLen'>;
}

export abstract class KnnRecommender {
  readonly k: number;
  readonly similarity: Similarity;
  readonly shrinkage: number;
  private fitted?: Fitted;

  constructor(protected readonly name: string, options: KnnOptions) {
    if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${name}: options must be an object`);
    for (const key of Object.keys(options)) {
      if (!['k', 'similarity', 'shrinkage'].includes(key)) throw new GroveArgumentError(`${name}: unknown option "${key}" (known: k, similarity, shrinkage)`);
    }
    this.k = options.k ?? 20;
    if (!Number.isInteger(this.k) || this.k < 1) throw new GroveArgumentError(`${name}: k must be an integer ≥ 1. Got ${String(options.k)}`);
    this.similarity = options.similarity ?? 'cosine';
    if (!SIMILARITIES.includes(this.similarity)) throw new GroveArgumentError(`${name}: similarity must be one of ${SIMILARITIES.join(', ')}. Got ${String(options.similarity)}`);
    this.shrinkage = options.shrinkage ?? 0;
    if (typeof this.shrinkage !== 'number' || !(this.shrinkage >= 0) || !Number.isFinite(this.shrinkage)) {
      throw new GroveArgumentError(`${name}: shrinkage must be a finite number ≥ 0. Got ${String(options.shrinkage)}`);
    }
  }

  /** Computes the neighbour lists (forgetting any earlier fit); returns `this`. */
  fit(data: Interactions): this {
    if (data.nnz === 0) throw new GroveArgumentError(`${this.name}.fit: the interactions are empty`);
    this.dispose();
    const sim = this.neighbours(data);
    const arrays = { indptr: data.indptr, indices: data.indices, values: data.values, simIdx: sim.index, simVal: sim.value, simLen: sim.length };
    this.fitted = { data, sim, state: new Resident(arrays, this) };
    return this;
  }

  /** Frees the fitted state's kernel memory; the model stays usable (it is copied in again). */
  dispose(): void {
    this.fitted?.state.dispose();
  }

  /** The kept neighbours of every row (dense indices). */
  get similarities(): TopK {
    return this.state().sim;
  }

  /** The top `n` items for `user`, best first (fewer when fewer score above 0). */
  recommend(user: Id, n = 10, options: RecommendOptions = {}): Recommendation[] {
    return this.recommendAll(n, [this.userIndexOf(user, 'recommend')], options)[0];
  }

  /** Top `n` for each user (dense user indices, default all), in that order. */
  recommendAll(n = 10, users?: ArrayLike<number>, options: RecommendOptions = {}): Recommendation[][] {
    const fitted = this.state();
    const { data } = fitted;
    checkN(n, `${this.name}.recommendAll`);
    const list = Int32Array.from(users ?? Array.from({ length: data.nUsers }, (_, u) => u));
    for (const u of list) {
      if (!(u >= 0 && u < data.nUsers)) throw new GroveArgumentError(`${this.name}.recommendAll: user index ${u} out of range [0, ${data.nUsers})`);
    }
    const { allowed, keepSeen } = itemMask(data, options, `${this.name}.recommendAll`);
    const top = scoreTopN(this.scorer, fitted, n, list, allowed, keepSeen);
    return Array.from(list, (_, i) =>
      Array.from({ length: top.length[i] }, (_, r) => ({ item: data.itemId(top.index[i * n + r]), score: top.value[i * n + r] })),
    );
  }

  /** Which neighbours make up `user`'s score for `item`, and how much each adds. */
  explain(user: Id, item: Id): Explanation {
    const s = this.state().data.itemIndex(item);
    if (s < 0) throw new GroveArgumentError(`${this.name}.explain: unknown item ${JSON.stringify(item)}`);
    const contributions = this.contributions(user, s).sort((a, b) => b.contribution - a.contribution);
    return { score: contributions.reduce((sum, c) => sum + c.contribution, 0), contributions };
  }

  protected state(): Fitted {
    if (!this.fitted) throw new GroveNotFittedError(`${this.name}: call fit() first`);
    return this.fitted;
  }

  protected userIndexOf(user: Id, fn: string): number {
    const u = this.state().data.userIndex(user);
    if (u < 0) throw new GroveArgumentError(`${this.name}.${fn}: unknown user ${JSON.stringify(user)}`);
    return u;
  }

  /** Neighbour row `r` of the kept lists as (index, similarity) pairs. */
  protected kept(r: number): Array<[number, number]> {
    const { sim } = this.state();
    return Array.from({ length: sim.length[r] }, (_, i) => [sim.index[r * sim.k + i], sim.value[r * sim.k + i]]);
  }

  protected abstract readonly scorer: Scorer;
  protected abstract neighbours(data: Interactions): TopK;
  protected abstract contributions(user: Id, item: number): Contribution[];
}

export function checkN(n: number, fn: string): void {
  if (!Number.isInteger(n) || n < 1) throw new GroveArgumentError(`${fn}: n must be an integer ≥ 1. Got ${String(n)}`);
}

/** The user-major CSR of the interactions. */
export function byUser(data: Interactions): Csr {
  return { indptr: data.indptr, indices: data.indices, values: data.values };
}

const padded = (n: number) => (n + 3) & ~3;

/** Per item 1 (may be recommended) or 0, padded for the kernel; and whether seen items stay. */
export function itemMask(data: Pick<Interactions, 'nItems' | 'itemIndex'>, options: RecommendOptions, fn: string): { allowed: Float32Array; keepSeen: boolean } {
  if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${fn}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!['excludeSeen', 'filterItems', 'candidates'].includes(key)) throw new GroveArgumentError(`${fn}: unknown option "${key}" (known: excludeSeen, filterItems, candidates)`);
  }
  const { excludeSeen = true, filterItems, candidates } = options;
  if (typeof excludeSeen !== 'boolean') throw new GroveArgumentError(`${fn}: excludeSeen must be a boolean. Got ${String(excludeSeen)}`);
  const allowed = new Float32Array(padded(data.nItems));
  const ids = (list: Iterable<Id> | undefined, name: string): Id[] | undefined => {
    if (list === undefined) return undefined;
    if (list == null || typeof (list as Iterable<Id>)[Symbol.iterator] !== 'function' || typeof list === 'string') throw new GroveArgumentError(`${fn}: ${name} must be an iterable of item ids`);
    return [...list];
  };
  const only = ids(candidates, 'candidates');
  if (only) for (const id of only) { const i = data.itemIndex(id); if (i >= 0) allowed[i] = 1; }
  else allowed.fill(1, 0, data.nItems);
  for (const id of ids(filterItems, 'filterItems') ?? []) { const i = data.itemIndex(id); if (i >= 0) allowed[i] = 0; }
  return { allowed, keepSeen: !excludeSeen };
}

const KIND = { cosine: 0, jaccard: 1 } as const;

/** The top-K neighbours of every row of `rows` (`nRows` rows), through its transpose. */
export function similarityTopK(rows: Csr, transpose: Csr, nRows: number, k: number, similarity: Similarity, shrinkage: number): TopK {
  k = Math.min(k, Math.max(1, nRows - 1));
  const { e, t } = prepareValues(rows, transpose, similarity);
  return withKernel((kern) => {
    const heap = new HeapScope(kern);
    try {
      const ep = copyCsr(heap, e);
      const tp = copyCsr(heap, t);
      const scale = zeroed(kern, heap, padded(nRows) * 4);
      if (similarity === 'jaccard') {
        const counts = f32At(kern, scale, nRows);
        for (let r = 0; r < nRows; r++) counts[r] = e.indptr[r + 1] - e.indptr[r];
      } else {
        kern.cf_inverse_norms(ep.indptr, ep.values, nRows, scale);
      }
      const acc = zeroed(kern, heap, padded(nRows) * 4);
      const cnt = shrinkage > 0 && similarity !== 'jaccard' ? zeroed(kern, heap, padded(nRows) * 4) : 0;
      const kind = similarity === 'jaccard' ? KIND.jaccard : KIND.cosine;
      const out = allocTopK(heap, nRows, k);
      for (let from = 0; from < nRows; from += BATCH) {
        const to = Math.min(nRows, from + BATCH);
        kern.cf_similarity_topk(kind, ep.indptr, ep.indices, ep.values, tp.indptr, tp.indices, tp.values, nRows, scale, shrinkage, k, from, to, acc, cnt, out.heap, out.index, out.value, out.length);
      }
      return copyTopK(kern, out, nRows, k);
    } finally {
      heap.dispose();
    }
  });
}

/** The values the kernel compares: centred for pearson / adjustedCosine, 1 for jaccard. */
function prepareValues(e: Csr, t: Csr, similarity: Similarity): { e: Csr; t: Csr } {
  if (similarity === 'cosine') return { e, t };
  if (similarity === 'jaccard') {
    const ones = new Float32Array(e.values.length).fill(1);
    return { e: { ...e, values: ones }, t: { ...t, values: ones } };
  }
  // pearson centres on the compared rows' means, adjustedCosine on the other side's
  const pearson = similarity === 'pearson';
  const mean = rowMeans(pearson ? e : t);
  return { e: centre(e, mean, pearson ? 'row' : 'column'), t: centre(t, mean, pearson ? 'column' : 'row') };
}

function rowMeans(m: Csr): Float64Array {
  const nRows = m.indptr.length - 1;
  const mean = new Float64Array(nRows);
  for (let r = 0; r < nRows; r++) {
    let sum = 0;
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) sum += m.values[p];
    mean[r] = m.indptr[r + 1] > m.indptr[r] ? sum / (m.indptr[r + 1] - m.indptr[r]) : 0;
  }
  return mean;
}

/** `m` with `mean[row]` (or `mean[column]`) subtracted from each entry. */
function centre(m: Csr, mean: Float64Array, by: 'row' | 'column'): Csr {
  const values = new Float32Array(m.values.length);
  for (let r = 0; r + 1 < m.indptr.length; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) values[p] = m.values[p] - mean[by === 'row' ? r : m.indices[p]];
  }
  return { indptr: m.indptr, indices: m.indices, values };
}

export type Scorer = 'item' | 'user';

/**
 * Top-N items for `users` (dense indices): item-based from the items' neighbour lists, or
 * user-based from the users' (kernel cf_scores_topn).
 */
function scoreTopN(scorer: Scorer, fitted: Fitted, n: number, users: Int32Array, allowed: Float32Array, keepSeen: boolean): TopK {
  const { data, sim, state } = fitted;
  return withKernel((kern) => {
    const heap = new HeapScope(kern);
    try {
      const m = state.in(kern);
      const list = heap.copyIn(users);
      const mask = heap.copyIn(allowed);
      const acc = zeroed(kern, heap, padded(data.nItems) * 4);
      const out = allocTopK(heap, users.length, n);
      const mode = scorer === 'item' ? 0 : 1;
      for (let from = 0; from < users.length; from += BATCH) {
        const to = Math.min(users.length, from + BATCH);
        kern.cf_scores_topn(mode, m.indptr, m.indices, m.values, data.nItems, m.simIdx, m.simVal, m.simLen, sim.k, n, list, from, to, mask, keepSeen ? 1 : 0, acc, out.heap, out.index, out.value, out.length);
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
