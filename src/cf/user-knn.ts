/**
 * User-based k-nearest-neighbour recommendation (SPEC 3; ../shared/data/movielens/
 * EVAL-PROTOCOL.md): cosine between user rows, the diagonal dropped, the K most similar users
 * N_K(u) kept, and score(u, j) = Σ_{v ∈ N_K(u)} sim(u, v) · x_vj over the items u has not seen,
 * only positive scores.
 */
import { GroveArgumentError } from '../runtime/errors.js';
import type { Id, Interactions } from './interactions.js';
import { KnnRecommender, byUser, cosineTopK, scoreTopN, type KnnOptions, type TopK } from './knn.js';

export type UserKnnOptions = KnnOptions;

export class UserKnnRecommender extends KnnRecommender {
  constructor(options: UserKnnOptions = {}) {
    super('UserKnnRecommender', options);
  }

  /** The `n` users most similar to `user`, with their cosine. */
  similarUsers(user: Id, n = 10): Array<{ user: Id; score: number }> {
    const { data, sim } = this.state();
    const u = data.userIndex(user);
    if (u < 0) throw new GroveArgumentError(`UserKnnRecommender.similarUsers: unknown user ${JSON.stringify(user)}`);
    return Array.from({ length: Math.min(n, sim.length[u]) }, (_, r) => ({ user: data.userId(sim.index[u * sim.k + r]), score: sim.value[u * sim.k + r] }));
  }

  protected neighbours(data: Interactions): TopK {
    return cosineTopK(byUser(data), data.byItem, data.nUsers, this.k);
  }

  protected score(data: Interactions, sim: TopK, n: number, users: Int32Array): TopK {
    return scoreTopN('user', data, sim, n, users);
  }
}
