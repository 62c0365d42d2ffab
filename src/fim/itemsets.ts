/**
 * The compact result every miner produces: itemsets as runs of item ids in one Uint32Array.
 * Items inside an itemset are in canonical output order (see `outputRank`), so two miners agree
 * exactly when their tables hold the same runs in any order.
 */
import { checkStatus } from '../runtime/errors.js';
import { HeapScope, bytesAt } from '../runtime/heap.js';
import { withKernel } from '../runtime/kernel.js';
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

const KIND_CODES = { closed: 1, maximal: 2 } as const;
const KIND_ARGS = ['ids', 'start', 'counts', 'size', 'nIds', 'kind', 'codes', 'slots', 'mask', 'covered'];
/** Itemsets per kernel call: short calls let the engine use optimised code for the rest. */
const KIND_BATCH = 1 << 16;

/**
 * Keeps the closed or maximal itemsets of a complete result (kernel `fim_select_kind_*`: each
 * itemset marks its immediate subsets, found by an additive hash). With `maxLen` the
 * definitions hold relative to the itemsets mined.
 */
export function selectKind(table: ItemsetTable, kind: ItemsetKind): ItemsetTable {
  if (kind === 'all' || table.size === 0) return table;
  const { size } = table;
  const used = table.start[size];
  let nIds = 0;
  for (let p = 0; p < used; p++) nIds = Math.max(nIds, table.ids[p] + 1);
  const slots = 2 ** Math.ceil(Math.log2(2 * size));
  const covered = withKernel((k) => {
    const heap = new HeapScope(k);
    try {
      const ids = heap.copyIn(table.ids.subarray(0, used));
      const start = heap.copyIn(table.start.subarray(0, size + 1));
      const counts = heap.copyIn(table.counts.subarray(0, size));
      const codes = heap.alloc(nIds * 4);
      const slotPtr = heap.alloc(slots * 8);
      const out = heap.alloc(size);
      const status = k.fim_select_kind_begin(ids, start, counts, size, nIds, KIND_CODES[kind], codes, slotPtr, slots - 1, out);
      checkStatus(status, k, 'selectKind', KIND_ARGS);
      for (let i = 0; i < size; i += KIND_BATCH) k.fim_select_kind_index(i, Math.min(size, i + KIND_BATCH));
      for (let i = 0; i < size; i += KIND_BATCH) k.fim_select_kind_mark(i, Math.min(size, i + KIND_BATCH));
      return bytesAt(k, out, size).slice();
    } finally {
      heap.dispose();
    }
  });
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
