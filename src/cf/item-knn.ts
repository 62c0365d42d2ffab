/**
 * Item-based k-nearest-neighbour recommendation (SPEC 3; ../shared/data/movielens/
 * EVAL-PROTOCOL.md): cosine between item columns, the diagonal dropped, the K largest of each
 * item's row kept (S_K), and R(u, s) = Σ_{t ∈ I_u} x_ut · S_K[t, s] over the items the user has
 * not seen, only positive scores.
 */
import { GroveArgumentError } from '../runtime/errors.js';
import type { Id, Interactions } from './interactions.js';
import { KnnRecommender, byUser, cosineTopK, scoreTopN, type KnnOptions, type Recommendation, type TopK } from './knn.js';

export type ItemKnnOptions = KnnOptions;

export class ItemKnnRecommender extends KnnRecommender {
  constructor(options: ItemKnnOptions = {}) {
    super('ItemKnnRecommender', options);
  }

  /** The `n` items most similar to `item`. */
  similarItems(item: Id, n = 10): Recommendation[] {
    const { data, sim } = this.state();
    const t = data.itemIndex(item);
    if (t < 0) throw new GroveArgumentError(`ItemKnnRecommender.similarItems: unknown item ${JSON.stringify(item)}`);
    return Array.from({ length: Math.min(n, sim.length[t]) }, (_, r) => ({ item: data.itemId(sim.index[t * sim.k + r]), score: sim.value[t * sim.k + r] }));
  }

  protected neighbours(data: Interactions): TopK {
    return cosineTopK(data.byItem, byUser(data), data.nItems, this.k);
  }

  protected score(data: Interactions, sim: TopK, n: number, users: Int32Array): TopK {
    return scoreTopN('item', data, sim, n, users);
  }
}
