/**
 * Content-based recommendation (SPEC §3, cold start; the seed's 冷启动 §1): items are described
 * by keywords (genres, tags …), and a user's profile of keywords is matched against them.
 *
 * Contract:
 * - `fit(data, items)` takes a Map from item id to its keywords (e.g. genres from
 *   io/attributes.ts); an item is the 0/1 vector a_i over all keywords of `items` (repeats count
 *   once). Only items of the interactions can be recommended; those without keywords never are;
 * - a user's profile is the sum of the vectors of the items they have, weighted by their stored
 *   values: p_u = Σ_{t ∈ I_u} x_ut · a_t (so a 5-star item pulls five times as hard as a 1-star
 *   one; pass centred or binarised interactions for other weightings);
 * - score(u, s) = cos(p_u, a_s) = p_u · a_s / (‖p_u‖ ‖a_s‖), in [0, 1] for non-negative values;
 *   the user's unseen items with a positive score, best first, equal scores by dense item index
 *   (popularity.ts). A user whose items have no keywords gets an empty list;
 * - `recommendFor(profile, n)` serves a new user from keywords (`['Comedy', 'Romance']`, each
 *   weighing 1) or weighted keywords (`{ Comedy: 2, Drama: 0.5 }`); a keyword that no item has
 *   is an error (it is most likely misspelt).
 */
import { GroveArgumentError, GroveDataError, GroveNotFittedError } from '../runtime/errors.js';
import type { Csr, Id, Interactions } from './interactions.js';
import { checkN, type Recommendation } from './knn.js';
import { RankingRecommender, rankItems, type ItemRanking } from './popularity.js';

/** Keywords of a new user, each weighing 1, or weighted. */
export type KeywordProfile = readonly string[] | Readonly<Record<string, number>>;

interface Fitted {
  data: Interactions;
  keywords: Map<string, number>;
  /** Items (dense indices of `data`) × keywords, values 1. */
  itemKeywords: Pick<Csr, 'indptr' | 'indices'>;
}

const NAME = 'ContentRecommender';

export class ContentRecommender extends RankingRecommender {
  private fitted?: Fitted;

  constructor() {
    super(NAME);
  }

  /** Builds the item vectors (forgetting any earlier fit); returns `this`. */
  fit(data: Interactions, items: ReadonlyMap<Id, readonly string[]>): this {
    if (data.nnz === 0) throw new GroveArgumentError(`${NAME}.fit: the interactions are empty`);
    if (!(items instanceof Map)) throw new GroveArgumentError(`${NAME}.fit: items must be a Map from item id to an array of keywords`);
    const keywords = new Map<string, number>();
    for (const [id, words] of items) {
      if (!Array.isArray(words) || !words.every((w) => typeof w === 'string' && w !== '')) {
        throw new GroveDataError(`${NAME}.fit: the keywords of item ${JSON.stringify(id)} must be an array of non-empty strings`);
      }
      for (const w of words) if (!keywords.has(w)) keywords.set(w, keywords.size);
    }
    const indptr = new Uint32Array(data.nItems + 1);
    const indices: number[] = [];
    let described = 0;
    for (let i = 0; i < data.nItems; i++) {
      const words = new Set<string>(items.get(data.itemId(i)));
      if (words.size > 0) described++;
      indices.push(...[...words].map((w) => keywords.get(w)!).sort((a, b) => a - b));
      indptr[i + 1] = indices.length;
    }
    if (described === 0) {
      throw new GroveDataError(`${NAME}.fit: none of the ${data.nItems} items of the interactions has keywords in items (${items.size} entries); do the ids have the same type (1 vs '1')?`);
    }
    this.fitted = { data, keywords, itemKeywords: { indptr, indices: Uint32Array.from(indices) } };
    return this;
  }

  /** Keywords known to the model, in first-seen order. */
  get keywords(): string[] {
    return [...this.state().keywords.keys()];
  }

  /** The top `n` items for a new user with `profile`; nothing is left out as seen. */
  recommendFor(profile: KeywordProfile, n = 10): Recommendation[] {
    const fn = `${NAME}.recommendFor`;
    const { keywords } = this.state();
    const entries: Array<[string, number]> = Array.isArray(profile)
      ? profile.map((w) => [w, 1])
      : profile != null && typeof profile === 'object'
        ? Object.entries(profile)
        : [];
    if (entries.length === 0) throw new GroveArgumentError(`${fn}: profile must be a non-empty array of keywords or { keyword: weight }`);
    const p = new Float64Array(keywords.size);
    for (const [w, weight] of entries) {
      const k = keywords.get(w);
      if (k === undefined) throw new GroveArgumentError(`${fn}: unknown keyword ${JSON.stringify(w)} (known: ${[...keywords.keys()].slice(0, 30).join(', ')}${keywords.size > 30 ? ', …' : ''})`);
      if (typeof weight !== 'number' || !Number.isFinite(weight)) throw new GroveArgumentError(`${fn}: the weight of ${JSON.stringify(w)} must be a finite number. Got ${String(weight)}`);
      p[k] += weight;
    }
    checkN(n, fn);
    return this.walk(this.match(p), -1, n);
  }

  protected data(): Interactions {
    return this.state().data;
  }

  protected rankingFor(u: number): ItemRanking {
    const { data, itemKeywords: a } = this.state();
    const p = new Float64Array(this.state().keywords.size);
    for (let q = data.indptr[u]; q < data.indptr[u + 1]; q++) {
      const t = data.indices[q];
      for (let r = a.indptr[t]; r < a.indptr[t + 1]; r++) p[a.indices[r]] += data.values[q];
    }
    return this.match(p);
  }

  /** Items ranked by the cosine between profile `p` and their keyword vectors. */
  private match(p: Float64Array): ItemRanking {
    const { data, itemKeywords: a } = this.state();
    let norm = 0;
    for (const v of p) norm += v * v;
    norm = Math.sqrt(norm);
    const score = new Float64Array(data.nItems);
    if (norm === 0) return rankItems(score);
    for (let i = 0; i < data.nItems; i++) {
      const count = a.indptr[i + 1] - a.indptr[i];
      if (count === 0) continue;
      let dot = 0;
      for (let r = a.indptr[i]; r < a.indptr[i + 1]; r++) dot += p[a.indices[r]];
      score[i] = dot / (norm * Math.sqrt(count));
    }
    return rankItems(score);
  }

  private state(): Fitted {
    if (!this.fitted) throw new GroveNotFittedError(`${NAME}: call fit() first`);
    return this.fitted;
  }
}
