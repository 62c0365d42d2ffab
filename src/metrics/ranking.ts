/**
 * Top-N ranking metrics (SPEC §4) for recommendation lists, per list and averaged over users
 * (`rankingMetrics`, following data/movielens/EVAL-PROTOCOL.md).
 *
 * A recommendation list holds item ids, best first (an array or a typed array); `relevant` holds
 * the user's true items T (a Set or an array; repeats in it count once). With a cut-off k only
 * the first k positions count; k omitted means the whole list. Conventions shared by every
 * function:
 * - A repeated item in a list counts once, at its first occurrence: later copies keep their
 *   positions (the slot is wasted) but are never a hit again, so repetition cannot raise a metric.
 * - Items match as in a Set (SameValueZero): 1 and '1' are different items.
 * - With no relevant items (|T| = 0) every per-list metric is 0; `rankingMetrics` skips such users.
 * Every metric lies in [0, 1].
 *
 * Definitions (hits counted in the first k positions, r the 1-based rank of a hit):
 *   precision = hits / k (k omitted: hits / list length), recall = hits / |T|,
 *   RR = 1 / rank of the first hit, hit rate = 1 if any hit,
 *   AP = Σ_hits (hits up to r) / r, divided by |T| ('relevant', the seed's MAP) or by
 *        min(|T|, k) ('min', EVAL-PROTOCOL's AP@N); the two agree when |T| ≤ k,
 *   NDCG = Σ_hits 1/log2(r + 1) over the same sum for min(|T|, k) hits at ranks 1, 2, …
 */
import type { Item } from '../fim/types.js';
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';

/** Recommended item ids, best first. */
export type RankedList = ArrayLike<Item>;
/** A user's relevant (held-out) items. */
export type RelevantItems = ReadonlySet<Item> | ArrayLike<Item>;

export type ApNormalization = 'relevant' | 'min';

export interface AveragePrecisionOptions {
  /** Divide by |T| ('relevant', default: SPEC §4 / the seed) or by min(|T|, k) ('min'). */
  normalize?: ApNormalization;
}

/** 1 / rank of the first relevant item within the first k positions; 0 if there is none. */
export function reciprocalRank(list: RankedList, relevant: RelevantItems, k?: number): number {
  const s = scorePerList('reciprocalRank', list, relevant, k);
  return s.firstHit === 0 ? 0 : 1 / s.firstHit;
}

/** Average precision of the first k positions, normalised as `options.normalize` says. */
export function averagePrecision(list: RankedList, relevant: RelevantItems, k?: number, options: AveragePrecisionOptions = {}): number {
  const fn = 'averagePrecision';
  checkOptions(fn, options, AP_KEYS);
  const normalize = options.normalize ?? 'relevant';
  if (normalize !== 'relevant' && normalize !== 'min') {
    throw new GroveArgumentError(`${fn}: options.normalize must be 'relevant' or 'min'. Got ${describe(normalize)}`);
  }
  const s = scorePerList(fn, list, relevant, k);
  const denominator = normalize === 'min' ? Math.min(s.nRelevant, s.k) : s.nRelevant;
  return denominator === 0 ? 0 : s.precisionSum / denominator;
}

/** Relevant items among the first k positions, divided by k (k omitted: by the list length). */
export function precisionAtK(list: RankedList, relevant: RelevantItems, k?: number): number {
  const s = scorePerList('precisionAtK', list, relevant, k);
  const denominator = Number.isFinite(s.k) ? s.k : s.slots;
  return denominator === 0 ? 0 : s.hits / denominator;
}

/** Relevant items among the first k positions, divided by the number of relevant items. */
export function recallAtK(list: RankedList, relevant: RelevantItems, k?: number): number {
  const s = scorePerList('recallAtK', list, relevant, k);
  return s.nRelevant === 0 ? 0 : s.hits / s.nRelevant;
}

/** Binary-gain NDCG of the first k positions (log2(rank + 1) discount). */
export function ndcgAtK(list: RankedList, relevant: RelevantItems, k?: number): number {
  const s = scorePerList('ndcgAtK', list, relevant, k);
  return s.nRelevant === 0 ? 0 : s.dcg / idealDcg(Math.min(s.nRelevant, s.k));
}

/** 1 if a relevant item is among the first k positions, else 0. */
export function hitRate(list: RankedList, relevant: RelevantItems, k?: number): number {
  return scorePerList('hitRate', list, relevant, k).hits > 0 ? 1 : 0;
}

export interface RankingMetricsOptions {
  /** Cut-off N: only the first k positions of each list count. Required, a positive integer. */
  k: number;
  /**
   * Items that could have been recommended (EVAL-PROTOCOL: items with ≥ 1 training
   * interaction). Enables `coverage`; it must be at least the number of distinct items recommended.
   */
  catalogSize?: number;
}

export interface RankingMetrics {
  precision: number;
  recall: number;
  /** Mean AP normalised by min(|T|, k) (EVAL-PROTOCOL's MAP@N). */
  map: number;
  /** Mean AP normalised by |T| (the seed's MAP, SPEC §4). */
  mapSeed: number;
  mrr: number;
  ndcg: number;
  hitRate: number;
  /**
   * Distinct items in the evaluated users' top-k lists / `catalogSize`; undefined when
   * `catalogSize` is not given (rather than a NaN that would slip into later arithmetic).
   */
  coverage: number | undefined;
  /** Users averaged over: those with ≥ 1 relevant item. */
  users: number;
}

/** Per-user lists or truth: a Map keyed by user, or an array indexed by user. */
export type ByUser<U, V> = ReadonlyMap<U, V> | readonly (V | undefined)[];

/**
 * Ranking metrics at cut-off `options.k`, averaged over the users of `truth` that have ≥ 1
 * relevant item (others are skipped, as are lists of users absent from `truth`). A user with
 * relevant items but no list (absent or undefined) counts as 0 on every metric. Users are
 * matched by Map key (SameValueZero, so '1' ≠ 1) or array index, and either form may be mixed.
 * Throws GroveDataError when no user has a relevant item, when lists has lists but none for a
 * user of truth (keys of different types), or when more distinct items are recommended than
 * `catalogSize`.
 */
export function rankingMetrics<U>(lists: ByUser<U, RankedList>, truth: ByUser<U, RelevantItems>, options: RankingMetricsOptions): RankingMetrics {
  const fn = 'rankingMetrics';
  checkByUser(fn, 'lists', lists);
  checkByUser(fn, 'truth', truth);
  if (typeof options !== 'object' || options === null) {
    throw new GroveArgumentError(`${fn}: options must be an object with k (a positive integer). Got ${describe(options)}`);
  }
  checkOptions(fn, options, AGGREGATE_KEYS);
  if (options.k === undefined) throw new GroveArgumentError(`${fn}: options.k is required (the cut-off, a positive integer such as 10)`);
  const k = resolveK(fn, options.k, 'options.k');
  const { catalogSize } = options;
  if (catalogSize !== undefined && !(Number.isInteger(catalogSize) && catalogSize > 0)) {
    throw new GroveArgumentError(`${fn}: options.catalogSize must be a positive integer. Got ${describe(catalogSize)}`);
  }

  const sum = { precision: 0, recall: 0, map: 0, mapSeed: 0, mrr: 0, ndcg: 0, hitRate: 0 };
  const recommended = new Set<Item>();
  let users = 0;
  let withList = 0;
  forEachUser(truth, (user, rel) => {
    if (rel === undefined) return;
    const where = () => `${fn}: truth for user ${describe(user)}`;
    const relevant = toRelevantSet(where, rel);
    if (relevant.size === 0) return;
    users++;
    const list = listOf(lists, user);
    if (list === undefined) return;
    withList++;
    const s = scoreList(checkList(() => `${fn}: list for user ${describe(user)}`, list), relevant, k, recommended);
    sum.precision += s.hits / k;
    sum.recall += s.hits / relevant.size;
    sum.map += s.precisionSum / Math.min(relevant.size, k);
    sum.mapSeed += s.precisionSum / relevant.size;
    sum.mrr += s.firstHit === 0 ? 0 : 1 / s.firstHit;
    sum.ndcg += s.dcg / idealDcg(Math.min(relevant.size, k));
    sum.hitRate += s.hits > 0 ? 1 : 0;
  });
  if (users === 0) throw new GroveDataError(`${fn}: no user in truth has a relevant item, so there is nothing to average`);
  if (withList === 0 && countLists(lists) > 0) {
    // every list belongs to a user outside truth: almost surely keys of different types ('1' vs 1)
    throw new GroveDataError(`${fn}: no user of truth has a list, although lists has some; do the user keys of lists and truth have the same type (e.g. '1' vs 1)?`);
  }
  if (catalogSize !== undefined && recommended.size > catalogSize) {
    throw new GroveDataError(`${fn}: the lists recommend ${recommended.size} distinct items, more than options.catalogSize (${catalogSize})`);
  }
  return {
    precision: sum.precision / users,
    recall: sum.recall / users,
    map: sum.map / users,
    mapSeed: sum.mapSeed / users,
    mrr: sum.mrr / users,
    ndcg: sum.ndcg / users,
    hitRate: sum.hitRate / users,
    coverage: catalogSize === undefined ? undefined : recommended.size / catalogSize,
    users,
  };
}

const AP_KEYS = new Set(['normalize']);
const AGGREGATE_KEYS = new Set(['k', 'catalogSize']);

/** What one pass over the first k positions of a list gives every metric. */
interface ListScore {
  /** Positions looked at: min(k, list length). */
  slots: number;
  hits: number;
  /** 1-based rank of the first hit; 0 when there is none. */
  firstHit: number;
  /** Σ over hits of (hits up to this rank) / rank. */
  precisionSum: number;
  /** Σ over hits of 1 / log2(rank + 1). */
  dcg: number;
}

/** `recommended` (optional) collects every item seen in the first k positions, for coverage. */
function scoreList(list: RankedList, relevant: ReadonlySet<Item>, k: number, recommended?: Set<Item>): ListScore {
  const slots = Math.min(k, list.length);
  const found = new Set<Item>();
  let hits = 0;
  let firstHit = 0;
  let precisionSum = 0;
  let dcg = 0;
  for (let i = 0; i < slots; i++) {
    const item = list[i];
    recommended?.add(item);
    if (!relevant.has(item) || found.has(item)) continue;
    found.add(item);
    hits++;
    if (firstHit === 0) firstHit = i + 1;
    precisionSum += hits / (i + 1);
    dcg += 1 / Math.log2(i + 2);
  }
  return { slots, hits, firstHit, precisionSum, dcg };
}

/** DCG of n hits at ranks 1..n, summed in the same order as `scoreList` so a perfect list gives exactly 1. */
function idealDcg(n: number): number {
  let dcg = 0;
  for (let i = 0; i < n; i++) dcg += 1 / Math.log2(i + 2);
  return dcg;
}

/** Validates the arguments of a per-list function and scores the list (k omitted → ∞). */
function scorePerList(fn: string, list: RankedList, relevant: RelevantItems, k: number | undefined): ListScore & { k: number; nRelevant: number } {
  const checked = checkList(() => `${fn}: list`, list);
  const rel = toRelevantSet(() => `${fn}: relevant`, relevant);
  const cut = k === undefined ? Infinity : resolveK(fn, k, 'k');
  return { ...scoreList(checked, rel, cut), k: cut, nRelevant: rel.size };
}

function resolveK(fn: string, k: unknown, name: string): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k <= 0) {
    throw new GroveArgumentError(`${fn}: ${name} must be a positive integer. Got ${describe(k)}`);
  }
  return k;
}

/** Arrays and typed arrays of item ids are accepted; each item is checked as the list is read. */
function checkList(where: () => string, list: unknown): RankedList {
  const ok = Array.isArray(list) || (ArrayBuffer.isView(list) && !(list instanceof DataView));
  if (!ok) throw new GroveArgumentError(`${where()} must be an array of item ids, best first. Got ${describe(list)}`);
  const items = list as RankedList;
  for (let i = 0; i < items.length; i++) checkItem(where, items[i], i);
  return items;
}

function toRelevantSet(where: () => string, relevant: unknown): ReadonlySet<Item> {
  if (relevant instanceof Set) {
    let i = 0;
    for (const item of relevant) checkItem(where, item, i++);
    return relevant as ReadonlySet<Item>;
  }
  const ok = Array.isArray(relevant) || (ArrayBuffer.isView(relevant) && !(relevant instanceof DataView));
  if (!ok) throw new GroveArgumentError(`${where()} must be a Set or an array of item ids. Got ${describe(relevant)}`);
  const items = relevant as ArrayLike<Item>;
  const set = new Set<Item>();
  for (let i = 0; i < items.length; i++) set.add(checkItem(where, items[i], i));
  return set;
}

function checkItem(where: () => string, item: unknown, index: number): Item {
  if (typeof item === 'string' || (typeof item === 'number' && !Number.isNaN(item))) return item;
  throw new GroveArgumentError(`${where()}: item ids must be strings or numbers; element ${index} is ${describe(item)}`);
}

function checkByUser(fn: string, name: string, value: unknown): void {
  if (value instanceof Map || Array.isArray(value)) return;
  throw new GroveArgumentError(`${fn}: ${name} must be a Map from user to items or an array indexed by user. Got ${describe(value)}`);
}

function forEachUser<U, V>(byUser: ByUser<U, V>, visit: (user: U, value: V | undefined) => void): void {
  if (byUser instanceof Map) {
    for (const [user, value] of byUser) visit(user, value);
  } else {
    const array = byUser as readonly (V | undefined)[];
    for (let i = 0; i < array.length; i++) visit(i as unknown as U, array[i]);
  }
}

function listOf<U>(lists: ByUser<U, RankedList>, user: U): RankedList | undefined {
  if (lists instanceof Map) return lists.get(user);
  const array = lists as readonly (RankedList | undefined)[];
  return typeof user === 'number' && Number.isInteger(user) && user >= 0 ? array[user] : undefined;
}

function countLists(lists: ByUser<unknown, RankedList>): number {
  if (lists instanceof Map) return lists.size;
  return (lists as readonly (RankedList | undefined)[]).filter((l) => l !== undefined).length;
}

function checkOptions(fn: string, options: object, known: ReadonlySet<string>): void {
  if (typeof options !== 'object' || options === null) throw new GroveArgumentError(`${fn}: options must be an object. Got ${describe(options)}`);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new GroveArgumentError(`${fn}: unknown option '${key}' (accepted: ${[...known].join(', ')})`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Set) return 'a Set';
  if (value instanceof Map) return 'a Map';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
