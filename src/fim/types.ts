/** Public types of the frequent-itemset family (SPEC §1). */

/** An item label: strings and numbers are kept apart (`1` and `'1'` are different items). */
export type Item = string | number;

/** Transactions as a flat id array: transaction t is `items[offsets[t] .. offsets[t+1])`. */
export interface FlatTransactions {
  items: Uint32Array;
  offsets: Uint32Array;
  /** `labels[id]` names item id; without it the ids are the labels. */
  labels?: ArrayLike<Item>;
}

export type Transactions = Iterable<Iterable<Item>> | FlatTransactions;

export type ItemsetKind = 'all' | 'closed' | 'maximal';

export interface MineOptions {
  /** A fraction of the transactions in (0, 1], or an absolute count (an integer > 1). */
  minSupport: number;
  /** Longest itemset to report (default: no limit). */
  maxLen?: number;
  /** `closed`: no superset has the same count; `maximal`: no superset is frequent. Default `all`. */
  kind?: ItemsetKind;
  /** Called as the miner works through the items of the first tree. */
  onProgress?: (progress: { done: number; total: number }) => void;
}

export interface FrequentItemset {
  /** Items in canonical order: numbers ascending, then strings in code-unit order. */
  items: Item[];
  /** Number of transactions containing every item. */
  count: number;
  /** `count / number of transactions`. */
  support: number;
}
