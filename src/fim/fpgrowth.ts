/**
 * FP-growth behind the `fim_fpgrowth` kernel (assembly/fim/fpgrowth.ts): the kernel builds the
 * FP-tree and mines it recursively; results stream back through a buffer the kernel hands to
 * `host.fimFlush` whenever it fills, either as binary records or as SPMF text.
 */
import { GroveArgumentError, checkStatus } from '../runtime/errors.js';
import { HeapScope, bytesAt } from '../runtime/heap.js';
import { host, withKernel } from '../runtime/kernel.js';
import { encodeTransactions, nTransactions, type EncodedDb } from './encode.js';
import { ItemsetTable, selectKind, toItemsets } from './itemsets.js';
import { copyInDb } from './marshal.js';
import { resolveMineOptions, type MineParams } from './options.js';
import type { FrequentItemset, MineOptions, Transactions } from './types.js';

const MODE_RECORDS = 0;
const MODE_SPMF = 1;
const OUT_BYTES = 1 << 20;
/** The input's copy in WebAssembly memory is one heap block, which stays under 1 GiB. */
const MAX_OCCURRENCES = 250_000_000;
// kernel parameters in order, then the quantities the kernel reports as too large
const ARG_NAMES = ['items', 'offsets', 'nTx', 'nIds', 'minSupport', 'maxLen', 'rank', 'mode', 'labelOffsets', 'labelBytes', 'out', 'outCapacity', 'FP-tree nodes'];

/** Frequent itemsets by FP-growth. */
export function fpGrowth(transactions: Transactions, options: MineOptions): FrequentItemset[] {
  const db = encodeTransactions(transactions, 'fpGrowth');
  const params = resolveMineOptions(options, nTransactions(db), 'fpGrowth');
  return toItemsets(selectKind(fpGrowthTable(db, params), params.kind), db);
}

/** All frequent itemsets of an encoded database as a compact table (kind is not applied). */
export function fpGrowthTable(db: EncodedDb, params: MineParams): ItemsetTable {
  const table = new ItemsetTable();
  runKernel(db, params, MODE_RECORDS, (bytes) => table.pushRecordBytes(bytes));
  return table;
}

/**
 * Streams every frequent itemset as SPMF lines (`1 2 3 #SUP: 45`, items in canonical order) to
 * `write`, which must consume or copy each chunk before returning. Returns the itemset count.
 */
export function fpGrowthSpmf(db: EncodedDb, params: MineParams, write: (chunk: Uint8Array) => void): number {
  return runKernel(db, params, MODE_SPMF, write);
}

function labelBytes(db: EncodedDb): { offsets: Uint32Array; bytes: Uint8Array } {
  const texts = db.labels.map(String);
  const offsets = new Uint32Array(texts.length + 1);
  const joined = texts.join('');
  // one encode call for the common all-ASCII case, where bytes = UTF-16 code units
  if (/^[\x00-\x7f]*$/.test(joined)) {
    for (let i = 0; i < texts.length; i++) offsets[i + 1] = offsets[i] + texts[i].length;
    return { offsets, bytes: new TextEncoder().encode(joined) };
  }
  const encoder = new TextEncoder();
  const parts = texts.map((t) => encoder.encode(t));
  for (let i = 0; i < parts.length; i++) offsets[i + 1] = offsets[i] + parts[i].length;
  const bytes = new Uint8Array(offsets[parts.length]);
  parts.forEach((part, i) => bytes.set(part, offsets[i]));
  return { offsets, bytes };
}

function longestLabel(offsets: Uint32Array): number {
  let max = 0;
  for (let i = 1; i < offsets.length; i++) max = Math.max(max, offsets[i] - offsets[i - 1]);
  return max;
}

function runKernel(db: EncodedDb, params: MineParams, mode: number, sink: (bytes: Uint8Array) => void): number {
  const nTx = nTransactions(db);
  if (db.items.length > MAX_OCCURRENCES) {
    throw new GroveArgumentError(`fpGrowth: ${db.items.length} item occurrences exceed the ${MAX_OCCURRENCES} one WebAssembly heap block can hold`);
  }
  const labels = mode === MODE_SPMF ? labelBytes(db) : undefined;
  return withKernel((k) => {
    const heap = new HeapScope(k);
    const saved = { ...host };
    try {
      const input = copyInDb(heap, db);
      const labOff = labels ? heap.copyIn(labels.offsets) : 0;
      const labBytes = labels ? heap.copyIn(labels.bytes) : 0;
      const maxLabel = labels ? longestLabel(labels.offsets) : 0;
      const cap = Math.max(OUT_BYTES, (maxLabel + 1) * 64 + 64);
      const out = heap.alloc(cap);
      host.fimFlush = (used) => sink(bytesAt(k, out, used));
      const progress = params.onProgress;
      host.fimProgress = progress ? (done, total) => progress({ done, total }) : () => {};
      const status = k.fim_fpgrowth(
        input.items, input.offsets, nTx, db.labels.length, params.minCount, params.maxLen,
        input.rank, mode, labOff, labBytes, out, cap,
      );
      checkStatus(status, k, 'fpGrowth', ARG_NAMES);
      return k.fim_emitted();
    } finally {
      Object.assign(host, saved);
      heap.dispose();
    }
  });
}

