/**
 * Onboarding (SPEC §3, cold start; the seed's 冷启动 §5): which items to ask a new user to rate.
 *
 * An item is worth asking about when many people can answer (popular) and the answer tells
 * users apart (divisive). Popularity alone picks items nearly everyone rates alike, so the
 * answer carries little; divisiveness alone picks obscure items few can rate. Following the
 * "log-pop × entropy" strategy of Rashid et al., "Getting to Know You: Learning New User
 * Preferences in Recommender Systems" (IUI 2002), an item's score is
 *
 *   score(i) = log2(pop_i) · spread_i
 *
 * with pop_i the number of users who have item i and spread_i, by `measure`:
 * - `entropy` (default): the Shannon entropy (bits) of the item's rating values, each distinct
 *   stored value a category (−Σ_v p_v log2 p_v): 0 when everybody agrees, largest when the
 *   ratings spread evenly over the scale. Suited to ratings on a small scale (stars);
 * - `variance`: the population variance of the stored values, which also weighs how far apart
 *   the ratings are (a 1-and-5 split counts more than a 3-and-4 one).
 * The logarithm damps popularity, so that a blockbuster everyone rates 4 does not outrank a
 * well-known item that divides opinion. Items rated by one user score 0 (log2 1 = 0) and are
 * never asked. (This is not Rashid's later "entropy0", which counts non-raters as a rating 0 and
 * so mixes popularity into the entropy itself.)
 *
 * Values are the interactions' stored values, so binarised or implicit data, where every value
 * is alike, have no divisive item: that is an error rather than an empty list. Equal scores are
 * ordered by dense item index. The answers feed a model's `foldIn(user, answers)`.
 */
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import type { Id, Interactions } from './interactions.js';
import { checkN } from './knn.js';
import { rankItems } from './popularity.js';

export type Divisiveness = 'entropy' | 'variance';

export interface PickQuestionsOptions {
  /** How divisive an item is. Default `entropy`. */
  measure?: Divisiveness;
  /** Items not to ask about (e.g. asked already); ids unknown to the data are ignored. */
  exclude?: Iterable<Id>;
}

export interface Question {
  item: Id;
  /** log2(popularity) · spread. */
  score: number;
  /** Users who have the item. */
  popularity: number;
  /** Entropy (bits) or variance of its values, as `measure` says. */
  spread: number;
}

const FN = 'pickQuestions';
const MEASURES: readonly Divisiveness[] = ['entropy', 'variance'];

/** The `n` items most worth asking a new user about, best first (fewer if fewer score above 0). */
export function pickQuestions(data: Interactions, n: number, options: PickQuestionsOptions = {}): Question[] {
  if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${FN}: options must be an object`);
  for (const key of Object.keys(options)) if (key !== 'measure' && key !== 'exclude') throw new GroveArgumentError(`${FN}: unknown option "${key}" (known: measure, exclude)`);
  const { measure = 'entropy', exclude = [] } = options;
  if (!MEASURES.includes(measure)) throw new GroveArgumentError(`${FN}: measure must be one of ${MEASURES.join(', ')}. Got ${String(measure)}`);
  if (exclude == null || typeof (exclude as Iterable<Id>)[Symbol.iterator] !== 'function' || typeof exclude === 'string') throw new GroveArgumentError(`${FN}: exclude must be an iterable of item ids`);
  checkN(n, FN);
  if (data.nnz === 0) throw new GroveArgumentError(`${FN}: the interactions are empty`);

  const { indptr, values } = data.byItem;
  const spread = new Float64Array(data.nItems);
  const score = new Float64Array(data.nItems);
  for (let i = 0; i < data.nItems; i++) {
    const row = values.subarray(indptr[i], indptr[i + 1]);
    spread[i] = measure === 'entropy' ? entropy(row) : variance(row);
    score[i] = Math.log2(row.length) * spread[i];
  }
  const { ranked } = rankItems(score);
  if (ranked.length === 0) throw new GroveDataError(`${FN}: no item has ratings that differ between users (binary or implicit data?), so none is divisive`);
  const skip = new Set<number>();
  for (const id of exclude) if (data.itemIndex(id) >= 0) skip.add(data.itemIndex(id));
  const kept = ranked.filter((i) => !skip.has(i)).subarray(0, n);
  return Array.from(kept, (i) => ({ item: data.itemId(i), score: score[i], popularity: indptr[i + 1] - indptr[i], spread: spread[i] }));
}

/** Entropy in bits of the distribution of distinct values in `row`. */
function entropy(row: Float32Array): number {
  const counts = new Map<number, number>();
  for (const v of row) counts.set(v, (counts.get(v) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / row.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function variance(row: Float32Array): number {
  if (row.length === 0) return 0;
  let mean = 0;
  for (const v of row) mean += v;
  mean /= row.length;
  let sum = 0;
  for (const v of row) sum += (v - mean) * (v - mean);
  return sum / row.length;
}
