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

  /** Room for `sets` more itemsets holding `items` more ids. */
  private reserve(sets: number, items: number): void {
    if (this.size + sets >= this.counts.length) {
      const cap = Math.max(this.counts.length * 2, this.size + sets + 1);
      this.counts = grow(this.counts, cap);
      this.start = grow(this.start, cap + 1);
    }
    if (this.used + items > this.ids.length) this.ids = grow(this.ids, Math.max(this.ids.length * 2, this.used + items));
  }

  /** Appends one itemset (`ids[from .. from+len)` of `source`). */
  push(source: ArrayLike<number>, from: number, len: number, count: number): void {
    this.reserve(1, len);
    for (let i = 0; i < len; i++) this.ids[this.used + i] = source[from + i];
    this.used += len;
    this.counts[this.size] = count;
    this.start[++this.size] = this.used;
  }

  /** Appends the records of a kernel output buffer given as bytes (4-byte aligned). */
  pushRecordBytes(bytes: Uint8Array): void {
    this.pushRecords(new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2));
  }

  /** Appends the records of a kernel output buffer (u32 len, u32 count, len × u32 ids). */
  pushRecords(words: Uint32Array): void {
    // a record takes ≥ 3 words, so words/3 itemsets and words ids bound the chunk
    this.reserve(Math.ceil(words.length / 3), words.length);
    const { ids, start, counts } = this;
    let used = this.used;
    let size = this.size;
    let p = 0;
    while (p < words.length) {
      const len = words[p];
      counts[size] = words[p + 1];
      for (let i = 0; i < len; i++) ids[used + i] = words[p + 2 + i];
      used += len;
      start[++size] = used;
      p += 2 + len;
    }
    this.used = used;
    this.size = size;
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

/** A well-mixed 32-bit code per id; an itemset hashes to the sum of its ids' codes. */
function idCode(id: number): number {
  let h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Keeps the closed or maximal itemsets of a complete result. X is not closed iff some
 * X ∪ {i} has X's count, and not maximal iff some X ∪ {i} is frequent (both by downward
 * closure), so one look at each itemset's immediate subsets decides both. Subsets are found
 * through an open-addressing index keyed by the additive itemset hash, so dropping an item is
 * one subtraction. With `maxLen` the definitions hold relative to the itemsets mined.
 */
export function selectKind(table: ItemsetTable, kind: ItemsetKind): ItemsetTable {
  if (kind === 'all') return table;
  const { ids, start, counts, size } = table;
  const hashes = new Uint32Array(size);
  const mask = (1 << Math.ceil(Math.log2(size * 2 + 2))) - 1;
  const slots = new Int32Array(mask + 1).fill(-1);
  for (let i = 0; i < size; i++) {
    let h = 0;
    for (let p = start[i]; p < start[i + 1]; p++) h = (h + idCode(ids[p])) >>> 0;
    hashes[i] = h;
    let s = h & mask;
    while (slots[s] >= 0) s = (s + 1) & mask;
    slots[s] = i;
  }
  // is itemset c equal to itemset i without its item at position `drop`?
  const equalsDropped = (c: number, i: number, drop: number): boolean => {
    if (start[c + 1] - start[c] !== start[i + 1] - start[i] - 1) return false;
    let q = start[c];
    for (let p = start[i]; p < start[i + 1]; p++) {
      if (p - start[i] === drop) continue;
      if (ids[q++] !== ids[p]) return false;
    }
    return true;
  };
  const covered = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const len = start[i + 1] - start[i];
    if (len < 2) continue;
    for (let drop = 0; drop < len; drop++) {
      const h = (hashes[i] - idCode(ids[start[i] + drop])) >>> 0;
      for (let s = h & mask; slots[s] >= 0; s = (s + 1) & mask) {
        const c = slots[s];
        if (hashes[c] !== h || !equalsDropped(c, i, drop)) continue;
        if (kind === 'maximal' || counts[c] === counts[i]) covered[c] = 1;
        break;
      }
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
