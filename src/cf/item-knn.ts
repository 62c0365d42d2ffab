/**
 * Item-based k-nearest-neighbour recommendation (SPEC 3; ../shared/data/movielens/
 * EVAL-PROTOCOL.md): similarity between item columns (cosine by default, see knn.ts), the
 * diagonal dropped, the K largest of each item's row kept (S_K), and
 * R(u, s) = Σ_{t ∈ I_u} x_ut · S_K[t, s], only positive scores.
 *
 * `foldIn(user, answers)` gives a user (new, or known with extra answers) a history without
 * refitting: the item neighbour lists do not depend on that user, so the next `recommend` scores
 * the merged history at once (same rule as the interactions: a repeated item keeps the higher
 * score). Folded-in histories are scored here in JS, in the kernel's f32 arithmetic and order,
 * so they rank exactly as a fitted row would.
 */
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import { weight, type Id, type Interactions } from './interactions.js';
import {
  KnnRecommender, byUser, checkN, itemMask, similarityTopK,
  type Contribution, type KnnOptions, type Recommendation, type RecommendOptions, type Scorer, type TopK,
} from './knn.js';

export type ItemKnnOptions = KnnOptions;

/** A user's items (dense indices, ascending) and stored values. */
interface History {
  items: Uint32Array;
  values: Float32Array;
}

export class ItemKnnRecommender extends KnnRecommender {
  protected readonly scorer: Scorer = 'item';
  private folded = new Map<Id, History>();

  constructor(options: ItemKnnOptions = {}) {
    super('ItemKnnRecommender', options);
  }

  override fit(data: Interactions): this {
    super.fit(data);
    this.folded = new Map();
    return this;
  }

  /** The `n` items most similar to `item`. */
  similarItems(item: Id, n = 10): Recommendation[] {
    const { data } = this.state();
    const t = data.itemIndex(item);
    if (t < 0) throw new GroveArgumentError(`ItemKnnRecommender.similarItems: unknown item ${JSON.stringify(item)}`);
    return this.kept(t).slice(0, n).map(([s, v]) => ({ item: data.itemId(s), score: v }));
  }

  /** Merges `answers` into `user`'s history (a new user is created); returns `this`. */
  foldIn(user: Id, answers: ReadonlyArray<{ item: Id; score: number }>): this {
    const { data } = this.state();
    const fn = 'ItemKnnRecommender.foldIn';
    if (typeof user === 'number' ? !Number.isFinite(user) : typeof user !== 'string') throw new GroveArgumentError(`${fn}: user ids are strings or finite numbers. Got ${String(user)}`);
    if (!Array.isArray(answers)) throw new GroveArgumentError(`${fn}: answers must be an array of { item, score }`);
    const merged = new Map<number, number>();
    const { items, values } = this.history(user) ?? { items: new Uint32Array(0), values: new Float32Array(0) };
    items.forEach((t, p) => merged.set(t, values[p]));
    answers.forEach((a, r) => {
      const t = a == null ? -1 : data.itemIndex(a.item);
      if (t < 0) throw new GroveArgumentError(`${fn}: answer ${r} names unknown item ${JSON.stringify(a?.item)}`);
      if (typeof a.score !== 'number' || !Number.isFinite(a.score)) throw new GroveDataError(`${fn}: answer ${r} has score ${String(a.score)}; scores must be finite numbers`);
      if (data.weighting === 'log1p' && a.score < 0) throw new GroveDataError(`${fn}: answer ${r} has score ${a.score}; log1p weighting needs scores ≥ 0`);
      const v = Math.fround(weight(a.score, data.weighting));
      if (!(merged.get(t)! >= v)) merged.set(t, v);
    });
    const sorted = Uint32Array.from(merged.keys()).sort();
    this.folded.set(user, { items: sorted, values: Float32Array.from(sorted, (t) => merged.get(t)!) });
    return this;
  }

  override recommend(user: Id, n = 10, options: RecommendOptions = {}): Recommendation[] {
    const history = this.folded.get(user);
    if (!history) return super.recommend(user, n, options);
    const { data, sim } = this.state();
    checkN(n, 'ItemKnnRecommender.recommend');
    const { allowed, keepSeen } = itemMask(data, options, 'ItemKnnRecommender.recommend');
    const scores = new Float32Array(data.nItems);
    history.items.forEach((t, p) => {
      const x = history.values[p];
      for (let r = 0; r < sim.length[t]; r++) {
        const s = sim.index[t * sim.k + r];
        scores[s] = Math.fround(scores[s] + Math.fround(x * sim.value[t * sim.k + r]));
      }
    });
    if (!keepSeen) for (const t of history.items) scores[t] = 0;
    const ranked: number[] = [];
    for (let s = 0; s < data.nItems; s++) if (scores[s] * allowed[s] > 0) ranked.push(s);
    ranked.sort((a, b) => scores[b] - scores[a] || a - b);
    return ranked.slice(0, n).map((s) => ({ item: data.itemId(s), score: scores[s] }));
  }

  protected neighbours(data: Interactions): TopK {
    return similarityTopK(data.byItem, byUser(data), data.nItems, this.k, this.similarity, this.shrinkage);
  }

  protected contributions(user: Id, s: number): Contribution[] {
    const history = this.history(user);
    if (!history) throw new GroveArgumentError(`ItemKnnRecommender.explain: unknown user ${JSON.stringify(user)}`);
    const { data } = this.state();
    const out: Contribution[] = [];
    history.items.forEach((t, p) => {
      const hit = this.kept(t).find(([j]) => j === s);
      if (hit) out.push({ neighbour: data.itemId(t), similarity: hit[1], value: history.values[p], contribution: hit[1] * history.values[p] });
    });
    return out;
  }

  /** The folded-in or fitted history of `user`, or undefined when unknown. */
  private history(user: Id): History | undefined {
    const folded = this.folded.get(user);
    if (folded) return folded;
    const { data } = this.state();
    const u = data.userIndex(user);
    if (u < 0) return undefined;
    return { items: data.indices.subarray(data.indptr[u], data.indptr[u + 1]), values: data.values.subarray(data.indptr[u], data.indptr[u + 1]) };
  }
}
