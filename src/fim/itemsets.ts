/**
 * The compact result every miner produces: itemsets as runs of item ids in one Uint32Array.
 * Items inside an itemset are in canonical output order (see `outputRank`), so two miners agree
 * exactly when their tables hold the same runs in any order.
 */
import type { EncodedDb } from './encode.js';
import type { FrequentItemset, ItemsetKind } from './types.js';

export class ItemsetTable {
  /** ids of itemset i: `ids[start[i] .. start[i+1])`. */
  ids: Uint32Array = new Uint32Array(1024);
  start: Uint32Array = new Uint32Array(257);
  counts: Uint32Array = new Uint32Array(256);
  size = 0;
  private used = 0;

  /** Appends one itemset (`ids[from .. from+len)` of `source`). */
  push(source: ArrayLike<number>, from: number, len: number, count: number): void {
    if (this.size + 1 >= this.counts.length) {
      this.counts = grow(this.counts, this.counts.length * 2);
      this.start = grow(this.start, this.counts.length + 1);
    }
    if (this.used + len > this.ids.length) this.ids = grow(this.ids, Math.max(this.ids.length * 2, this.used + len));
    for (let i = 0; i < len; i++) this.ids[this.used + i] = source[from + i];
    this.used += len;
    this.counts[this.size] = count;
    this.start[++this.size] = this.used;
  }

  /** Appends the records of a kernel output buffer (u32 len, u32 count, len × u32 ids). */
  pushRecords(words: Uint32Array): void {
    let p = 0;
    while (p < words.length) {
      const len = words[p];
      this.push(words, p + 2, len, words[p + 1]);
      p += 2 + len;
    }
  }

  length(i: number): number {
    return this.start[i + 1] - this.start[i];
  }

  items(i: number): Uint32Array {
    return this.ids.subarray(this.start[i], this.start[i + 1]);
  }

  /** A key equal for equal itemsets (ids are in canonical order). */
  key(i: number): string {
    return this.items(i).join(',');
  }

  /** A new table holding the itemsets whose index passes `keep`. */
  filter(keep: (i: number) => boolean): ItemsetTable {
    const out = new ItemsetTable();
    for (let i = 0; i < this.size; i++) if (keep(i)) out.push(this.ids, this.start[i], this.length(i), this.counts[i]);
    return out;
  }
}

function grow(a: Uint32Array, size: number): Uint32Array {
  const b = new Uint32Array(size);
  b.set(a);
  return b;
}

/**
 * Keeps the closed or maximal itemsets of a complete result. X is not closed iff some
 * X ∪ {i} has X's count, and not maximal iff some X ∪ {i} is frequent (both by downward
 * closure), so one look at each itemset's immediate subsets decides both. With `maxLen` the
 * definitions hold relative to the itemsets mined.
 */
export function selectKind(table: ItemsetTable, kind: ItemsetKind): ItemsetTable {
  if (kind === 'all') return table;
  const index = new Map<string, number>();
  for (let i = 0; i < table.size; i++) index.set(table.key(i), i);
  const covered = new Uint8Array(table.size);
  const sub: number[] = [];
  for (let i = 0; i < table.size; i++) {
    const items = table.items(i);
    if (items.length < 2) continue;
    for (let drop = 0; drop < items.length; drop++) {
      sub.length = 0;
      for (let j = 0; j < items.length; j++) if (j !== drop) sub.push(items[j]);
      const s = index.get(sub.join(','));
      if (s === undefined) continue;
      if (kind === 'maximal' || table.counts[s] === table.counts[i]) covered[s] = 1;
    }
  }
  return table.filter((i) => covered[i] === 0);
}

/** Public objects with labels and relative support. */
export function toItemsets(table: ItemsetTable, db: EncodedDb): FrequentItemset[] {
  const n = db.offsets.length - 1;
  const out: FrequentItemset[] = new Array(table.size);
  for (let i = 0; i < table.size; i++) {
    const ids = table.items(i);
    const items = new Array(ids.length);
    for (let j = 0; j < ids.length; j++) items[j] = db.labels[ids[j]];
    out[i] = { items, count: table.counts[i], support: table.counts[i] / n };
  }
  return out;
}
