/**
 * User-based k-nearest-neighbour recommendation (SPEC 3; ../shared/data/movielens/
 * EVAL-PROTOCOL.md): similarity between user rows (cosine by default, see knn.ts), the diagonal
 * dropped, the K most similar users N_K(u) kept, and
 * score(u, j) = Σ_{v ∈ N_K(u)} sim(u, v) · x_vj, only positive scores.
 */
import type { Id, Interactions } from './interactions.js';
import { KnnRecommender, byUser, similarityTopK, type Contribution, type KnnOptions, type Scorer, type TopK } from './knn.js';

export type UserKnnOptions = KnnOptions;

export class UserKnnRecommender extends KnnRecommender {
  protected readonly scorer: Scorer = 'user';

  constructor(options: UserKnnOptions = {}) {
    super('UserKnnRecommender', options);
  }

  /** The `n` users most similar to `user`, with their similarity. */
  similarUsers(user: Id, n = 10): Array<{ user: Id; score: number }> {
    const { data } = this.state();
    return this.kept(this.userIndexOf(user, 'similarUsers')).slice(0, n).map(([v, w]) => ({ user: data.userId(v), score: w }));
  }

  protected neighbours(data: Interactions): TopK {
    return similarityTopK(byUser(data), data.byItem, data.nUsers, this.k, this.similarity, this.shrinkage);
  }

  protected contributions(user: Id, j: number): Contribution[] {
    const { data } = this.state();
    const out: Contribution[] = [];
    for (const [v, w] of this.kept(this.userIndexOf(user, 'explain'))) {
      const from = data.indptr[v];
      const to = data.indptr[v + 1];
      const p = data.indices.subarray(from, to).indexOf(j);
      if (p >= 0) out.push({ neighbour: data.userId(v), similarity: w, value: data.values[from + p], contribution: w * data.values[from + p] });
    }
    return out;
  }
}
