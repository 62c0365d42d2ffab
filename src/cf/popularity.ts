/**
 * Popularity baseline (../shared/data/movielens/EVAL-PROTOCOL.md, "pop"): an item's score is the
 * number of training users who interacted with it, whatever the weights; each user gets the most
 * popular items they have not seen, equal popularities ordered by dense item index (the order
 * in which items first appear in the interactions). Same calling shape as the KNN recommenders.
 */
import { GroveArgumentError, GroveNotFittedError } from '../runtime/errors.js';
import type { Id, Interactions } from './interactions.js';
import type { Recommendation } from './knn.js';

const NAME = 'PopularityRecommender';

export class PopularityRecommender {
  private fitted?: { data: Interactions; popularity: Uint32Array; ranked: Uint32Array };

  /** Counts each item's users (forgetting any earlier fit); returns `this`. */
  fit(data: Interactions): this {
    if (data.nnz === 0) throw new GroveArgumentError(`${NAME}.fit: the interactions are empty`);
    const { indptr } = data.byItem;
    const popularity = new Uint32Array(data.nItems);
    for (let i = 0; i < data.nItems; i++) popularity[i] = indptr[i + 1] - indptr[i];
    const ranked = Uint32Array.from({ length: data.nItems }, (_, i) => i)
      .filter((i) => popularity[i] > 0)
      .sort((a, b) => popularity[b] - popularity[a] || a - b);
    this.fitted = { data, popularity, ranked };
    return this;
  }

  /** Users per item, by dense item index. */
  get popularity(): Uint32Array {
    return this.state().popularity;
  }

  /** The `n` most popular items `user` has not seen, best first. */
  recommend(user: Id, n = 10): Recommendation[] {
    const u = this.state().data.userIndex(user);
    if (u < 0) throw new GroveArgumentError(`${NAME}.recommend: unknown user ${JSON.stringify(user)}`);
    return this.recommendAll(n, [u])[0];
  }

  /** Top `n` for each user (dense user indices, default all), in that order. */
  recommendAll(n = 10, users?: ArrayLike<number>): Recommendation[][] {
    const { data, popularity, ranked } = this.state();
    if (!Number.isInteger(n) || n < 1) throw new GroveArgumentError(`${NAME}.recommendAll: n must be an integer ≥ 1. Got ${String(n)}`);
    const list = Array.from(users ?? Array.from({ length: data.nUsers }, (_, u) => u));
    for (const u of list) {
      if (!(Number.isInteger(u) && u >= 0 && u < data.nUsers)) throw new GroveArgumentError(`${NAME}.recommendAll: user index ${u} out of range [0, ${data.nUsers})`);
    }
    const seen = new Uint8Array(data.nItems);
    return list.map((u) => {
      const from = data.indptr[u];
      const to = data.indptr[u + 1];
      for (let k = from; k < to; k++) seen[data.indices[k]] = 1;
      const out: Recommendation[] = [];
      for (let r = 0; r < ranked.length && out.length < n; r++) {
        const i = ranked[r];
        if (!seen[i]) out.push({ item: data.itemId(i), score: popularity[i] });
      }
      for (let k = from; k < to; k++) seen[data.indices[k]] = 0;
      return out;
    });
  }

  private state(): { data: Interactions; popularity: Uint32Array; ranked: Uint32Array } {
    if (!this.fitted) throw new GroveNotFittedError(`${NAME}: call fit() first`);
    return this.fitted;
  }
}
