/**
 * Popularity baseline (../shared/data/movielens/EVAL-PROTOCOL.md, "pop"), and the step every
 * score-vector recommender shares (popularity, demographic, content): rank the items by one
 * score per item, then hand each user the best ones they have not seen.
 *
 * Contract of `PopularityRecommender`:
 * - an item's score is the number of training users who interacted with it, whatever the
 *   weights; with `window`, only interactions at or after the window's start count
 *   (`{ seconds: s }`: the window [t_max − s, t_max], t_max the latest time in the data;
 *   `{ since: t }`: [t, ∞)), so an item counts the users whose (latest) time with it falls
 *   inside. A window needs interaction times; one that holds no interaction is an error rather
 *   than empty lists;
 * - a user gets the most popular items they have not seen (seen = any interaction, in or out of
 *   the window), equal popularities ordered by dense item index (the order in which items first
 *   appear in the interactions); items with no count are never recommended, so lists may be
 *   shorter than n;
 * - same calling shape as the KNN recommenders (`recommend(user, n, options)`, `recommendAll`),
 *   plus `recommendNew(n)` for a user outside the data.
 */
import { GroveArgumentError, GroveDataError, GroveNotFittedError } from '../runtime/errors.js';
import type { Id, Interactions } from './interactions.js';
import { checkN, itemMask, type Recommendation, type RecommendOptions } from './knn.js';

/** Items in the order they are offered, and the score each item is shown with. */
export interface ItemRanking {
  /** Dense item indices with a positive score, best first. */
  ranked: Uint32Array;
  /** Per dense item index. */
  score: ArrayLike<number>;
}

/** The items with a positive score, best first; equal scores by ascending dense index. */
export function rankItems(score: ArrayLike<number>): ItemRanking {
  const ranked: number[] = [];
  for (let i = 0; i < score.length; i++) if (score[i] > 0) ranked.push(i);
  ranked.sort((a, b) => score[b] - score[a] || a - b);
  return { ranked: Uint32Array.from(ranked), score };
}

/**
 * A recommender whose list for a user is an item ranking minus what that user has seen.
 * Subclasses say which ranking a user gets; validation, options and the walk are here.
 */
export abstract class RankingRecommender {
  constructor(protected readonly name: string) {}

  /** The top `n` items for `user`, best first (fewer when fewer have a positive score). */
  recommend(user: Id, n = 10, options: RecommendOptions = {}): Recommendation[] {
    const u = this.data().userIndex(user);
    if (u < 0) throw new GroveArgumentError(`${this.name}.recommend: unknown user ${JSON.stringify(user)}`);
    return this.recommendAll(n, [u], options)[0];
  }

  /** Top `n` for each user (dense user indices, default all), in that order. */
  recommendAll(n = 10, users?: ArrayLike<number>, options: RecommendOptions = {}): Recommendation[][] {
    const data = this.data();
    const fn = `${this.name}.recommendAll`;
    checkN(n, fn);
    const list = Array.from(users ?? Array.from({ length: data.nUsers }, (_, u) => u));
    for (const u of list) {
      if (!(Number.isInteger(u) && u >= 0 && u < data.nUsers)) throw new GroveArgumentError(`${fn}: user index ${u} out of range [0, ${data.nUsers})`);
    }
    const mask = itemMask(data, options, fn);
    return list.map((u) => this.walk(this.rankingFor(u), u, n, mask));
  }

  /** The fitted interactions; throws GroveNotFittedError before `fit`. */
  protected abstract data(): Interactions;

  /** The ranking dense user `u` gets. */
  protected abstract rankingFor(u: number): ItemRanking;

  /** The first `n` items of `ranking` that user `u` has not seen (`u` = -1: a user outside the data). */
  protected walk(ranking: ItemRanking, u: number, n: number, mask?: { allowed: Float32Array; keepSeen: boolean }): Recommendation[] {
    const data = this.data();
    const { ranked, score } = ranking;
    const seen = u < 0 || mask?.keepSeen ? undefined : data.indices.subarray(data.indptr[u], data.indptr[u + 1]);
    const out: Recommendation[] = [];
    for (let r = 0; r < ranked.length && out.length < n; r++) {
      const i = ranked[r];
      if (mask && mask.allowed[i] === 0) continue;
      if (seen && contains(seen, i)) continue;
      out.push({ item: data.itemId(i), score: score[i] });
    }
    return out;
  }
}

/** Whether ascending `row` holds `x` (binary search: a user's items are sorted). */
function contains(row: Uint32Array, x: number): boolean {
  let lo = 0;
  let hi = row.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (row[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo < row.length && row[lo] === x;
}

/** The last `seconds` before the latest time in the data, or everything from `since` on. */
export type PopularityWindow = { seconds: number } | { since: number };

export interface PopularityOptions {
  /** Count only recent interactions. Default: all of them. */
  window?: PopularityWindow;
}

const NAME = 'PopularityRecommender';

export class PopularityRecommender extends RankingRecommender {
  readonly window?: PopularityWindow;
  private fitted?: { data: Interactions; popularity: Uint32Array; ranking: ItemRanking };

  constructor(options: PopularityOptions = {}) {
    super(NAME);
    if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${NAME}: options must be an object`);
    for (const key of Object.keys(options)) if (key !== 'window') throw new GroveArgumentError(`${NAME}: unknown option "${key}" (known: window)`);
    if (options.window !== undefined) this.window = checkWindow(options.window);
  }

  /** Counts each item's users (in the window, if any), forgetting any earlier fit; returns `this`. */
  fit(data: Interactions): this {
    if (data.nnz === 0) throw new GroveArgumentError(`${NAME}.fit: the interactions are empty`);
    const { indptr, times } = data.byItem;
    const since = this.window ? windowStart(this.window, times) : -Infinity;
    const popularity = new Uint32Array(data.nItems);
    for (let i = 0; i < data.nItems; i++) {
      if (!this.window) popularity[i] = indptr[i + 1] - indptr[i];
      else for (let p = indptr[i]; p < indptr[i + 1]; p++) if (times![p] >= since) popularity[i]++;
    }
    this.fitted = { data, popularity, ranking: rankItems(popularity) };
    return this;
  }

  /** Users per item (in the window, if any), by dense item index. */
  get popularity(): Uint32Array {
    return this.state().popularity;
  }

  /** The `n` most popular items, for a user with no history. */
  recommendNew(n = 10): Recommendation[] {
    checkN(n, `${NAME}.recommendNew`);
    return this.walk(this.state().ranking, -1, n);
  }

  protected data(): Interactions {
    return this.state().data;
  }

  protected rankingFor(): ItemRanking {
    return this.state().ranking;
  }

  private state(): { data: Interactions; popularity: Uint32Array; ranking: ItemRanking } {
    if (!this.fitted) throw new GroveNotFittedError(`${NAME}: call fit() first`);
    return this.fitted;
  }
}

function checkWindow(window: PopularityWindow): PopularityWindow {
  const fn = `${NAME}: window`;
  if (window == null || typeof window !== 'object') throw new GroveArgumentError(`${fn} must be { seconds } or { since }`);
  const keys = Object.keys(window);
  if (keys.length !== 1 || !['seconds', 'since'].includes(keys[0])) throw new GroveArgumentError(`${fn} must have exactly one of seconds, since. Got keys: ${keys.join(', ') || 'none'}`);
  if ('seconds' in window) {
    const { seconds } = window;
    if (typeof seconds !== 'number' || !(seconds > 0) || !Number.isFinite(seconds)) throw new GroveArgumentError(`${fn}.seconds must be a finite number > 0. Got ${String(seconds)}`);
    return { seconds };
  }
  const { since } = window;
  if (typeof since !== 'number' || !Number.isFinite(since)) throw new GroveArgumentError(`${fn}.since must be a finite number (a time as in the data). Got ${String(since)}`);
  return { since };
}

/** The first time inside the window; throws when the data have no times or none inside. */
function windowStart(window: PopularityWindow, times: Float64Array | undefined): number {
  if (!times) throw new GroveDataError(`${NAME}.fit: a window needs interaction times, and these interactions have none (build them with times)`);
  let latest = -Infinity;
  for (let p = 0; p < times.length; p++) if (times[p] > latest) latest = times[p];
  const since = 'since' in window ? window.since : latest - window.seconds;
  if (since > latest) throw new GroveDataError(`${NAME}.fit: no interaction in the window (it starts at ${since}; the latest time in the data is ${latest})`);
  return since;
}
