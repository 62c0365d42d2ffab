/**
 * The reference miner of the frequent-itemset tests. It shares nothing with src/ but the public
 * types: items are compared, deduplicated and ordered here from the contract alone, and the count
 * of every candidate is taken straight from the transactions (the list of transactions holding
 * it). Candidates grow one item at a time and only while frequent (downward closure), which keeps
 * it usable on long transactions; `subsetCounts` is the fully naive check of this reference itself.
 */
import type { FlatTransactions, FrequentItemset, Item, ItemsetKind, MineOptions, Transactions } from '../../src/fim/types.js';

/** The contract's item order: numbers ascending, then strings by UTF-16 code units. */
export function compareLabels(a: Item, b: Item): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function isFlat(input: Transactions): input is FlatTransactions {
  return (input as FlatTransactions).items instanceof Uint32Array;
}

/** Each transaction as its distinct items (1 and '1' stay apart). */
export function transactionSets(input: Transactions): Item[][] {
  if (!isFlat(input)) return Array.from(input, (tx) => [...new Set(tx)]);
  const { items, offsets, labels } = input;
  const out: Item[][] = [];
  for (let t = 0; t + 1 < offsets.length; t++) {
    const tx = new Set<Item>();
    for (let p = offsets[t]; p < offsets[t + 1]; p++) tx.add(labels ? labels[items[p]] : items[p]);
    out.push([...tx]);
  }
  return out;
}

/** The smallest count c with c / n ≥ s for a fraction s ≤ 1; otherwise minSupport is the count. */
export function minCountOf(minSupport: number, n: number): number {
  if (minSupport > 1) return minSupport;
  for (let c = 1; c <= n; c++) if (c / n >= minSupport) return c;
  return Infinity;
}

/** Every itemset of at most `maxLen` items held by at least `minCount` of `txs`. */
export function referenceItemsets(txs: Item[][], minCount: number, maxLen = Infinity): FrequentItemset[] {
  const n = txs.length;
  const holders = new Map<Item, number[]>();
  txs.forEach((tx, t) => {
    for (const item of new Set(tx)) {
      const list = holders.get(item);
      if (list) list.push(t);
      else holders.set(item, [t]);
    }
  });
  const candidates = [...holders.keys()].filter((i) => holders.get(i)!.length >= minCount).sort(compareLabels);
  const out: FrequentItemset[] = [];
  const grow = (prefix: Item[], cover: number[] | undefined, from: number): void => {
    for (let j = from; j < candidates.length; j++) {
      const item = candidates[j];
      const tids = holders.get(item)!;
      const next = cover ? intersect(cover, tids) : tids;
      if (next.length < minCount) continue;
      const items = [...prefix, item];
      out.push({ items, count: next.length, support: next.length / n });
      if (items.length < maxLen) grow(items, next, j + 1);
    }
  };
  if (maxLen >= 1) grow([], undefined, 0);
  return out;
}

function intersect(a: number[], b: number[]): number[] {
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out;
}

/** Count of every non-empty subset of every transaction (exponential: tiny inputs only). */
export function subsetCounts(txs: Item[][]): Map<string, { items: Item[]; count: number }> {
  const counts = new Map<string, { items: Item[]; count: number }>();
  for (const tx of txs) {
    const items = [...new Set(tx)].sort(compareLabels);
    for (let mask = 1; mask < 1 << items.length; mask++) {
      const subset = items.filter((_, i) => mask & (1 << i));
      const key = itemsKey(subset);
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { items: subset, count: 1 });
    }
  }
  return counts;
}

export function itemsKey(items: readonly Item[]): string {
  return JSON.stringify(items);
}

function isProperSubset(a: readonly Item[], b: ReadonlySet<Item>): boolean {
  return a.length < b.size && a.every((i) => b.has(i));
}

/**
 * Closed (no proper superset with the same count) or maximal (no proper superset at all) members
 * of a complete listing, by comparing every pair: the definitions, not a shortcut.
 */
export function selectByDefinition(all: FrequentItemset[], kind: ItemsetKind): FrequentItemset[] {
  if (kind === 'all') return all;
  const sets = all.map((s) => new Set(s.items));
  return all.filter((x) => !all.some((y, j) => (kind === 'maximal' || y.count === x.count) && isProperSubset(x.items, sets[j])));
}

/** The reference answer for any valid input and options of the public miners. */
export function bruteForce(transactions: Transactions, options: MineOptions): FrequentItemset[] {
  const txs = transactionSets(transactions);
  const all = referenceItemsets(txs, minCountOf(options.minSupport, txs.length), options.maxLen ?? Infinity);
  return selectByDefinition(all, options.kind ?? 'all');
}

/** Order-free form of a result for equality checks: one sorted key per itemset. */
export function listing(itemsets: readonly FrequentItemset[]): string[] {
  return itemsets.map((s) => JSON.stringify([s.items, s.count, s.support])).sort();
}
