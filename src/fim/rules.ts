/**
 * Association rules from frequent itemsets (SPEC §1), with mlxtend's `association_rules`
 * semantics: every rule X ⇒ Y with X and Y non-empty and disjoint and X ∪ Y one of the input
 * itemsets; the supports of X and Y are looked up in the input, so it must be downward closed
 * (all frequent itemsets, as `fpGrowth`/`apriori` return with kind 'all' — not closed or
 * maximal ones). A rule is kept when its metric is ≥ `minThreshold`.
 *
 * With s(·) = count / nTransactions:
 *   support = s(X∪Y), confidence = s(X∪Y)/s(X), lift = confidence/s(Y),
 *   leverage = s(X∪Y) − s(X)·s(Y), conviction = (1 − s(Y))/(1 − confidence) (∞ when confidence = 1).
 */
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import { compareItems } from './encode.js';
import type { FrequentItemset, Item } from './types.js';

export type RuleMetric = 'support' | 'confidence' | 'lift' | 'leverage' | 'conviction';

export interface AssociationRulesOptions {
  /** The metric `minThreshold` applies to and the output is sorted by. Default 'confidence'. */
  metric?: RuleMetric;
  /** Keep rules whose metric is ≥ this. Default 0.8. */
  minThreshold?: number;
  /**
   * Transactions the itemsets were mined from. Default: inferred as round(count / support);
   * when given, every itemset's support × nTransactions must round to its count.
   */
  nTransactions?: number;
  /**
   * Most rules to return (default 10,000,000, about 4 GB of rule objects): more passing
   * `minThreshold` is an error that says so, rather than an out-of-memory crash.
   */
  maxRules?: number;
}

export interface AssociationRule {
  /** X, in canonical item order. */
  antecedent: Item[];
  /** Y, in canonical item order. */
  consequent: Item[];
  /** Transactions holding X ∪ Y. */
  count: number;
  support: number;
  confidence: number;
  lift: number;
  leverage: number;
  conviction: number;
  antecedentSupport: number;
  consequentSupport: number;
}

const FN = 'associationRules';
const METRICS: readonly RuleMetric[] = ['support', 'confidence', 'lift', 'leverage', 'conviction'];
const KNOWN = new Set(['metric', 'minThreshold', 'nTransactions', 'maxRules']);
const DEFAULT_MAX_RULES = 10_000_000;
/** An itemset of L items yields 2^L − 2 rules; longer ones are refused rather than enumerated. */
const MAX_RULE_ITEMS = 20;

/** Rules between the input itemsets, by descending metric, then antecedent, then consequent. */
export function associationRules(itemsets: readonly FrequentItemset[], options: AssociationRulesOptions = {}): AssociationRule[] {
  const { metric, minThreshold, n: given, maxRules } = resolveOptions(options);
  if (!Array.isArray(itemsets)) throw new GroveArgumentError(`${FN}: itemsets must be an array of { items, count, support }. Got ${describe(itemsets)}`);
  const index = indexItemsets(itemsets);
  if (index.sets.length === 0) return [];
  const n = given ?? inferTransactions(itemsets);
  checkSupports(itemsets, n);

  // kept rules, compactly until sorted: X ∪ Y, X and Y as indices into the input, and the metric
  const keptXY: number[] = [];
  const keptX: number[] = [];
  const keptY: number[] = [];
  const keptValue: number[] = [];
  let longest = 0;
  for (const ids of index.sets) longest = Math.max(longest, ids.length);
  // the subsets of the current itemset by mask (bit j: its j-th item), as input indices
  const subset = new Int32Array(1 << longest);
  subset[0] = ROOT;
  const values = new Float64Array(5);
  const slot = METRIC_SLOT[metric];
  for (let s = 0; s < index.sets.length; s++) {
    const ids = index.sets[s];
    const len = ids.length;
    if (len < 2) continue;
    const cXY = itemsets[s].count;
    if (metric === 'support' && !(cXY / n >= minThreshold)) continue; // every rule of X ∪ Y has its support
    const full = (1 << len) - 1;
    subset[full] = s;
    for (let mask = 1; mask < full; mask++) {
      // a subset is its highest item appended to a smaller subset, met before it
      const high = 31 - Math.clz32(mask);
      const found = index.child.get(childKey(index, subset[mask ^ (1 << high)], ids[high]));
      if (found === undefined) throw missingSubset(index, pick(ids, mask), itemsets[s].items);
      if (itemsets[found].count < cXY) {
        throw new GroveDataError(
          `${FN}: ${itemsetText(itemsets[found].items)} has count ${itemsets[found].count}, below the ${cXY} of its superset ${itemsetText(itemsets[s].items)}`,
        );
      }
      subset[mask] = found;
    }
    for (let mask = 1; mask < full; mask++) {
      const x = subset[mask];
      const y = subset[full ^ mask];
      fillMetrics(values, cXY, itemsets[x].count, itemsets[y].count, n);
      if (!(values[slot] >= minThreshold)) continue;
      if (keptX.length === maxRules) {
        throw new GroveArgumentError(
          `${FN}: more than maxRules = ${maxRules} rules reach ${metric} ≥ ${minThreshold}; raise minThreshold (or minSupport), or raise maxRules`,
        );
      }
      keptXY.push(s);
      keptX.push(x);
      keptY.push(y);
      keptValue.push(values[slot]);
    }
  }
  if (keptX.length === 0) return [];

  // ties in the metric: canonical order of X, then of Y (ranks of the input itemsets)
  const rank = new Int32Array(index.sets.length);
  Array.from(index.sets.keys())
    .sort((a, b) => compareIds(index.sets[a], index.sets[b]))
    .forEach((s, r) => (rank[s] = r));
  const order = Array.from(keptX.keys()).sort(
    (a, b) => keptValue[b] - keptValue[a] || rank[keptX[a]] - rank[keptX[b]] || rank[keptY[a]] - rank[keptY[b]],
  );
  return order.map((r): AssociationRule => {
    const cXY = itemsets[keptXY[r]].count;
    const cX = itemsets[keptX[r]].count;
    const cY = itemsets[keptY[r]].count;
    fillMetrics(values, cXY, cX, cY, n);
    return {
      antecedent: labelsOf(index, keptX[r]),
      consequent: labelsOf(index, keptY[r]),
      count: cXY,
      support: values[0],
      confidence: values[1],
      lift: values[2],
      leverage: values[3],
      conviction: values[4],
      antecedentSupport: cX / n,
      consequentSupport: cY / n,
    };
  });
}

function resolveOptions(options: AssociationRulesOptions): { metric: RuleMetric; minThreshold: number; n: number | undefined; maxRules: number } {
  if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${FN}: options must be an object. Got ${describe(options)}`);
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new GroveArgumentError(`${FN}: unknown option "${key}" (known: ${[...KNOWN].join(', ')})`);
  }
  const metric = options.metric ?? 'confidence';
  if (!METRICS.includes(metric)) {
    throw new GroveArgumentError(`${FN}: metric must be one of ${METRICS.map((m) => `'${m}'`).join(', ')}. Got ${describe(options.metric)}`);
  }
  const minThreshold = options.minThreshold ?? 0.8;
  if (typeof minThreshold !== 'number' || Number.isNaN(minThreshold)) {
    throw new GroveArgumentError(`${FN}: minThreshold must be a number (not NaN). Got ${describe(options.minThreshold)}`);
  }
  const n = options.nTransactions;
  if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 1)) {
    throw new GroveArgumentError(`${FN}: nTransactions must be an integer ≥ 1. Got ${describe(n)}`);
  }
  const maxRules = options.maxRules ?? DEFAULT_MAX_RULES;
  if (typeof maxRules !== 'number' || !(Number.isInteger(maxRules) || maxRules === Infinity) || maxRules < 1) {
    throw new GroveArgumentError(`${FN}: maxRules must be an integer ≥ 1 (or Infinity). Got ${describe(options.maxRules)}`);
  }
  return { metric, minThreshold, n, maxRules };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}

function itemsetText(items: readonly Item[]): string {
  return `{${items.map((i) => (typeof i === 'string' ? JSON.stringify(i) : String(i))).join(', ')}}`;
}

/**
 * Dense ids in canonical item order and each itemset as sorted ids. The itemsets form a prefix
 * tree (an itemset's parent is it without its last item, present in downward-closed input):
 * `child` maps (parent, id) to the itemset, so any subset is found one item at a time.
 */
interface ItemsetIndex {
  labels: Item[];
  sets: number[][];
  child: Map<number, number>;
}

const ROOT = -1;

function childKey(index: ItemsetIndex, parent: number, id: number): number {
  return (parent + 1) * index.labels.length + id;
}

function indexItemsets(itemsets: readonly FrequentItemset[]): ItemsetIndex {
  const distinct = new Set<Item>();
  for (let i = 0; i < itemsets.length; i++) {
    const s = itemsets[i];
    if (s == null || typeof s !== 'object' || !Array.isArray(s.items)) {
      throw new GroveDataError(`${FN}: itemsets[${i}] must be { items: Item[], count, support }. Got ${describe(s)}`);
    }
    if (s.items.length === 0) throw new GroveDataError(`${FN}: itemsets[${i}] is empty; itemsets need at least one item`);
    if (s.items.length > MAX_RULE_ITEMS) {
      throw new GroveDataError(
        `${FN}: itemsets[${i}] has ${s.items.length} items, which would give ${2 ** s.items.length - 2} candidate rules; ` +
        `itemsets of at most ${MAX_RULE_ITEMS} items are supported (mine with maxLen ≤ ${MAX_RULE_ITEMS})`,
      );
    }
    if (!Number.isInteger(s.count) || s.count < 1) throw new GroveDataError(`${FN}: itemsets[${i}].count must be an integer ≥ 1. Got ${describe(s.count)}`);
    if (typeof s.support !== 'number' || !(s.support > 0 && s.support <= 1)) {
      throw new GroveDataError(`${FN}: itemsets[${i}].support must be a fraction in (0, 1]. Got ${describe(s.support)}`);
    }
    for (const item of s.items) {
      if (typeof item !== 'string' && !(typeof item === 'number' && Number.isFinite(item))) {
        throw new GroveDataError(`${FN}: itemsets[${i}] holds ${describe(item)}; items must be strings or finite numbers`);
      }
      distinct.add(item);
    }
  }
  const labels = [...distinct].sort(compareItems);
  const idOf = new Map<Item, number>(labels.map((l, id) => [l, id]));
  const sets = itemsets.map((s, i) => {
    const ids = s.items.map((item) => idOf.get(item)!).sort((a, b) => a - b);
    for (let j = 1; j < ids.length; j++) {
      if (ids[j] === ids[j - 1]) throw new GroveDataError(`${FN}: itemsets[${i}] repeats the item ${describe(labels[ids[j]])}`);
    }
    return ids;
  });
  // parents before children: by length
  const index: ItemsetIndex = { labels, sets, child: new Map() };
  const order = sets.map((_, i) => i).sort((a, b) => sets[a].length - sets[b].length);
  for (const i of order) {
    const ids = sets[i];
    let parent = ROOT;
    for (let j = 0; j < ids.length - 1; j++) {
      const next = index.child.get(childKey(index, parent, ids[j]));
      if (next === undefined) throw missingSubset(index, ids.slice(0, j + 1), itemsets[i].items);
      parent = next;
    }
    const key = childKey(index, parent, ids[ids.length - 1]);
    const seen = index.child.get(key);
    if (seen !== undefined) throw new GroveDataError(`${FN}: the itemset ${itemsetText(itemsets[i].items)} appears twice (itemsets[${Math.min(seen, i)}] and itemsets[${Math.max(seen, i)}])`);
    index.child.set(key, i);
  }
  return index;
}

function missingSubset(index: ItemsetIndex, ids: number[], of: readonly Item[]): GroveDataError {
  return new GroveDataError(
    `${FN}: ${itemsetText(ids.map((id) => index.labels[id]))}, a subset of ${itemsetText(of)}, is not among the itemsets; ` +
    `rules need every frequent itemset (kind 'all'), not only closed or maximal ones`,
  );
}

/** round(count / support) of the itemset with the largest count (the most precise estimate). */
function inferTransactions(itemsets: readonly FrequentItemset[]): number {
  let best = itemsets[0];
  for (const s of itemsets) if (s.count > best.count) best = s;
  return Math.round(best.count / best.support);
}

/** Every support must be count / n up to rounding: support × n rounds to count. */
function checkSupports(itemsets: readonly FrequentItemset[], n: number): void {
  for (let i = 0; i < itemsets.length; i++) {
    const { items, count, support } = itemsets[i];
    if (count > n || Math.abs(support * n - count) >= 0.5) {
      throw new GroveDataError(
        `${FN}: the itemset ${itemsetText(items)} has count ${count} and support ${support}, ` +
        `which do not agree with ${n} transactions; pass the right nTransactions`,
      );
    }
  }
}

function pick(ids: readonly number[], mask: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < ids.length; j++) if (mask & (1 << j)) out.push(ids[j]);
  return out;
}

/** The items of input itemset `s`, in canonical order. */
function labelsOf(index: ItemsetIndex, s: number): Item[] {
  const ids = index.sets[s];
  const out: Item[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = index.labels[ids[i]];
  return out;
}

/** Order of the metrics in the scratch `fillMetrics` writes. */
const METRIC_SLOT: Record<RuleMetric, number> = { support: 0, confidence: 1, lift: 2, leverage: 3, conviction: 4 };

/** The metrics of X ⇒ Y from the counts of X ∪ Y, X and Y, in mlxtend's floating-point order. */
function fillMetrics(out: Float64Array, cXY: number, cX: number, cY: number, n: number): void {
  const support = cXY / n;
  const sX = cX / n;
  const sY = cY / n;
  const confidence = support / sX;
  out[0] = support;
  out[1] = confidence;
  out[2] = confidence / sY;
  out[3] = support - sX * sY;
  out[4] = confidence < 1 ? (1 - sY) / (1 - confidence) : Infinity;
}

/** Lexicographic order of id lists (ids follow canonical item order); a prefix comes first. */
function compareIds(a: readonly number[], b: readonly number[]): number {
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
